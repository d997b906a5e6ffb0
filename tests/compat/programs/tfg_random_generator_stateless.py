"""tf.random.Generator (from_seed, split, reset, state) and stateless random ops."""

import numpy as np
import tensorflow as tf

g1 = tf.random.Generator.from_seed(42)
g2 = tf.random.Generator.from_seed(42)
a = g1.normal([3])
np.testing.assert_array_equal(a, g2.normal([3]))
assert not np.array_equal(a, g1.normal([3]))  # the state advanced
g1.reset_from_seed(42)
np.testing.assert_array_equal(g1.normal([3]), a)
assert g1.state.dtype == tf.int64

# split gives independent generators and advances the parent deterministically.
p1, p2 = tf.random.Generator.from_seed(7), tf.random.Generator.from_seed(7)
c1, c2 = p1.split(2)
d1, _ = p2.split(2)
np.testing.assert_array_equal(c1.uniform([4]), d1.uniform([4]))
assert not np.array_equal(c1.uniform([4]), c2.uniform([4]))
np.testing.assert_array_equal(p1.uniform([2]), p2.uniform([2]))

# Distributions, ranges and dtypes.
g = tf.random.Generator.from_seed(1)
u = g.uniform([1000], minval=2.0, maxval=3.0)
assert u.dtype == tf.float32 and 2.0 <= float(tf.reduce_min(u)) and float(tf.reduce_max(u)) < 3.0
ui = g.uniform([1000], minval=0, maxval=5, dtype=tf.int32)
assert set(np.unique(ui.numpy())) == {0, 1, 2, 3, 4}
try:
    g.uniform([2], dtype=tf.int32)  # integer uniform needs maxval
except (ValueError, TypeError):
    pass
else:
    raise AssertionError("integer uniform without maxval should raise")
tn = g.truncated_normal([2000], stddev=2.0)
assert float(tf.reduce_max(tf.abs(tn))) <= 4.0
n64 = g.normal([3], dtype=tf.float64)
assert n64.dtype == tf.float64
full = g.uniform_full_int([5], dtype=tf.int64)
assert full.dtype == tf.int64
b = g.binomial([500], counts=10.0, probs=0.5)
assert 4.0 < float(tf.reduce_mean(tf.cast(b, tf.float32))) < 6.0

# Generators as tf.Module state: usable inside tf.function, and checkpointable.
gen = tf.random.Generator.from_seed(3)


@tf.function
def draw():
    return gen.normal([2])


first, second = draw(), draw()
assert not np.array_equal(first, second)
ckpt = tf.train.Checkpoint(gen=gen)
path = ckpt.write("gen")
expected = gen.normal([2])
ckpt.read(path)
np.testing.assert_array_equal(gen.normal([2]), expected)

# Global generator and from_non_deterministic_state.
tf.random.set_global_generator(tf.random.Generator.from_seed(9))
x1 = tf.random.get_global_generator().normal([2])
tf.random.set_global_generator(tf.random.Generator.from_seed(9))
np.testing.assert_array_equal(tf.random.get_global_generator().normal([2]), x1)
assert tf.random.Generator.from_non_deterministic_state().normal([2]).shape == (2,)

# Stateless ops: the same seed gives the same numbers, shapes and dtypes as asked.
s = [1, 2]
np.testing.assert_array_equal(
    tf.random.stateless_normal([2, 3], seed=s), tf.random.stateless_normal([2, 3], seed=s)
)
assert not np.array_equal(
    tf.random.stateless_normal([3], seed=[1, 2]), tf.random.stateless_normal([3], seed=[1, 3])
)
si = tf.random.stateless_uniform([100], seed=s, minval=-3, maxval=3, dtype=tf.int64)
assert si.dtype == tf.int64 and -3 <= int(tf.reduce_min(si)) and int(tf.reduce_max(si)) < 3
assert tf.random.stateless_uniform([2], seed=tf.constant([1, 2], tf.int64)).shape == (2,)
cat = tf.random.stateless_categorical(tf.math.log([[0.5, 0.5, 0.0]]), 200, seed=s)
assert cat.shape == (1, 200) and int(tf.reduce_max(cat)) <= 1
bern = tf.random.stateless_binomial([4], seed=s, counts=[1.0, 5.0, 10.0, 0.0], probs=1.0)
np.testing.assert_array_equal(bern, [1, 5, 10, 0])
assert tf.random.stateless_poisson([3], seed=s, lam=2.0).shape == (3,)
assert tf.random.stateless_gamma([5, 2], seed=s, alpha=[1.0, 2.0]).shape == (5, 2)
pm = tf.random.stateless_parameterized_truncated_normal(
    [500], s, means=0.0, stddevs=1.0, minvals=-0.5, maxvals=0.5
)
assert float(tf.reduce_max(tf.abs(pm))) <= 0.5
try:
    tf.random.stateless_normal([2], seed=[1, 2, 3])
except (ValueError, tf.errors.InvalidArgumentError):
    pass
else:
    raise AssertionError("a seed of shape [3] should raise")

# split / fold_in make new seeds deterministically.
seeds = tf.random.split(tf.constant([1, 2]), num=3)
assert seeds.shape == (3, 2)
np.testing.assert_array_equal(seeds, tf.random.split([1, 2], 3))
assert len({tuple(r) for r in seeds.numpy().tolist()}) == 3
folded = tf.random.fold_in([1, 2], 5)
assert folded.shape == (2,)
np.testing.assert_array_equal(folded, tf.random.fold_in([1, 2], 5))
assert not np.array_equal(folded, tf.random.fold_in([1, 2], 6))
print("ok")
