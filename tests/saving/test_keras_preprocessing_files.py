"""Keras 3 preprocessing in .keras files (tests/saving/reference, made by
make_preprocessing_files.py): a FeatureSpace Keras wrote loads and encodes as Keras did,
vocabularies from its assets; one gpuflow writes uses Keras' config and weights layout
(Keras 3 loads it: checked by hand with TensorFlow 2.21) and loads back; a functional model
over adapted lookups, TextVectorization and hashing layers predicts as Keras did."""

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

import gpuflow as tf

h5py = pytest.importorskip("h5py")
REF = Path(__file__).parent / "reference"
EXPECTED = np.load(REF / "feature_space_expected.npz")
SAMPLE = {k[2:]: EXPECTED[k] for k in EXPECTED.files if k.startswith("x_")}


def _check(space):
    out = space(SAMPLE)
    names = sorted(k[2:] for k in EXPECTED.files if k.startswith("y_"))
    assert sorted(out) == names
    for name in names:
        np.testing.assert_allclose(out[name].numpy(), EXPECTED[f"y_{name}"], atol=1e-5)


def test_keras_written_feature_space_loads():
    space = tf.keras.models.load_model(REF / "feature_space.keras")
    assert isinstance(space, tf.keras.utils.FeatureSpace)
    assert space.preprocessors["thal"].vocabulary_size() == 4  # from the asset
    assert space.preprocessors["sex"].vocabulary_size() == 3
    _check(space)
    assert tuple(space.get_encoded_features()["sex_X_age"].shape) == (None, 8)


def test_gpuflow_written_file_has_keras_layout(tmp_path):
    space = tf.keras.models.load_model(REF / "feature_space.keras")
    space.save(tmp_path / "again.keras")
    with zipfile.ZipFile(tmp_path / "again.keras") as archive:
        config = json.loads(archive.read("config.json"))
        archive.extract("model.weights.h5", tmp_path)
    assert (config["module"], config["class_name"]) == ("keras.utils", "FeatureSpace")
    feature = config["config"]["features"]["chol"]
    assert feature["module"] == "keras.src.layers.preprocessing.feature_space"
    age = config["config"]["features"]["age"]["config"]["preprocessor"]
    assert age["class_name"] == "Discretization" and "trainable" not in age["config"]
    with h5py.File(tmp_path / "model.weights.h5") as h5:
        assert h5["preprocessors/normalization/vars/0"].shape == (1,)  # the mean
        assert "crossers/hashed_crossing" in h5
    _check(tf.keras.models.load_model(tmp_path / "again.keras"))


def test_keras_written_preprocessing_model_loads():
    # adapted lookups and TextVectorization: Keras keeps their vocabularies as assets and
    # their sizes in the config, which gives the encodings' widths before the assets load
    expected = np.load(REF / "preprocessing_expected.npz")
    model = tf.keras.models.load_model(REF / "preprocessing.keras")
    x = {k[2:]: expected[k] for k in expected.files if k.startswith("x_")}
    np.testing.assert_allclose(model(x).numpy(), expected["y"], rtol=1e-5)
    lookup = next(layer for layer in model.layers if type(layer).__name__ == "IntegerLookup")
    assert lookup.get_vocabulary() == [-1, 5, 3]
