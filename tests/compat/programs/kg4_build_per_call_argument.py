"""A Keras 3 custom layer whose build() takes one shape per call() argument (a_shape for a,
b_shape for b): built eagerly and inside a functional model, its build config, and a
.keras round trip; build arguments that name no call() argument are refused."""

import os
import tempfile

import keras
import numpy as np
import tensorflow as tf


@keras.saving.register_keras_serializable(package="kg4")
class PairMixer(keras.layers.Layer):
    def __init__(self, units=2, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, left_shape, right_shape):
        self.w_left = self.add_weight(shape=(left_shape[-1], self.units), initializer="ones")
        self.w_right = self.add_weight(shape=(right_shape[-1], self.units), initializer="zeros")

    def call(self, left, right):
        return tf.matmul(left, self.w_left) + tf.matmul(right, self.w_right)

    def get_config(self):
        return {**super().get_config(), "units": self.units}


mixer = PairMixer(3)
out = mixer(tf.ones((2, 4)), tf.ones((2, 6)))
assert out.shape == (2, 3)
np.testing.assert_allclose(out.numpy(), np.full((2, 3), 4.0))
assert [tuple(w.shape) for w in mixer.weights] == [(4, 3), (6, 3)]
assert mixer.get_build_config() == {"shapes_dict": {"left_shape": (2, 4), "right_shape": (2, 6)}}

left_in, right_in = keras.Input((5,)), keras.Input((2,))
joined = PairMixer(4, name="mix")(left_in, right_in)
assert tuple(joined.shape) == (None, 4)
model = keras.Model([left_in, right_in], joined)
layer = model.get_layer("mix")
assert layer.get_build_config() == {
    "shapes_dict": {"left_shape": (None, 5), "right_shape": (None, 2)}
}
layer.w_right.assign(np.full((2, 4), 0.5, "float32"))
x = [np.arange(10, dtype="float32").reshape(2, 5), np.ones((2, 2), "float32")]
expected = model.predict(x, verbose=0)
np.testing.assert_allclose(expected[:, 0], [11.0, 36.0])

path = os.path.join(tempfile.mkdtemp(), "pair.keras")
model.save(path)
restored = keras.saving.load_model(path)
np.testing.assert_allclose(restored.predict(x, verbose=0), expected)

fresh = PairMixer(1)
fresh.build_from_config({"shapes_dict": {"left_shape": (None, 7), "right_shape": (None, 3)}})
assert [tuple(w.shape) for w in fresh.weights] == [(7, 1), (3, 1)]


class Misnamed(keras.layers.Layer):
    def build(self, inputs_shape, other_shape):
        pass

    def call(self, inputs):
        return inputs


try:
    Misnamed()(tf.ones((1, 2)))
    raise AssertionError("a build argument naming no call() argument was accepted")
except ValueError as err:
    assert "`call()` does not have argument `other`" in str(err), err


# a mistake in the layer's own build_from_config reaches the caller as that layer's error
@keras.saving.register_keras_serializable(package="kg4")
class TypoRebuild(keras.layers.Layer):
    def build(self, input_shape):
        self.scale = self.add_weight(shape=(input_shape[-1],), initializer="ones")

    def call(self, x):
        return x * self.scale

    def build_from_config(self, config):
        self.build(config["shape"])


typo_path = os.path.join(tempfile.mkdtemp(), "typo.keras")
keras.Sequential([keras.Input((3,)), TypoRebuild()]).save(typo_path)
try:
    keras.saving.load_model(typo_path)
    raise AssertionError("the broken build_from_config went unnoticed")
except KeyError as err:
    assert "shape" in str(err), err

print("kg4_build_per_call_argument OK")
