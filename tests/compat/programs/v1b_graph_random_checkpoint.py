"""A TF 1 graph's random ops draw anew on every Session.run and repeat under the same
set_random_seed; its variables are saved with tf.compat.v1.train.Saver and
tf.train.Checkpoint beside a Session and restored into a fresh graph."""

import os
import tempfile

import numpy as np
import tensorflow as tf

v1 = tf.compat.v1


def sample_twice(seed):
    with tf.Graph().as_default():
        v1.set_random_seed(seed)
        images = v1.placeholder(tf.float32, [None, 4])
        noisy = images + tf.random.normal(tf.shape(images), stddev=0.1)
        dropped = tf.nn.dropout(images, rate=0.5)
        coin = v1.random_uniform([5])
        with v1.Session() as sess:
            feed = {images: np.ones((3, 4), np.float32)}
            return [sess.run([noisy, dropped, coin], feed) for _ in range(2)]


run_a, run_b = sample_twice(seed=42)
assert run_a[0].shape == (3, 4) and run_a[2].shape == (5,)
assert set(np.unique(run_a[1])) <= {0.0, 2.0}
for first, second in zip(run_a, run_b):
    assert not np.array_equal(first, second), "a random op repeated its draw"
again_a, again_b = sample_twice(seed=42)
for expected, got in zip(run_a + run_b, again_a + again_b):
    np.testing.assert_array_equal(expected, got)
assert not np.array_equal(sample_twice(seed=43)[0][2], run_a[2])

# -- checkpoints of graph variables --------------------------------------------------------
workdir = tempfile.mkdtemp()
with tf.Graph().as_default():
    kernel = v1.get_variable("dense/kernel", initializer=tf.constant([[1.0], [2.0]]))
    bias = v1.get_variable("dense/bias", initializer=tf.constant([0.5]))
    step = tf.Variable(0, name="step")
    x = v1.placeholder(tf.float32, [None, 2])
    loss = tf.reduce_mean(tf.square(tf.matmul(x, kernel) + bias))
    train = v1.train.GradientDescentOptimizer(0.05).minimize(loss)
    bump = step.assign_add(1)
    saver = v1.train.Saver(max_to_keep=2)
    objects = tf.train.Checkpoint(kernel=kernel, bias=bias)
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        for _ in range(3):
            sess.run([train, bump], {x: [[1.0, 1.0], [0.0, 1.0]]})
        trained = sess.run([kernel, bias])
        saved_path = saver.save(sess, os.path.join(workdir, "model"), global_step=step)
        object_path = objects.save(os.path.join(workdir, "objects"))

assert os.path.basename(saved_path) == "model-3"
assert os.path.basename(object_path) == "objects-1"
names = sorted(name for name, _ in tf.train.list_variables(saved_path))
assert names == ["dense/bias", "dense/kernel", "step"], names

with tf.Graph().as_default():
    kernel = v1.get_variable("dense/kernel", shape=[2, 1])
    bias = v1.get_variable("dense/bias", shape=[1])
    step = tf.Variable(0, name="step")
    with v1.Session() as sess:
        v1.train.Saver().restore(sess, saved_path)
        restored = sess.run([kernel, bias, step])
np.testing.assert_allclose(restored[0], trained[0])
np.testing.assert_allclose(restored[1], trained[1])
assert restored[2] == 3

with tf.Graph().as_default():
    kernel = v1.get_variable("k", initializer=tf.zeros([2, 1]))
    bias = v1.get_variable("b", initializer=tf.zeros([1]))
    status = tf.train.Checkpoint(kernel=kernel, bias=bias).restore(object_path)
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())  # initial values first ...
        status.run_restore_ops()  # ... then the checkpoint's
        np.testing.assert_allclose(sess.run(kernel), trained[0])
        np.testing.assert_allclose(sess.run(bias), trained[1])
    status.assert_consumed()
print("ok")
