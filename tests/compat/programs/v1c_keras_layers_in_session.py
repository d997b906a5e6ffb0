"""A TF 1 style script that builds its network from tf.keras layers on placeholders,
trains it with a tf.compat.v1 optimizer inside a Session, saves and restores it with
Saver, and relies on a seeded graph replaying its random numbers in a new Session."""

import os
import tempfile

import numpy as np
import tensorflow as tf

v1 = tf.compat.v1
tf.keras.backend.clear_session()

with tf.Graph().as_default():
    v1.set_random_seed(123)
    images = v1.placeholder(tf.float32, [None, 5, 5, 1], name="images")
    targets = v1.placeholder(tf.int64, [None], name="targets")
    net = tf.keras.Sequential(
        [
            tf.keras.layers.Conv2D(3, 3, activation="relu"),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(4),
        ]
    )
    logits = net(images)
    head = tf.keras.layers.Dense(2, name="head")
    scores = head(logits)
    assert logits.shape.as_list() == [None, 4] and scores.shape.as_list() == [None, 2]
    names = [v.name for v in v1.trainable_variables()]
    assert names == [
        "sequential/conv2d/kernel:0",
        "sequential/conv2d/bias:0",
        "sequential/dense/kernel:0",
        "sequential/dense/bias:0",
        "head/kernel:0",
        "head/bias:0",
    ], names

    loss = tf.reduce_mean(
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=targets, logits=scores)
    )
    step = v1.train.get_or_create_global_step()
    train_op = v1.train.AdamOptimizer(0.05).minimize(loss, global_step=step)
    noise = tf.random.uniform([3])
    saver = v1.train.Saver()

    rng = np.random.RandomState(7)
    feed = {images: rng.rand(8, 5, 5, 1).astype(np.float32), targets: np.arange(8) % 2}
    folder = tempfile.mkdtemp()
    with v1.Session() as sess:
        try:
            sess.run(scores, feed)
            raise AssertionError("reading uninitialized layer weights did not fail")
        except tf.errors.FailedPreconditionError:
            pass
        sess.run(v1.global_variables_initializer())
        start = sess.run(loss, feed)
        for _ in range(20):
            sess.run(train_op, feed)
        end = sess.run(loss, feed)
        assert end < start, (start, end)
        assert sess.run(step) == 20
        kernel = sess.run(v1.trainable_variables()[4])  # head's kernel as a graph variable
        assert kernel.shape == (4, 2)
        path = saver.save(sess, os.path.join(folder, "net"), global_step=step)
        trained = sess.run(scores, feed)
        first_noise = [sess.run(noise) for _ in range(2)]
    assert path.endswith("net-20")
    assert not np.array_equal(first_noise[0], first_noise[1])

    with v1.Session() as sess:
        saver.restore(sess, path)
        np.testing.assert_allclose(sess.run(scores, feed), trained, rtol=1e-5)
        again = [sess.run(noise) for _ in range(2)]
    np.testing.assert_array_equal(first_noise, again)  # a new session replays the draws

print("ok")
