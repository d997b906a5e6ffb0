"""Saving functional and subclassed models (registered custom layers), under Keras' file names."""

from __future__ import annotations

import json
import zipfile

import numpy as np
import pytest

import gpuflow
from gpuflow import keras
from gpuflow.models import saving

L = keras.layers


@keras.saving.register_keras_serializable(package="saving_test")
class Scale(L.Layer):
    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def build(self, input_shape):
        self.w = self.add_weight(name="w", shape=(input_shape[-1],), initializer="ones")

    def call(self, x):
        return x * self.w * self.factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


@keras.saving.register_keras_serializable(package="saving_test")
class TwoLayer(keras.Model):
    def __init__(self, units=4, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.hidden = L.Dense(units, activation="relu")
        self.out = L.Dense(4, activation="softmax")

    def call(self, x, training=None):
        return self.out(self.hidden(x))

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def _functional():
    inp = keras.Input((20,), name="features")
    h = L.Dense(16, activation="relu")(inp)
    scaled = Scale(0.5)(h)
    merged = L.add([h, scaled])
    out = L.Dense(4, activation="softmax")(merged[:, :] * 1.0)
    return keras.Model(inp, out)


def _fit(model, blobs, epochs=1):
    x, y = blobs
    model.compile(
        optimizer=keras.optimizers.Adam(0.01),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    model.fit(x, y, epochs=epochs, verbose=0, shuffle=False)
    return model


@pytest.mark.parametrize("make", [_functional, lambda: TwoLayer(8)])
def test_round_trip_predictions_and_optimizer_state(make, blobs, tmp_path):
    x, y = blobs
    model = _fit(make(), blobs)
    path = tmp_path / "model.keras"
    model.save(path)
    restored = keras.models.load_model(path)
    assert type(restored) is type(model)
    np.testing.assert_array_equal(model.predict(x, verbose=0), restored.predict(x, verbose=0))
    assert restored.optimizer.iterations == model.optimizer.iterations
    # Training on from the saved state gives the same weights as training on uninterrupted.
    model.fit(x, y, epochs=1, verbose=0, shuffle=False)
    restored.fit(x, y, epochs=1, verbose=0, shuffle=False)
    for a, b in zip(model.get_weights(), restored.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_subclassed_model_built_by_a_call_only(tmp_path):
    model = TwoLayer(3)
    x = np.random.rand(5, 20).astype("float32")
    want = model(x).numpy()
    model.save(tmp_path / "m.keras")
    restored = keras.saving.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(restored(x).numpy(), want, rtol=1e-6)


def test_unregistered_custom_class_needs_custom_objects(blobs, tmp_path):
    class Local(keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.d = L.Dense(4)

        def call(self, x):
            return self.d(x)

    model = Local()
    model(np.ones((1, 20), "float32"))
    model.save(tmp_path / "local.keras")
    with pytest.raises(ValueError, match=r"subclassed model 'Local'; register its class"):
        keras.models.load_model(tmp_path / "local.keras")
    restored = keras.models.load_model(tmp_path / "local.keras", custom_objects={"Local": Local})
    np.testing.assert_array_equal(restored.get_weights()[0], model.get_weights()[0])


def test_load_without_compile(blobs, tmp_path):
    model = _fit(_functional(), blobs)
    model.save(tmp_path / "m.keras")
    restored = keras.models.load_model(tmp_path / "m.keras", compile=False)
    assert restored.optimizer is None


def test_weights_file_with_keras_name(blobs, tmp_path):
    model = _fit(_functional(), blobs)
    model.save_weights(tmp_path / "w.weights.h5")
    other = _functional()
    other.load_weights(tmp_path / "w.weights.h5")
    x, _ = blobs
    np.testing.assert_array_equal(model.predict(x, verbose=0), other.predict(x, verbose=0))
    assert saving.file_format("w.weights.h5") == "h5"
    assert saving.file_format("m.keras") == "keras"
    assert saving.file_format("m.gpuflow") == "gpuflow"
    # gpuflow's own checked archive under any other name: no pickle, a JSON header.
    model.save_weights(tmp_path / "w.gpuflow")
    with zipfile.ZipFile(tmp_path / "w.gpuflow") as archive:
        assert "__meta__.npy" in archive.namelist()


def test_tampered_functional_file_is_refused(blobs, tmp_path):
    model = _fit(_functional(), blobs)
    path = tmp_path / "m.gpuflow"
    model.save(path)
    meta, arrays = saving.read_file(path, "test")
    arrays["weight.0"] = arrays["weight.0"] + 1
    with open(path, "wb") as f:  # a file object: np.savez would append ".npz" to a path
        np.savez(f, __meta__=np.frombuffer(json.dumps(meta).encode(), np.uint8), **arrays)
    with pytest.raises(ValueError, match="SHA-256"):
        keras.models.load_model(path)


def test_to_json_of_subclassed_and_sequential():
    seq = keras.Sequential([keras.Input((3,)), L.Dense(2)])
    again = keras.models.model_from_json(seq.to_json())
    assert isinstance(again, keras.Sequential) and again.input_shape == (None, 3)
    sub = keras.models.model_from_json(TwoLayer(5).to_json())
    assert isinstance(sub, TwoLayer) and sub.units == 5
    with pytest.raises(ValueError, match="not valid JSON"):
        keras.models.model_from_json("{nope")
    assert gpuflow.models.model_from_json is keras.models.model_from_json


def test_nested_models_save_and_reload(tmp_path):
    enc_in = keras.Input((8,))
    encoder = keras.Model(enc_in, L.Dense(2, name="code")(L.Dense(4)(enc_in)), name="encoder")
    decoder = keras.Sequential([keras.Input((2,)), L.Dense(8)], name="decoder")
    inp = keras.Input((8,))
    model = keras.Model(inp, decoder(encoder(inp)))
    x = np.random.rand(16, 8).astype("float32")
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, x, verbose=0)
    model.save(tmp_path / "nested.keras")
    restored = keras.models.load_model(tmp_path / "nested.keras")
    assert [type(layer).__name__ for layer in restored.layers] == [
        "InputLayer",
        "Functional",
        "Sequential",
    ]
    np.testing.assert_array_equal(restored.predict(x, verbose=0), model.predict(x, verbose=0))


def test_model_from_json_reads_what_keras_3_writes():
    # Written by Keras 3.15 (TF 2.21): model.to_json() of Input -> Dense(relu) ->
    # BatchNormalization -> Dense(1); Keras records BatchNormalization's mask argument.
    import pathlib

    path = pathlib.Path(__file__).parent / "data" / "keras315_functional_batchnorm.json"
    text = path.read_text()
    model = keras.models.model_from_json(text)
    assert model.name == "mm" and model.output_shape == (None, 1)
    assert [layer.name for layer in model.layers] == [
        "feat",
        "dense",
        "batch_normalization",
        "dense_1",
    ]
    again = json.loads(model.to_json())
    assert sorted(again) == sorted(json.loads(text))  # the same top-level layout as Keras
