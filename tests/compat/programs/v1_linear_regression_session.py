"""A TF 1 style linear regression: placeholders, a GradientDescentOptimizer minimizing an
MSE in Session.run with feed_dict, a global step, a Saver round trip and eval()."""

import os

import numpy as np
import tensorflow as tf

v1 = tf.compat.v1
v1.disable_eager_execution()
assert not tf.executing_eagerly()

rng = np.random.default_rng(7)
features = rng.normal(size=(100, 3)).astype("float32")
true_w = np.array([[2.0], [-1.0], [0.5]], "float32")
targets = features @ true_w + 0.25

x = v1.placeholder(tf.float32, shape=[None, 3], name="features")
y = v1.placeholder(tf.float32, shape=[None, 1], name="targets")
w = v1.Variable(tf.zeros([3, 1]), name="weights")
b = v1.Variable(0.0, name="bias")
prediction = tf.matmul(x, w) + b
assert prediction.shape.as_list() == [None, 1]
assert x.name == "features:0" and w.name == "weights:0"
loss = tf.reduce_mean(tf.square(prediction - y))
global_step = v1.train.get_or_create_global_step()
train_op = v1.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=global_step)
assert set(v1.trainable_variables()) == {w, b}

feed = {x: features, y: targets}
saver = v1.train.Saver()
with v1.Session() as sess:
    sess.run(v1.global_variables_initializer())
    first_loss = sess.run(loss, feed_dict=feed)
    for _ in range(100):
        _, current = sess.run([train_op, loss], feed_dict=feed)
    assert sess.run(global_step) == 100
    learned_w, learned_b = sess.run([w, b])
    np.testing.assert_allclose(learned_w, true_w, atol=1e-3)
    assert abs(learned_b - 0.25) < 1e-3
    assert current < 1e-5 < first_loss
    # a tensor's value in the default session, and another feed of the same graph
    single = prediction.eval(feed_dict={x: [[1.0, 1.0, 1.0]]})
    assert single.shape == (1, 1) and abs(single[0, 0] - 1.75) < 1e-2
    path = saver.save(sess, os.path.join(os.getcwd(), "linreg"), global_step=global_step)
    assert path.endswith("linreg-100")
    sess.run(v1.global_variables_initializer())  # back to zeros
    assert np.all(sess.run(w) == 0)
    saver.restore(sess, path)
    np.testing.assert_allclose(sess.run(w), learned_w)

reader = tf.train.load_checkpoint(path)
np.testing.assert_allclose(reader.get_tensor("weights"), learned_w)
print("ok", float(current))
