"""Keras models as SavedModels: tf.saved_model.save, model.export and ExportArchive; loaded
endpoints against the original model on other batch sizes, and their gradients."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf

keras = tf.keras
rng = np.random.default_rng(7)


def _models():
    cnn = keras.Sequential(
        [
            keras.Input((6, 6, 2)),
            keras.layers.Conv2D(3, 3, activation="relu"),
            keras.layers.MaxPooling2D(),
            keras.layers.Flatten(),
            keras.layers.Dense(2),
        ]
    )
    rnn = keras.Sequential([keras.Input((4, 3)), keras.layers.LSTM(5), keras.layers.Dense(1)])
    emb = keras.Sequential(
        [
            keras.Input((6,), dtype="int32"),
            keras.layers.Embedding(10, 4),
            keras.layers.GlobalAveragePooling1D(),
            keras.layers.Dense(2, activation="softmax"),
        ]
    )
    return [
        (cnn, rng.normal(size=(5, 6, 6, 2)).astype("float32")),
        (rnn, rng.normal(size=(5, 4, 3)).astype("float32")),
        (emb, rng.integers(0, 10, size=(5, 6)).astype("int32")),
    ]


@pytest.mark.parametrize("index", [0, 1, 2], ids=["cnn", "lstm", "embedding"])
def test_export_serves_every_batch_size_and_differentiates(tmp_path, index):
    model, x = _models()[index]
    model.export(tmp_path / "m", verbose=False)
    loaded = tf.saved_model.load(tmp_path / "m")
    for n in (1, 2, 5):
        np.testing.assert_allclose(loaded.serve(x[:n]).numpy(), model(x[:n]).numpy(), atol=1e-5)
    assert len(loaded.trainable_variables) == len(model.trainable_variables)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(loaded.serve(x) ** 2)
    grads = tape.gradient(loss, loaded.trainable_variables)
    with tf.GradientTape() as tape:
        loss_ref = tf.reduce_sum(model(x) ** 2)
    grads_ref = tape.gradient(loss_ref, model.trainable_variables)
    for g, g_ref in zip(grads, grads_ref):  # an embedding's may be IndexedSlices, as TF's
        g, g_ref = tf.convert_to_tensor(g), tf.convert_to_tensor(g_ref)
        np.testing.assert_allclose(g.numpy(), g_ref.numpy(), atol=1e-5)


def test_export_of_a_subclassed_model_serves_any_batch_size(tmp_path):
    class Head(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(2)

        def call(self, x):
            return self.dense(x)

    model = Head()
    x = rng.normal(size=(8, 3)).astype("float32")
    model(x)  # the first call records batch 8; export takes any batch (Keras 3)
    model.export(tmp_path / "m", verbose=False)
    loaded = tf.saved_model.load(tmp_path / "m")
    for n in (1, 3, 8):
        np.testing.assert_allclose(loaded.serve(x[:n]).numpy(), model(x[:n]).numpy(), atol=1e-6)
    tf.saved_model.save(model, tmp_path / "s")  # saved_model.save keeps the recorded shape
    sig = tf.saved_model.load(tmp_path / "s").signatures["serving_default"]
    assert sig.structured_input_signature[1]["inputs"].shape == (8, 3)


def test_saved_model_save_of_a_functional_model(tmp_path):
    inputs = keras.Input((3,), name="features")
    outputs = keras.layers.Dense(2, activation="tanh")(keras.layers.Dense(4)(inputs))
    model = keras.Model(inputs, outputs)
    x = rng.normal(size=(3, 3)).astype("float32")
    tf.saved_model.save(model, tmp_path / "m")
    loaded = tf.saved_model.load(tmp_path / "m")
    serve = loaded.signatures["serving_default"]
    (name,) = serve.structured_input_signature[1]
    assert name == "inputs"  # TensorFlow names it by the call's argument
    assert tuple(serve.structured_outputs["output_0"].shape) == (None, 2)
    np.testing.assert_allclose(serve(inputs=x)["output_0"].numpy(), model(x).numpy(), atol=1e-6)
    np.testing.assert_allclose(serve(x[:1])["output_0"].numpy(), model(x[:1]).numpy(), atol=1e-6)
    with pytest.raises(TypeError, match="unexpected or repeated argument 'features'"):
        serve(features=x)


def test_export_signature_names_inputs_by_the_model_inputs(tmp_path):
    inputs = keras.Input((3,), name="features")
    model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
    model.export(tmp_path / "m", verbose=False)
    loaded = tf.saved_model.load(tmp_path / "m")
    assert sorted(loaded.signatures) == ["serve", "serving_default"]
    x = np.ones((2, 3), "float32")
    out = loaded.signatures["serving_default"](features=x)
    np.testing.assert_allclose(out["output_0"].numpy(), model(x).numpy(), atol=1e-6)


def test_export_of_a_two_input_model_flattens_the_signature(tmp_path):
    # the serve endpoint takes the list; serving_default one keyword per Input (TF's
    # signatures take flat tensors), which failed with "must take tensors only" before
    a_in, b_in = tf.keras.Input((3,), name="a"), tf.keras.Input((2,), name="b")
    joined = tf.keras.layers.Concatenate()([a_in, b_in])
    model = tf.keras.Model([a_in, b_in], tf.keras.layers.Dense(1)(joined))
    a, b = np.ones((4, 3), "float32"), np.full((4, 2), 2.0, "float32")
    expected = model.predict([a, b], verbose=0)
    model.export(str(tmp_path / "m"), verbose=False)
    loaded = tf.saved_model.load(str(tmp_path / "m"))
    np.testing.assert_allclose(loaded.serve([a, b]).numpy(), expected, rtol=1e-6)
    infer = loaded.signatures["serving_default"]
    assert sorted(infer.structured_input_signature[1]) == ["a", "b"]
    np.testing.assert_allclose(infer(a=a, b=b)["output_0"].numpy(), expected, rtol=1e-6)


def test_export_prints_the_endpoints(tmp_path, capsys):
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.export(tmp_path / "m")
    out = capsys.readouterr().out
    assert f"Saved artifact at '{tmp_path / 'm'}'" in out and "* Endpoint 'serve'" in out


def test_export_archive_endpoints_and_collections(tmp_path):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    archive = keras.export.ExportArchive()
    archive.track(model)
    archive.add_endpoint(
        "double", lambda t: model(t) * 2.0, input_signature=[tf.TensorSpec((None, 3))]
    )
    archive.add_variable_collection("kernels", [model.layers[0].kernel])
    archive.write_out(tmp_path / "m", verbose=False)
    loaded = tf.saved_model.load(tmp_path / "m")
    x = rng.normal(size=(4, 3)).astype("float32")
    np.testing.assert_allclose(loaded.double(x).numpy(), model(x).numpy() * 2, atol=1e-6)
    assert sorted(loaded.signatures) == ["double", "serving_default"]
    np.testing.assert_array_equal(loaded.kernels[0].numpy(), model.layers[0].kernel.numpy())


def test_export_archive_errors():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    archive = keras.export.ExportArchive()
    with pytest.raises(ValueError, match="No endpoints have been set yet"):
        archive.write_out("unused")
    with pytest.raises(ValueError, match="must provide an `input_signature`"):
        archive.add_endpoint("call", lambda t: model(t))
    with pytest.raises(ValueError, match="has never been called"):
        archive.add_endpoint("call", tf.function(lambda t: model(t)))
    archive.add_endpoint("call", lambda t: t, input_signature=[tf.TensorSpec((None, 3))])
    with pytest.raises(ValueError, match="Endpoint name 'call' is already taken"):
        archive.add_endpoint("call", lambda t: t, input_signature=[tf.TensorSpec((None, 3))])
    with pytest.raises(ValueError, match="Expected `variables` to be a list/tuple/set"):
        archive.add_variable_collection("v", model.layers[0].kernel)
    with pytest.raises(ValueError, match="not yet been built"):
        archive.track(keras.layers.Dense(2))


def test_other_export_formats_are_refused(tmp_path):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="format='litert' or format='onnx'"):
        model.export(tmp_path / "m", format="openvino")


def test_loaded_variable_names_follow_tensorflow(tmp_path):
    # TensorFlow 2.21 loads a Dense layer 'd''s kernel as 'd/kernel:0' (checked in tfvenv)
    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.layers.Dense(2, name="d")(inputs))
    model.export(tmp_path / "m", verbose=False)
    loaded = tf.saved_model.load(tmp_path / "m")
    assert [v.name for v in loaded.variables] == ["d/kernel:0", "d/bias:0"]


class _OneStep(keras.Model):
    """The text-generation tutorial's shape: a subclass never called, saved for its
    traced tf.function method."""

    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(3)

    @tf.function
    def generate_one_step(self, inputs, states=None):
        if states is None:
            states = tf.zeros_like(inputs)
        return self.dense(inputs), states + 1.0


def test_subclass_never_called_saves_its_traced_methods_without_a_signature(tmp_path):
    model = _OneStep()
    x = tf.constant([[1.0, 2.0]])
    out, states = model.generate_one_step(x)
    model.generate_one_step(x, states=states)
    tf.saved_model.save(model, str(tmp_path / "m"))  # as TensorFlow: no serving_default
    loaded = tf.saved_model.load(str(tmp_path / "m"))
    assert list(loaded.signatures.keys()) == []
    again, s1 = loaded.generate_one_step(x)
    _, s2 = loaded.generate_one_step(x, states=s1)
    np.testing.assert_allclose(again.numpy(), out.numpy(), atol=1e-6)
    np.testing.assert_array_equal(s2.numpy(), [[2.0, 2.0]])


def test_model_export_still_needs_known_inputs(tmp_path):
    with pytest.raises(ValueError, match="no known input shape"):
        _OneStep().export(str(tmp_path / "m"), verbose=False)
