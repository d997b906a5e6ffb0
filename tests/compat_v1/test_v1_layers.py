"""Keras layers and models called on TF 1 placeholders: one graph node each, their weights
graph variables (named as TensorFlow 2.21 names them), initialized, trained and saved as
the graph's own variables."""

import os

import numpy as np
import pytest

import gpuflow as tf

v1 = tf.compat.v1


@pytest.fixture
def graph():
    tf.keras.backend.clear_session()  # layer names from dense, sequential again
    with tf.Graph().as_default() as g:
        yield g


def test_dense_on_a_placeholder_builds_and_registers_its_weights(graph):
    x = v1.placeholder(tf.float32, [None, 4])
    layer = tf.keras.layers.Dense(3, activation="relu")
    y = layer(x)
    second = tf.keras.layers.Dense(2)
    z = second(y)
    assert y.shape.as_list() == [None, 3] and z.shape.as_list() == [None, 2]
    assert layer.built and layer.kernel.shape == (4, 3)
    names = [v.name for v in v1.global_variables()]
    assert names == ["dense/kernel:0", "dense/bias:0", "dense_1/kernel:0", "dense_1/bias:0"]
    assert len(v1.trainable_variables()) == 4
    with v1.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError):
            sess.run(z, {x: np.ones((2, 4), np.float32)})
        sess.run(v1.global_variables_initializer())
        feed = np.arange(8, dtype=np.float32).reshape(2, 4)
        out = sess.run(z, {x: feed})
        k1, b1, k2, b2 = sess.run([layer.kernel, layer.bias, second.kernel, second.bias])
    expected = np.maximum(feed @ k1 + b1, 0.0) @ k2 + b2
    np.testing.assert_allclose(out, expected, rtol=1e-5)


def test_a_sequential_model_trains_with_a_v1_optimizer_and_saver(graph, tmp_path):
    x = v1.placeholder(tf.float32, [None, 6, 6, 1])
    labels = v1.placeholder(tf.int64, [None])
    model = tf.keras.Sequential(
        [tf.keras.layers.Conv2D(2, 3), tf.keras.layers.Flatten(), tf.keras.layers.Dense(3)]
    )
    logits = model(x)
    assert [v.name for v in v1.trainable_variables()] == [
        "sequential/conv2d/kernel:0",
        "sequential/conv2d/bias:0",
        "sequential/dense/kernel:0",
        "sequential/dense/bias:0",
    ]
    loss = tf.reduce_mean(
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    )
    train = v1.train.AdamOptimizer(0.05).minimize(loss)
    saver = v1.train.Saver()
    feed = {x: np.random.RandomState(0).rand(6, 6, 6, 1), labels: np.arange(6) % 3}
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        before = sess.run(loss, feed)
        for _ in range(15):
            sess.run(train, feed)
        after = sess.run(loss, feed)
        path = saver.save(sess, os.path.join(tmp_path, "model"))
        expected = sess.run(logits, feed)
    assert after < before
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())  # the initial values again
        assert not np.allclose(sess.run(logits, feed), expected)
        saver.restore(sess, path)
        np.testing.assert_allclose(sess.run(logits, feed), expected, rtol=1e-6)


def test_a_layer_called_twice_shares_its_variables(graph):
    a = v1.placeholder(tf.float32, [None, 3])
    b = v1.placeholder(tf.float32, [None, 3])
    layer = tf.keras.layers.Dense(2, use_bias=False)
    ya, yb = layer(a), layer(b)
    assert len(v1.global_variables()) == 1
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        feed = np.ones((1, 3), np.float32)
        np.testing.assert_array_equal(*sess.run([ya, yb], {a: feed, b: feed}))


def test_layers_outside_graph_mode_are_unchanged():
    out = tf.keras.layers.Dense(2)(np.ones((1, 3), np.float32))
    assert isinstance(out, tf.Tensor) and out.shape == (1, 2)
