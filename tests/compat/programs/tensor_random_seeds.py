# Random numbers and seeds: the global-and-op seed rule, stateless ops, Generator.
import numpy as np
import tensorflow as tf

tf.random.set_seed(1234)
a1 = tf.random.uniform([3])
a2 = tf.random.uniform([3], seed=7)
a3 = tf.random.uniform([3], seed=7)
tf.random.set_seed(1234)
b1 = tf.random.uniform([3])
b2 = tf.random.uniform([3], seed=7)
b3 = tf.random.uniform([3], seed=7)
np.testing.assert_array_equal(a1.numpy(), b1.numpy())
np.testing.assert_array_equal(a2.numpy(), b2.numpy())
np.testing.assert_array_equal(a3.numpy(), b3.numpy())
assert not np.array_equal(a2.numpy(), a3.numpy())  # an op-seeded op advances on each call
s1 = tf.random.stateless_uniform([2], seed=[1, 2])
s2 = tf.random.stateless_uniform([2], seed=[1, 2])
np.testing.assert_array_equal(s1.numpy(), s2.numpy())
g1 = tf.random.Generator.from_seed(5)
g2 = tf.random.Generator.from_seed(5)
np.testing.assert_array_equal(g1.normal([4]).numpy(), g2.normal([4]).numpy())
n = tf.random.normal([10000], mean=2.0, stddev=0.5, seed=3)
assert abs(float(tf.reduce_mean(n)) - 2.0) < 0.05 and abs(float(tf.math.reduce_std(n)) - 0.5) < 0.05
t = tf.random.truncated_normal([10000], stddev=1.0, seed=4)
assert float(tf.reduce_max(tf.abs(t))) <= 2.0
u = tf.random.uniform([1000], minval=5, maxval=8, dtype=tf.int32, seed=2)
assert set(np.unique(u.numpy()).tolist()) == {5, 6, 7}
samples = tf.random.categorical(tf.math.log([[0.5, 0.5, 0.0]]), 500, seed=9)
assert samples.shape == (1, 500) and set(np.unique(samples.numpy()).tolist()) <= {0, 1}
shuffled = tf.random.shuffle(tf.range(10), seed=3)
assert sorted(shuffled.numpy().tolist()) == list(range(10))
print("ok")
