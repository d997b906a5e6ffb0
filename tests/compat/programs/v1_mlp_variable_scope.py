"""A TF 1 style classifier built in a tf.Graph: layers from get_variable in variable
scopes (reuse, AUTO_REUSE), tf.compat.v1.losses, collections, an AdamOptimizer, and
gradient clipping through compute_gradients / apply_gradients."""

import numpy as np
import tensorflow as tf

v1 = tf.compat.v1

rng = np.random.default_rng(3)
inputs = rng.normal(size=(200, 4)).astype("float32")
labels = (inputs[:, 0] * inputs[:, 1] + inputs[:, 2] > 0).astype("int64")


def dense(x, units, scope, activation=None):
    with v1.variable_scope(scope):
        kernel = v1.get_variable(
            "kernel",
            [x.shape[-1], units],
            initializer=v1.random_normal_initializer(stddev=0.5, seed=1),
            regularizer=lambda w: 1e-4 * tf.reduce_sum(tf.square(w)),
        )
        bias = v1.get_variable("bias", [units], initializer=v1.zeros_initializer())
        out = tf.matmul(x, kernel) + bias
        return activation(out) if activation else out


graph = tf.Graph()
with graph.as_default():
    x = v1.placeholder(tf.float32, [None, 4])
    y = v1.placeholder(tf.int64, [None])
    with v1.variable_scope("model"):
        hidden = dense(x, 32, "hidden", tf.nn.relu)
        logits = dense(hidden, 2, "logits")
    assert logits.shape.as_list() == [None, 2]
    names = [v.name for v in v1.trainable_variables()]
    assert names == [
        "model/hidden/kernel:0",
        "model/hidden/bias:0",
        "model/logits/kernel:0",
        "model/logits/bias:0",
    ], names
    with v1.variable_scope("model", reuse=True):
        assert v1.get_variable("hidden/kernel") is v1.trainable_variables()[0]
    with v1.variable_scope("model", reuse=v1.AUTO_REUSE):
        assert v1.get_variable("hidden/bias").name == "model/hidden/bias:0"
    try:
        with v1.variable_scope("model"):
            v1.get_variable("hidden/kernel", [4, 32])
        raise AssertionError("a second kernel was made")
    except ValueError as error:
        assert "already exists" in str(error)

    assert len(v1.get_collection(v1.GraphKeys.REGULARIZATION_LOSSES)) == 2
    data_loss = v1.losses.sparse_softmax_cross_entropy(labels=y, logits=logits)
    total_loss = v1.losses.get_total_loss()
    accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, axis=1), y), tf.float32))

    optimizer = v1.train.AdamOptimizer(learning_rate=0.05)
    grads_and_vars = optimizer.compute_gradients(total_loss)
    clipped = [(tf.clip_by_norm(g, 5.0), v) for g, v in grads_and_vars]
    train_op = optimizer.apply_gradients(clipped)
    init = v1.global_variables_initializer()

with v1.Session(graph=graph) as sess:
    sess.run(init)
    feed = {x: inputs, y: labels}
    start = sess.run(data_loss, feed)
    for _ in range(50):
        sess.run(train_op, feed)
    end, acc = sess.run([data_loss, accuracy], feed)
    print("loss", start, "->", end, "accuracy", acc)
    assert end < 0.5 * start and acc > 0.9
    total, data = sess.run([total_loss, data_loss], feed)
    assert total > data  # the regularization losses are in the total
print("ok")
