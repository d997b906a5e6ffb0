"""model.layers and model.operations of a functional model with wrapped ops (Keras 3)."""

import numpy as np

import gpuflow as tf


def _model():
    inp = tf.keras.Input((4,), name="features")
    x = tf.keras.layers.Dense(3, name="first")(inp)
    y = x * 2 + 1
    z = tf.keras.layers.Dense(2, name="last")(y)
    return tf.keras.Model(inp, z)


def test_layers_leave_out_wrapped_ops_and_operations_keep_them():
    model = _model()
    assert [layer.name for layer in model.layers] == ["features", "first", "last"]
    assert [type(op).__name__ for op in model.operations] == [
        "InputLayer",
        "Dense",
        "TFOpLambda",
        "TFOpLambda",
        "Dense",
    ]
    assert model.get_layer(index=2).name == "last"


def test_a_model_with_wrapped_ops_round_trips_through_its_config():
    model = _model()
    x = np.random.default_rng(0).random((5, 4)).astype("float32")
    copy = tf.keras.Model.from_config(model.get_config())
    copy.set_weights(model.get_weights())
    np.testing.assert_allclose(copy(x).numpy(), model(x).numpy(), rtol=1e-6)
    assert [layer.name for layer in copy.layers] == ["features", "first", "last"]
