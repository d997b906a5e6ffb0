"""A TF 1 model exported two ways and read back: Saver's checkpoint with its .meta file
(tf.compat.v1.train.import_meta_graph in a fresh graph), and a SavedModel written with
tf.compat.v1.saved_model.Builder, loaded with loader.load and with TF 2's
tf.saved_model.load(...).signatures."""

import os
import tempfile

import numpy as np
import tensorflow as tf

v1 = tf.compat.v1
root = tempfile.mkdtemp()
batch = np.array([[0.5, -1.0, 2.0, 0.0], [1.0, 1.0, 1.0, 1.0]], np.float32)

with tf.Graph().as_default():
    inputs = v1.placeholder(tf.float32, [None, 4], name="inputs")
    with v1.variable_scope("dense"):
        kernel = v1.get_variable("kernel", [4, 3], initializer=v1.random_normal_initializer(seed=2))
        bias = v1.get_variable("bias", [3], initializer=v1.constant_initializer(0.1))
    logits = tf.add(tf.matmul(inputs, kernel), bias, name="logits")
    probabilities = tf.nn.softmax(logits, name="probabilities")
    best = tf.argmax(probabilities, axis=1, name="best")
    v1.add_to_collection("serving", probabilities)
    targets = v1.placeholder(tf.int64, [None], name="targets")
    loss = tf.reduce_mean(
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=targets, logits=logits)
    )
    train = v1.train.GradientDescentOptimizer(0.3).minimize(loss)
    saver = v1.train.Saver()
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        for _ in range(5):
            sess.run(train, {inputs: batch, targets: [2, 0]})
        want_probs, want_best = sess.run([probabilities, best], {inputs: batch})
        prefix = saver.save(sess, os.path.join(root, "ckpt", "model"), global_step=5)
        assert os.path.exists(prefix + ".meta")

        export_dir = os.path.join(root, "saved")
        builder = v1.saved_model.Builder(export_dir)
        signature = v1.saved_model.signature_def_utils.predict_signature_def(
            inputs={"inputs": inputs}, outputs={"probabilities": probabilities, "best": best}
        )
        builder.add_meta_graph_and_variables(
            sess,
            [v1.saved_model.tag_constants.SERVING],
            signature_def_map={"serving_default": signature},
        )
        builder.save()

# 1. the checkpoint and its meta graph, in a fresh graph
with tf.Graph().as_default() as graph:
    restorer = v1.train.import_meta_graph(prefix + ".meta")
    with v1.Session() as sess:
        restorer.restore(sess, prefix)
        x = graph.get_tensor_by_name("inputs:0")
        probs = v1.get_collection("serving")[0]
        assert probs.name == "probabilities:0" and probs.shape.as_list() == [None, 3]
        got_probs, got_best = sess.run([probs, "best:0"], {x: batch})
np.testing.assert_allclose(got_probs, want_probs, rtol=1e-5)
np.testing.assert_array_equal(got_best, want_best)

# 2. the SavedModel, the TF 1 way
assert os.path.isdir(os.path.join(export_dir, "variables"))
with tf.Graph().as_default():
    with v1.Session() as sess:
        meta = v1.saved_model.loader.load(sess, ["serve"], export_dir)
        sig = meta.signature_def["serving_default"]
        assert sig.method_name == "tensorflow/serving/predict"
        assert sig.inputs["inputs"].name == "inputs:0"
        assert sorted(sig.outputs) == ["best", "probabilities"]
        got = sess.run(
            {k: v.name for k, v in sig.outputs.items()}, {sig.inputs["inputs"].name: batch}
        )
        try:
            v1.saved_model.loader.load(sess, ["train"], export_dir)
            raise AssertionError("a missing tag set loaded")
        except RuntimeError:
            pass
np.testing.assert_allclose(got["probabilities"], want_probs, rtol=1e-5)
np.testing.assert_array_equal(got["best"], want_best)

# 3. the SavedModel, the TF 2 way
serving = tf.saved_model.load(export_dir).signatures["serving_default"]
out = serving(inputs=tf.constant(batch))
np.testing.assert_allclose(out["probabilities"].numpy(), want_probs, rtol=1e-5)
assert out["best"].dtype == tf.int64
np.testing.assert_array_equal(out["best"].numpy(), want_best)

# 4. a graph of tf.keras layers on a placeholder, saved with simple_save
keras_dir = os.path.join(root, "keras_export")
with tf.Graph().as_default():
    pixels = v1.placeholder(tf.float32, [None, 4], name="pixels")
    body = tf.keras.Sequential([tf.keras.layers.Dense(5, activation="tanh")])
    scores = tf.nn.softmax(tf.keras.layers.Dense(3, name="classifier")(body(pixels)), name="scores")
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        want_scores = sess.run(scores, {pixels: batch})
        v1.saved_model.simple_save(sess, keras_dir, {"pixels": pixels}, {"scores": scores})
with tf.Graph().as_default():
    with v1.Session() as sess:
        v1.saved_model.loader.load(sess, [v1.saved_model.tag_constants.SERVING], keras_dir)
        np.testing.assert_allclose(
            sess.run("scores:0", {"pixels:0": batch}), want_scores, rtol=1e-5
        )
keras_serving = tf.saved_model.load(keras_dir).signatures["serving_default"]
got_scores = keras_serving(pixels=tf.constant(batch))["scores"].numpy()
np.testing.assert_allclose(got_scores, want_scores, rtol=1e-5)

print("ok")
