"""The classic TF 1 convolutional network written against tensorflow.compat.v1 with
disable_v2_behavior: conv2d / max_pool / dropout(keep_prob) with TF 1 signatures, a
MomentumOptimizer with an exponentially decayed learning rate, a tf.cond on a fed flag,
and an InteractiveSession with Tensor.eval / Operation.run."""

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
tf.set_random_seed(0)

rng = np.random.default_rng(0)
images = rng.random((48, 36)).astype("float32")
classes = (images[:, :18].mean(axis=1) > images[:, 18:].mean(axis=1)).astype("int64")
onehot = np.eye(2, dtype="float32")[classes]


def weight(shape):
    return tf.Variable(tf.truncated_normal(shape, stddev=0.1))


def bias(shape):
    return tf.Variable(tf.constant(0.1, shape=shape))


x = tf.placeholder(tf.float32, [None, 36])
y_ = tf.placeholder(tf.float32, [None, 2])
keep_prob = tf.placeholder(tf.float32)
augment = tf.placeholder_with_default(False, shape=[])

image = tf.reshape(x, [-1, 6, 6, 1])
image = tf.cond(
    augment, lambda: image + tf.random_normal(tf.shape(image), stddev=0.01), lambda: image
)
conv = tf.nn.relu(
    tf.nn.conv2d(image, weight([3, 3, 1, 8]), strides=[1, 1, 1, 1], padding="SAME") + bias([8])
)
pool = tf.nn.max_pool(conv, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
assert pool.get_shape().as_list() == [None, 3, 3, 8]
flat = tf.reshape(pool, [-1, 3 * 3 * 8])
hidden = tf.nn.dropout(flat, keep_prob)
logits = tf.matmul(hidden, weight([72, 2])) + bias([2])
assert logits.shape.as_list() == [None, 2]
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y_, logits=logits))
correct = tf.equal(tf.argmax(logits, 1), tf.argmax(y_, 1))
accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))

step = tf.train.get_or_create_global_step()
rate = tf.train.exponential_decay(0.2, step, decay_steps=20, decay_rate=0.5, staircase=True)
train = tf.train.MomentumOptimizer(rate, 0.9).minimize(loss, global_step=step)

sess = tf.InteractiveSession()
tf.global_variables_initializer().run()
evaluation = {x: images, y_: onehot, keep_prob: 1.0}
before = loss.eval(evaluation)
for i in range(40):
    train.run(feed_dict={x: images, y_: onehot, keep_prob: 0.9, augment: i % 2 == 0})
after, acc = sess.run([loss, accuracy], evaluation)
print("loss", before, "->", after, "accuracy", acc)
assert after < before and acc >= 0.75
assert step.eval() == 40 and abs(rate.eval() - 0.05) < 1e-7
sess.close()
