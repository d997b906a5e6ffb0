"""model.save("m.h5"): the legacy full-model HDF5 layout Keras 3 still writes."""

from __future__ import annotations

import json

import numpy as np
import pytest

import gpuflow as tf

h5py = pytest.importorskip("h5py")


def _functional():
    tf.random.set_seed(0)
    inputs = tf.keras.Input((4,))
    h = tf.keras.layers.Dense(8, activation="relu")(inputs)
    h = tf.keras.layers.BatchNormalization()(h)
    outputs = tf.keras.layers.Dense(2, activation="softmax")(h)
    model = tf.keras.Model(inputs, outputs)
    model.compile(
        optimizer=tf.keras.optimizers.Adam(1e-3),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def test_layout_and_round_trip(tmp_path):
    model = _functional()
    x = np.random.default_rng(0).random((8, 4), dtype=np.float32)
    model.fit(x, np.arange(8) % 2, epochs=1, verbose=0)
    expected = model.predict(x, verbose=0)
    path = tmp_path / "m.h5"
    model.save(path)
    with h5py.File(path) as f:
        config = json.loads(f.attrs["model_config"])
        assert config["class_name"] == "Functional"
        training = json.loads(f.attrs["training_config"])
        assert training["optimizer_config"]["class_name"] == "Adam"
        names = [n.decode() for n in f["model_weights"].attrs["layer_names"]]
        assert names == [layer.name for layer in model.layers]
        bn = model.layers[2]
        group = f["model_weights"][bn.name]
        stored = [group[n.decode()][()] for n in group.attrs["weight_names"]]
        weights = bn.trainable_weights + bn.non_trainable_weights
        assert [a.shape for a in stored] == [tuple(w.shape) for w in weights]
        np.testing.assert_array_equal(stored[-1], weights[-1].numpy())  # moving variance
    loaded = tf.keras.models.load_model(path)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), expected, rtol=1e-6, atol=1e-7)
    assert type(loaded.optimizer).__name__ == "Adam"
    np.testing.assert_allclose(
        loaded.evaluate(x, np.arange(8) % 2, verbose=0),
        model.evaluate(x, np.arange(8) % 2, verbose=0),
        rtol=1e-5,
    )


def test_uncompiled_and_without_optimizer(tmp_path):
    model = _functional()
    model.save(tmp_path / "a.h5", include_optimizer=False)
    with h5py.File(tmp_path / "a.h5") as f:
        assert "training_config" not in f.attrs
    assert tf.keras.models.load_model(tmp_path / "a.h5").optimizer is None
    with pytest.raises(FileExistsError):
        model.save(tmp_path / "a.h5", overwrite=False)
    with pytest.raises(ValueError, match=r"save_weights: the filename must end in `\.weights\.h5`"):
        model.save_weights(tmp_path / "w.h5")
