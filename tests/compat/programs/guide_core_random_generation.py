"""TensorFlow guide "Random number generation": tf.random.Generator (state, split, make_seeds,
reset, tf.function, checkpoints), stateless ops with seed pairs, stateless_split/fold_in,
index_shuffle, the global generator and set_seed."""

import os
import tempfile

import numpy as np
import tensorflow as tf

g1 = tf.random.Generator.from_seed(1)
a = g1.normal(shape=[2, 3])
g2 = tf.random.get_global_generator()
b = g2.normal(shape=[2, 3])
assert a.shape == b.shape == (2, 3)
# same seed, same numbers
assert np.array_equal(tf.random.Generator.from_seed(1).normal([2, 3]).numpy(), a.numpy())
g = tf.random.Generator.from_seed(1, alg="philox")
assert g.algorithm == tf.random.Algorithm.PHILOX.value == 1
g = tf.random.Generator.from_non_deterministic_state()
assert g.normal([3]).shape == (3,)
g = tf.random.Generator.from_state(g1.state.numpy(), alg="philox")
assert np.array_equal(g.normal([2]).numpy(), g1.normal([2]).numpy())
g = tf.random.Generator.from_seed(1234)
st = g.state.numpy()
assert st.dtype == np.int64 and st.shape == (3,)
_ = g.normal([])
assert not np.array_equal(g.state.numpy(), st)
# reset
g.reset_from_seed(1234)
x1 = g.uniform([4]).numpy()
g.reset_from_seed(1234)
assert np.array_equal(g.uniform([4]).numpy(), x1)
# split
g = tf.random.Generator.from_seed(1)
new_gs = g.split(3)
assert len(new_gs) == 3
vals = [gg.normal([]).numpy() for gg in new_gs]
assert len(set(vals)) == 3
# make_seeds
seeds = g.make_seeds(count=5)
assert seeds.shape == (2, 5) and seeds.dtype == tf.int64
s0 = tf.random.stateless_normal([3], seed=seeds[:, 0])
assert np.array_equal(s0.numpy(), tf.random.stateless_normal([3], seed=seeds[:, 0]).numpy())
# generator in tf.function
g = tf.random.Generator.from_seed(1)


@tf.function
def foo():
    return g.normal([])


r1, r2 = float(foo()), float(foo())
assert r1 != r2
g_ref = tf.random.Generator.from_seed(1)
assert np.isclose(r1, float(g_ref.normal([]))) and np.isclose(r2, float(g_ref.normal([])))
# uniform ints and truncated normal, binomial
g = tf.random.Generator.from_seed(7)
u = g.uniform([1000], minval=0, maxval=10, dtype=tf.int32)
assert u.dtype == tf.int32 and int(tf.reduce_min(u)) >= 0 and int(tf.reduce_max(u)) <= 9
full = g.uniform_full_int([5], dtype=tf.int64)
assert full.dtype == tf.int64
tn = g.truncated_normal([2000], mean=1.0, stddev=2.0)
assert float(tf.reduce_max(tf.abs(tn - 1.0))) <= 4.0
bn = g.binomial([1000], counts=10.0, probs=0.5)
assert 4.0 < float(tf.reduce_mean(tf.cast(bn, tf.float32))) < 6.0
# stateless
seed = [1, 2]
x = tf.random.stateless_normal(shape=[2, 3], seed=seed)
y = tf.random.stateless_normal(shape=[2, 3], seed=seed)
assert np.array_equal(x.numpy(), y.numpy())
assert not np.array_equal(x.numpy(), tf.random.stateless_normal(shape=[2, 3], seed=[1, 3]).numpy())
su = tf.random.stateless_uniform([5], seed=seed, minval=2, maxval=7, dtype=tf.int32)
assert su.dtype == tf.int32 and bool(tf.reduce_all((su >= 2) & (su < 7)))
tf.random.stateless_truncated_normal([4], seed=seed)
tf.random.stateless_categorical(tf.math.log([[0.5, 0.5]]), 5, seed=seed)
sb = tf.random.stateless_binomial(shape=[3], seed=seed, counts=[10.0, 20.0, 30.0], probs=0.5)
assert sb.shape == (3,)
# split / fold_in
new_seeds = tf.random.experimental.stateless_split(seed, num=3)
assert new_seeds.shape == (3, 2)
assert np.array_equal(
    new_seeds.numpy(), tf.random.experimental.stateless_split(seed, num=3).numpy()
)
f0 = tf.random.experimental.stateless_fold_in(seed, 0)
f1 = tf.random.experimental.stateless_fold_in(seed, 1)
assert f0.shape == (2,) and not np.array_equal(f0.numpy(), f1.numpy())
assert tf.random.experimental.index_shuffle(tf.range(4), [5, 9], 3).numpy().tolist() == [2, 0, 1, 3]
# global generator
tf.random.set_global_generator(tf.random.Generator.from_seed(5))
a1 = tf.random.get_global_generator().normal([2]).numpy()
tf.random.set_global_generator(tf.random.Generator.from_seed(5))
assert np.array_equal(tf.random.get_global_generator().normal([2]).numpy(), a1)
# tf.random.set_seed makes op-level sequences repeat
tf.random.set_seed(42)
s1 = [tf.random.uniform([2]).numpy(), tf.random.uniform([2]).numpy()]
tf.random.set_seed(42)
s2 = [tf.random.uniform([2]).numpy(), tf.random.uniform([2]).numpy()]
assert all(np.array_equal(p, q) for p, q in zip(s1, s2))
assert not np.array_equal(s1[0], s1[1])


# generator in a strategy-less Keras layer via a variable-like state
class MyModule(tf.Module):
    def __init__(self):
        self.g = tf.random.Generator.from_seed(0)

    @tf.function
    def __call__(self):
        return self.g.normal([])


m = MyModule()
assert float(m()) != float(m())
ckpt = tf.train.Checkpoint(generator=g1)
path = ckpt.write(os.path.join(tempfile.mkdtemp(), "rng_ckpt"))
before = g1.normal([3]).numpy()
ckpt.restore(path)
assert np.array_equal(g1.normal([3]).numpy(), before)

# skip(n) moves the stream as normal([n]) would; it returns the state before the skip.
skipping, drawing = tf.random.Generator.from_seed(5), tf.random.Generator.from_seed(5)
state_before = skipping.state.numpy()
old_state = skipping.skip(10)
drawing.normal([10])
assert old_state.dtype == tf.int64 and np.array_equal(old_state.numpy(), state_before)
assert np.array_equal(skipping.state.numpy(), drawing.state.numpy())
assert np.array_equal(skipping.normal([4]).numpy(), drawing.normal([4]).numpy())
print("OK")
