"""A layer's own assets (save_assets / load_assets) kept in a .keras archive, Keras 3's
default save_own_variables / load_own_variables, and training passed only to a call that
names it."""

import os
import zipfile

import numpy as np
import pytest

import gpuflow as tf
from gpuflow import keras


@keras.saving.register_keras_serializable(package="assets_test")
class Vocab(keras.layers.Dense):
    def __init__(self, vocab=None, **kwargs):
        super().__init__(**kwargs)
        self.vocab = vocab

    def save_assets(self, inner_path):
        with open(os.path.join(inner_path, "vocabulary.txt"), "w") as f:
            f.write(self.vocab)
        os.makedirs(os.path.join(inner_path, "more"))
        with open(os.path.join(inner_path, "more", "extra.bin"), "wb") as f:
            f.write(b"\x00\x01")

    def load_assets(self, inner_path):
        with open(os.path.join(inner_path, "vocabulary.txt")) as f:
            self.vocab = f.read().replace("<unk>", "little")
        with open(os.path.join(inner_path, "more", "extra.bin"), "rb") as f:
            self.extra = f.read()

    def call(self, inputs, *args, **kwargs):  # no training parameter: none is passed
        return super().call(inputs, *args, **kwargs)


def test_assets_round_trip_through_the_archive(tmp_path):
    model = keras.Sequential([keras.Input((2,)), Vocab(vocab="a <unk> lamb", units=3)])
    x = np.random.default_rng(0).random((4, 2)).astype("float32")
    path = tmp_path / "m.keras"
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
    assert "assets/layers/vocab/vocabulary.txt" in names
    assert "assets/layers/vocab/more/extra.bin" in names
    restored = keras.models.load_model(path)
    assert restored.layers[-1].vocab == "a little lamb"
    assert restored.layers[-1].extra == b"\x00\x01"
    np.testing.assert_allclose(restored.predict(x, verbose=0), model.predict(x, verbose=0))


def test_default_own_variables_store_round_trip():
    layer = keras.layers.Dense(2)
    layer.build((None, 3))
    store = {}
    layer.save_own_variables(store)
    assert sorted(store) == ["0", "1"] and store["0"].shape == (3, 2)
    other = keras.layers.Dense(2)
    other.build((None, 3))
    other.load_own_variables(store)
    np.testing.assert_array_equal(other.kernel.numpy(), layer.kernel.numpy())
    with pytest.raises(ValueError, match="expected 2 variables, but received 1"):
        other.load_own_variables({"0": store["0"]})


def test_overridden_save_and_load_own_variables_are_called(tmp_path):
    # as Keras 3: the .keras file and the .weights.h5 file hold what the layer's own
    # save_own_variables stored, and loading hands that store to its load_own_variables
    @keras.saving.register_keras_serializable(package="assets_test")
    class Extra(keras.layers.Dense):
        def __init__(self, units, **kwargs):
            super().__init__(units, **kwargs)
            self.scale = tf.Variable(np.full((3,), 2.0, "float32"))  # not a layer weight

        def save_own_variables(self, store):
            super().save_own_variables(store)
            store["scale"] = self.scale.numpy()

        def load_own_variables(self, store):
            self.seen = sorted(store.keys())
            self.scale.assign(store["scale"])
            for i, variable in enumerate(self.weights):
                variable.assign(store[f"{i}"])

        def call(self, inputs):
            return super().call(inputs) * self.scale

    model = keras.Sequential([keras.Input((2,)), Extra(3)])
    model.layers[0].scale.assign([1.0, 3.0, 5.0])
    x = np.arange(8, dtype="float32").reshape(4, 2)
    model.save(tmp_path / "e.keras")
    with zipfile.ZipFile(tmp_path / "e.keras") as archive:
        archive.extract("model.weights.h5", tmp_path)
    import h5py

    with h5py.File(tmp_path / "model.weights.h5", "r") as h5:
        assert sorted(h5["layers/extra/vars"].keys()) == ["0", "1", "scale"]
    restored = keras.models.load_model(tmp_path / "e.keras")
    assert restored.layers[0].seen == ["0", "1", "scale"]
    np.testing.assert_array_equal(restored.layers[0].scale.numpy(), [1.0, 3.0, 5.0])
    np.testing.assert_allclose(restored(x).numpy(), model(x).numpy(), rtol=1e-6)

    model.save_weights(tmp_path / "e.weights.h5")
    fresh = keras.Sequential([keras.Input((2,)), Extra(3)])
    fresh.load_weights(tmp_path / "e.weights.h5")
    np.testing.assert_allclose(fresh(x).numpy(), model(x).numpy(), rtol=1e-6)


def test_training_reaches_only_calls_that_name_it():
    seen = {}

    class Named(keras.layers.Layer):
        def call(self, inputs, training=None):
            seen["named"] = training
            return inputs

    class Bare(keras.layers.Layer):
        def call(self, inputs, **kwargs):
            seen["bare"] = dict(kwargs)
            return inputs

    x = tf.ones((1, 2))
    Named()(x, training=True)
    Bare()(x, training=True)
    assert seen == {"named": True, "bare": {}}
