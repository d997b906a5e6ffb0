# The "Random number generation" guide: tf.random.Generator, stateless ops and seed helpers
# (same seed, same numbers; the values themselves are not compared across frameworks).
import numpy as np
import tensorflow as tf

g1 = tf.random.Generator.from_seed(1)
a = g1.normal(shape=[2, 3])
g1.reset_from_seed(1)
np.testing.assert_array_equal(a.numpy(), g1.normal(shape=[2, 3]).numpy())

g2 = tf.random.Generator(state=tf.random.create_rng_state(1, alg="philox"), alg="philox")
g3 = tf.random.Generator(state=tf.random.create_rng_state(1, alg="philox"), alg="philox")
np.testing.assert_array_equal(g2.uniform([4]).numpy(), g3.uniform([4]).numpy())
assert tf.random.create_rng_state(1, "philox").numpy().tolist() == [1, 0, 0]

ints = g1.uniform(shape=[1000], minval=0, maxval=10, dtype=tf.int32)
assert ints.dtype == tf.int32 and 0 <= int(tf.reduce_min(ints)) and int(tf.reduce_max(ints)) < 10
children = g1.split(3)
assert len(children) == 3
draws = [c.normal([5]).numpy() for c in children]
assert not np.array_equal(draws[0], draws[1])
counts = g1.binomial(shape=[2000], counts=20.0, probs=0.25)
assert abs(float(tf.reduce_mean(tf.cast(counts, tf.float32))) - 5.0) < 0.3

tf.random.set_global_generator(tf.random.Generator.from_seed(42))
x = tf.random.get_global_generator().normal([3])
tf.random.set_global_generator(tf.random.Generator.from_seed(42))
np.testing.assert_array_equal(x.numpy(), tf.random.get_global_generator().normal([3]).numpy())

# stateless ops: the seed alone fixes the numbers
s1 = tf.random.stateless_normal([3], seed=[1, 2])
np.testing.assert_array_equal(s1.numpy(), tf.random.stateless_normal([3], seed=[1, 2]).numpy())
assert not np.array_equal(s1.numpy(), tf.random.stateless_normal([3], seed=[1, 3]).numpy())
new_seeds = tf.random.experimental.stateless_split([1, 2], num=3)
assert new_seeds.shape == (3, 2)
folded = tf.random.experimental.stateless_fold_in([1, 2], 7)
assert folded.shape == (2,)
p = tf.random.stateless_poisson([4000], seed=[3, 4], lam=2.0)
assert p.dtype == tf.int32 and abs(float(tf.reduce_mean(tf.cast(p, tf.float32))) - 2.0) < 0.15
b = tf.random.stateless_binomial([10], seed=[5, 6], counts=10, probs=0.5)
np.testing.assert_array_equal(
    b.numpy(), tf.random.stateless_binomial([10], seed=[5, 6], counts=10, probs=0.5).numpy()
)
gam = tf.random.gamma([5000], alpha=3.0, seed=1)
assert abs(float(tf.reduce_mean(gam)) - 3.0) < 0.15


@tf.function
def draw():
    return g1.normal([2])


assert not np.array_equal(draw().numpy(), draw().numpy())  # fresh numbers on each call
print("random generators ok")
