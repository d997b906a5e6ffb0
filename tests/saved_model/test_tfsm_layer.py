"""keras.layers.TFSMLayer: an exported SavedModel reloaded as a layer (its variables its
weights, fine-tunable), endpoint errors and safe-mode config loading."""

import numpy as np
import pytest

import gpuflow as tf
from gpuflow import keras


@pytest.fixture
def exported(tmp_path):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    path = str(tmp_path / "artifact")
    model.export(path, verbose=False)
    return model, path


def test_call_equals_the_exported_model(exported):
    model, path = exported
    layer = keras.layers.TFSMLayer(path)
    x = np.random.default_rng(0).random((4, 3)).astype("float32")
    np.testing.assert_allclose(layer(x).numpy(), model(x).numpy(), rtol=1e-6)
    out = keras.layers.TFSMLayer(path, call_endpoint="serving_default")(x)
    np.testing.assert_allclose(out["output_0"].numpy(), model(x).numpy(), rtol=1e-6)


def test_weights_are_the_savedmodels_variables_and_train(exported):
    _, path = exported
    layer = keras.layers.TFSMLayer(path)
    assert sorted(tuple(w.shape) for w in layer.trainable_weights) == [(2,), (3, 2)]
    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.layers.Dense(1)(layer(inputs)))
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    before = [w.numpy().copy() for w in layer.trainable_weights]
    rng = np.random.default_rng(1)
    model.fit(rng.random((16, 3)), rng.random((16, 1)), epochs=2, verbose=0)
    after = [w.numpy() for w in layer.trainable_weights]
    assert any(not np.allclose(a, b) for a, b in zip(before, after))
    frozen = keras.layers.TFSMLayer(path, trainable=False)
    assert frozen.trainable_weights == [] and len(frozen.non_trainable_weights) == 2


def test_unknown_endpoint_lists_the_available_ones(exported):
    _, path = exported
    with pytest.raises(ValueError, match=r"endpoint 'nope'.*\['serve', 'serving_default'\]"):
        keras.layers.TFSMLayer(path, call_endpoint="nope")
    with pytest.raises(ValueError, match="endpoint 'train'"):
        keras.layers.TFSMLayer(path, call_training_endpoint="train")


def test_from_config_needs_unsafe_mode(exported):
    _, path = exported
    config = keras.layers.TFSMLayer(path).get_config()
    assert config["filepath"] == path and config["call_endpoint"] == "serve"
    with pytest.raises(ValueError, match="disallowed by default"):
        keras.layers.TFSMLayer.from_config(config)
    layer = keras.layers.TFSMLayer.from_config(config, safe_mode=False)
    assert layer(tf.ones((1, 3))).shape == (1, 2)


def test_tf_saved_model_save_of_a_keras_model_gives_its_weights(tmp_path):
    # TF 2.21: TFSMLayer over tf.saved_model.save(model) lists the model's variables,
    # trainable first (the BatchNormalization moving statistics last), and trains them
    inputs = keras.Input((3,))
    x = keras.layers.BatchNormalization()(keras.layers.Dense(4)(inputs))
    model = keras.Model(inputs, keras.layers.Dense(2)(x))
    tf.saved_model.save(model, str(tmp_path / "sm"))
    layer = keras.layers.TFSMLayer(str(tmp_path / "sm"), call_endpoint="serving_default")
    shapes = [tuple(v.shape) for v in layer.trainable_weights]
    assert shapes == [(3, 4), (4,), (4,), (4,), (4, 2), (2,)]
    assert [tuple(v.shape) for v in layer.non_trainable_weights] == [(4,), (4,)]
    ones = np.ones((2, 3), "float32")
    with tf.GradientTape() as tape:
        total = tf.reduce_sum(layer(ones)["output_0"])
    assert all(g is not None for g in tape.gradient(total, layer.trainable_weights))
    frozen = keras.layers.TFSMLayer(
        str(tmp_path / "sm"), call_endpoint="serving_default", trainable=False
    )
    assert frozen.trainable_weights == [] and len(frozen.non_trainable_weights) == 8
