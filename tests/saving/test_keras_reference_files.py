"""Keras-3-written reference files (tests/saving/reference, made by make_keras_files.py with real
Keras) load in gpuflow without TensorFlow and predict what Keras predicted."""

from pathlib import Path

import numpy as np
import pytest

import gpuflow as tf

pytest.importorskip("h5py")
REF = Path(__file__).parent / "reference"
EXPECTED = np.load(REF / "expected.npz")


def _predict(model, name):
    if name == "two_input":  # predict() on a list of inputs: the trainer branch's (issue 12)
        return model(_inputs(name), training=False).numpy()
    return model.predict(_inputs(name), verbose=0)


def _inputs(name):
    if name == "two_input":
        return [EXPECTED["two_input_a"], EXPECTED["two_input_b"]]
    return EXPECTED[f"{name}_x"]


@pytest.mark.parametrize(
    "name", ["mlp", "cnn", "two_input", "lstm_text", "gru_text", "wrapped", "objects"]
)
def test_keras_archive_loads_and_predicts_as_keras(name):
    model = tf.keras.models.load_model(REF / f"{name}.keras")
    got = _predict(model, name)
    np.testing.assert_allclose(got, EXPECTED[f"{name}_y"], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    "name, optimizer, slots",
    [
        ("two_input", "RMSprop", ("velocity",)),
        ("lstm_text", "Adam", ("m", "v")),
        ("objects", "Adam", ("m", "v")),
        ("mlp", "SGD", ()),
    ],
)
def test_optimizer_state_is_restored(name, optimizer, slots):
    model = tf.keras.models.load_model(REF / f"{name}.keras")
    assert type(model.optimizer).__name__ == optimizer
    assert int(model.optimizer.iterations) == 1
    state = model.optimizer.get_state(model.trainable_variables)
    for slot in slots:  # one training step moved every slot off zero
        assert any(np.any(state[f"{i}/{slot}"] != 0) for i in range(len(model.trainable_variables)))


def test_compile_false_leaves_the_model_uncompiled():
    model = tf.keras.models.load_model(REF / "lstm_text.keras", compile=False)
    assert model.optimizer is None


@pytest.mark.parametrize("name", ["mlp", "two_input"])
def test_legacy_h5_full_model(name):
    model = tf.keras.models.load_model(REF / f"{name}.h5")
    np.testing.assert_allclose(_predict(model, name), EXPECTED[f"{name}_y"], rtol=1e-5, atol=1e-6)


def test_keras_weights_file_into_a_gpuflow_model():
    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(784,)),
            tf.keras.layers.Dense(32, activation="relu"),
            tf.keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.load_weights(REF / "mlp.weights.h5")
    np.testing.assert_allclose(
        model.predict(EXPECTED["mlp_x"], verbose=0), EXPECTED["mlp_y"], rtol=1e-5, atol=1e-6
    )


def test_weights_of_another_architecture_are_refused():
    model = tf.keras.Sequential(
        [tf.keras.Input(shape=(784,)), tf.keras.layers.Dense(16), tf.keras.layers.Dense(10)]
    )
    with pytest.raises(tf.saving.FileFormatError, match=r"shape \(784, 32\).*\(784, 16\)"):
        model.load_weights(REF / "mlp.weights.h5")


def test_legacy_h5_weights_into_a_gpuflow_model():
    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(784,)),
            tf.keras.layers.Dense(32, activation="relu", name="dense"),
            tf.keras.layers.Dense(10, activation="softmax", name="dense_1"),
        ]
    )
    model.load_weights(REF / "mlp.h5")  # matched by layer name, as tf.keras 2
    np.testing.assert_allclose(
        model.predict(EXPECTED["mlp_x"], verbose=0), EXPECTED["mlp_y"], rtol=1e-5, atol=1e-6
    )


def test_weights_file_is_not_a_model_file():
    with pytest.raises(tf.saving.FileFormatError, match="holds weights only"):
        tf.keras.models.load_model(REF / "mlp.weights.h5")
