"""tf.compat.v1.saved_model: simple_save / Builder write a TF 1 graph (its recorded ops and
variables); loader.load builds it into a session's graph, and TF 2's tf.saved_model.load
gives its signatures as functions (behaviour checked against TensorFlow 2.21)."""

import os

import numpy as np
import pytest

import gpuflow as tf

v1 = tf.compat.v1


def _export(folder):
    with tf.Graph().as_default():
        x = v1.placeholder(tf.float32, [None, 3], name="x")
        w = v1.get_variable("w", [3, 2], initializer=v1.ones_initializer())
        y = tf.nn.softmax(tf.matmul(x, w) * tf.constant([1.0, 2.0]), name="probs")
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            sess.run(w.assign(w * 0.5))
            expected = sess.run(y, {x: np.ones((2, 3))})
            v1.saved_model.simple_save(sess, folder, inputs={"x": x}, outputs={"probs": y})
    return expected


def test_simple_save_then_loader_load(tmp_path):
    folder = str(tmp_path / "export")
    expected = _export(folder)
    assert sorted(os.listdir(os.path.join(folder, "variables"))) == [
        "variables.data-00000-of-00001",
        "variables.index",
    ]
    with tf.Graph().as_default():
        with v1.Session() as sess:
            meta = v1.saved_model.loader.load(sess, [v1.saved_model.tag_constants.SERVING], folder)
            key = v1.saved_model.signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY
            signature = meta.signature_def[key]
            assert signature.method_name == "tensorflow/serving/predict"
            assert signature.inputs["x"].name == "x:0" and signature.inputs["x"].dtype == 1
            assert [d.size for d in signature.inputs["x"].tensor_shape.dim] == [-1, 3]
            got = sess.run(signature.outputs["probs"].name, {"x:0": np.ones((2, 3))})
            np.testing.assert_allclose(got, expected, rtol=1e-6)
            with pytest.raises(RuntimeError, match="tags 'train' could not be found"):
                v1.saved_model.loader.load(sess, ["train"], folder)
    with pytest.raises(AssertionError, match="already exists, and isn't empty"):
        v1.saved_model.Builder(folder)


def test_tf2_load_gives_the_signatures(tmp_path):
    folder = str(tmp_path / "export")
    expected = _export(folder)
    loaded = tf.saved_model.load(folder)
    out = loaded.signatures["serving_default"](x=tf.constant(np.ones((2, 3), np.float32)))
    assert list(out) == ["probs"] and isinstance(out["probs"], tf.Tensor)
    np.testing.assert_allclose(out["probs"].numpy(), expected, rtol=1e-6)
    assert tf.executing_eagerly()


def test_builder_with_two_tag_sets(tmp_path):
    folder = str(tmp_path / "b")
    with tf.Graph().as_default():
        x = v1.placeholder(tf.float32, [None], name="inp")
        scale = tf.Variable(3.0, name="scale")
        out = tf.multiply(x, scale, name="scaled")
        builder = v1.saved_model.Builder(folder)
        with pytest.raises(AssertionError, match="add_meta_graph_and_variables"):
            builder.add_meta_graph(["train"])
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            sig = v1.saved_model.signature_def_utils.predict_signature_def({"inp": x}, {"o": out})
            builder.add_meta_graph_and_variables(sess, ["serve"], signature_def_map={"p": sig})
            builder.add_meta_graph(["train"], signature_def_map={"p": sig})
        assert isinstance(builder.save(), bytes)
    with tf.Graph().as_default():
        with v1.Session() as sess:
            meta = v1.saved_model.load(sess, ["train"], folder)
            assert list(meta.meta_info_def.tags) == ["train"]
            assert sess.run("scaled:0", {"inp:0": [1.0, 2.0]}).tolist() == [3.0, 6.0]
    with pytest.raises(ValueError, match="Prediction `inputs` cannot be None or empty"):
        v1.saved_model.predict_signature_def({}, {"o": out})


def test_classification_and_regression_signatures():
    with tf.Graph().as_default():
        examples = v1.placeholder(tf.string, [None], name="examples")
        scores = v1.placeholder(tf.float32, [None, 2], name="scores")
        classes = v1.placeholder(tf.string, [None, 2], name="classes")
        sig = v1.saved_model.classification_signature_def(examples, classes, scores)
        assert sig.method_name == "tensorflow/serving/classify"
        assert sorted(sig.outputs) == ["classes", "scores"] and sig.inputs["inputs"].dtype == 7
        reg = v1.saved_model.signature_def_utils.regression_signature_def(examples, scores)
        assert reg.method_name == "tensorflow/serving/regress"
        assert reg.outputs["outputs"].name == "scores:0"
        with pytest.raises(ValueError, match="cannot both be None"):
            v1.saved_model.classification_signature_def(examples, None, None)
        with pytest.raises(ValueError, match="input tensors must be of type string"):
            v1.saved_model.regression_signature_def(scores, scores)
        with pytest.raises(ValueError, match="scores must be a float Tensor"):
            v1.saved_model.classification_signature_def(examples, None, classes)
    constants = v1.saved_model.signature_constants
    assert (constants.CLASSIFY_OUTPUT_CLASSES, constants.REGRESS_OUTPUTS) == ("classes", "outputs")
    assert v1.saved_model.constants.MAIN_OP_KEY == "saved_model_main_op"


def test_a_graph_of_keras_layers_round_trips(tmp_path):
    tf.keras.backend.clear_session()
    folder = str(tmp_path / "keras")
    feed = np.arange(8, dtype=np.float32).reshape(2, 4)
    with tf.Graph().as_default():
        x = v1.placeholder(tf.float32, [None, 4], name="x")
        net = tf.keras.Sequential(
            [tf.keras.layers.Dense(3, activation="relu"), tf.keras.layers.Dense(2)]
        )
        out = tf.nn.softmax(tf.keras.layers.Dense(2, name="head")(net(x)), name="out")
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            expected = sess.run(out, {x: feed})
            v1.saved_model.simple_save(sess, folder, {"x": x}, {"out": out})
    with tf.Graph().as_default():
        with v1.Session() as sess:
            v1.saved_model.loader.load(sess, ["serve"], folder)
            assert [v.name for v in v1.trainable_variables()][-2:] == [
                "head/kernel:0",
                "head/bias:0",
            ]
            np.testing.assert_allclose(sess.run("out:0", {"x:0": feed}), expected, rtol=1e-6)
    serving = tf.saved_model.load(folder).signatures["serving_default"]
    np.testing.assert_allclose(serving(x=tf.constant(feed))["out"].numpy(), expected, rtol=1e-6)
