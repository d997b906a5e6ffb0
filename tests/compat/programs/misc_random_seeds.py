"""Reproducible randomness with stateless ops: deriving per-step seeds with
tf.random.split / fold_in, and sampling gamma and Poisson noise (the values differ between
frameworks, so only their reproducibility and statistics are checked)."""

import numpy as np
import tensorflow as tf

base = tf.constant([42, 7])
step_seeds = [tf.random.fold_in(base, step) for step in range(3)]
again = [tf.random.fold_in(base, step) for step in range(3)]
for a, b in zip(step_seeds, again):
    assert a.shape == (2,)
    np.testing.assert_array_equal(a.numpy(), b.numpy())
assert len({tuple(s.numpy().tolist()) for s in step_seeds}) == 3

left, right = tf.unstack(tf.random.split(base, 2))
noise_a = tf.random.stateless_normal([4], seed=left)
noise_b = tf.random.stateless_normal([4], seed=right)
np.testing.assert_array_equal(noise_a.numpy(), tf.random.stateless_normal([4], seed=left).numpy())
assert not np.array_equal(noise_a.numpy(), noise_b.numpy())

waits = tf.random.stateless_gamma([20000], seed=left, alpha=3.0, beta=2.0)
assert waits.dtype == tf.float32 and float(tf.reduce_min(waits)) > 0.0
assert abs(float(tf.reduce_mean(waits)) - 1.5) < 0.05  # alpha / beta
arrivals = tf.random.stateless_poisson([20000], seed=right, lam=4.0)
assert arrivals.dtype == tf.int32
assert abs(float(tf.reduce_mean(tf.cast(arrivals, tf.float32))) - 4.0) < 0.1

tf.random.set_seed(1)
g = tf.random.gamma([3, 2], alpha=[1.0, 5.0], seed=3)
assert g.shape == (3, 2, 2)  # shape + alpha.shape
assert tf.random.gamma([3], alpha=[1.0, 5.0]).shape == (3, 2)
assert tf.random.poisson([5], lam=[2.0, 3.0], dtype=tf.int64).dtype == tf.int64
init = tf.random_normal_initializer(stddev=0.02)
weights = tf.Variable(init(shape=[64, 32]))
assert abs(float(tf.math.reduce_std(weights)) - 0.02) < 0.005
print("ok")
