"""Layer.get_build_config / build_from_config (Keras 3): the input shape a layer was built
with, and building a fresh layer from it."""

import numpy as np

import gpuflow.keras as keras


def test_round_trip_builds_the_same_weights():
    layer = keras.layers.Dense(3)
    assert layer.get_build_config() is None
    layer(np.ones((2, 4), np.float32))
    assert layer.get_build_config() == {"input_shape": (2, 4)}
    clone = keras.layers.Dense.from_config(layer.get_config())
    clone.build_from_config(layer.get_build_config())
    assert clone.built and tuple(clone.kernel.shape) == (4, 3)
    clone.set_weights(layer.get_weights())
    x = np.random.default_rng(0).normal(size=(5, 4)).astype(np.float32)
    np.testing.assert_allclose(clone(x).numpy(), layer(x).numpy())


def test_empty_config_leaves_the_layer_unbuilt():
    layer = keras.layers.Dense(3)
    layer.build_from_config(None)
    assert not layer.built


def test_add_variable_path_and_input_dtype():
    class Scale(keras.layers.Layer):
        def build(self, input_shape):
            self.scale = self.add_variable((input_shape[-1],), "ones", name="scale")
            self.offset = self.add_variable(
                (input_shape[-1],), "zeros", trainable=False, constraint="non_neg"
            )

        def call(self, x):
            return x * self.scale + self.offset

    layer = Scale(name="scale_layer")
    y = layer(np.full((2, 3), 2.0, np.float32))
    np.testing.assert_allclose(y.numpy(), np.full((2, 3), 2.0))
    assert len(layer.trainable_weights) == 1 and len(layer.non_trainable_weights) == 1
    assert layer.scale.path == "scale_layer/scale"
    assert layer.offset.constraint is not None
    assert layer.path == "scale_layer" and layer.input_dtype == "float32"
