"""Layer.get_build_config / build_from_config (Keras 3): the input shape a layer was built
with, and building a fresh layer from it."""

import numpy as np
import pytest

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


class _TwoInputs(keras.layers.Layer):
    """A Keras 3 layer whose build takes one shape per call() argument."""

    def build(self, a_shape, b_shape):
        self.wa = self.add_weight(shape=(a_shape[-1], 3), initializer="ones")
        self.wb = self.add_weight(shape=(b_shape[-1], 3), initializer="ones")

    def call(self, a, b):
        return keras.ops.matmul(a, self.wa) + keras.ops.matmul(b, self.wb)


def test_build_with_several_arguments_gets_each_call_argument_shape():
    layer = _TwoInputs()
    out = layer(np.ones((2, 4), np.float32), np.full((2, 5), 2.0, np.float32))
    assert [tuple(w.shape) for w in layer.weights] == [(4, 3), (5, 3)]
    np.testing.assert_allclose(out.numpy(), np.full((2, 3), 14.0))
    assert layer.get_build_config() == {"shapes_dict": {"a_shape": (2, 4), "b_shape": (2, 5)}}
    clone = _TwoInputs()
    clone.build_from_config({"shapes_dict": {"a_shape": (None, 6), "b_shape": (None, 2)}})
    assert [tuple(w.shape) for w in clone.weights] == [(6, 3), (2, 3)]


def test_build_with_several_arguments_on_symbolic_inputs():
    a, b = keras.Input((4,)), keras.Input((5,))
    layer = _TwoInputs()
    out = layer(a, b)
    assert tuple(out.shape) == (None, 3)
    assert layer.get_build_config() == {"shapes_dict": {"a_shape": (None, 4), "b_shape": (None, 5)}}


def test_build_arguments_must_name_call_arguments():
    class NoSuffix(keras.layers.Layer):
        def build(self, input_shape, layer_init):
            self.w = self.add_weight(shape=(input_shape[-1], 2), initializer=layer_init)

        def call(self, input):
            return input

    class Unknown(keras.layers.Layer):
        def build(self, x_shape, y_shape):
            pass

        def call(self, x):
            return x

    with pytest.raises(ValueError, match="does not end in `_shape`"):
        NoSuffix()(np.ones((1, 2), np.float32))
    with pytest.raises(ValueError, match="`call\\(\\)` does not have argument `y`"):
        Unknown()(np.ones((1, 2), np.float32))
    # built by hand, the extra argument is recorded as Keras records it
    layer = NoSuffix()
    layer.build((None, 3), layer_init="zeros")
    assert layer.get_build_config() == {
        "shapes_dict": {"input_shape": (None, 3), "layer_init": "zeros"}
    }
