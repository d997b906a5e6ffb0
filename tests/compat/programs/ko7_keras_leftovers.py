"""Small Keras 3 behaviours: rank-1 inputs to normalization layers and Masking, float
tokens for IntegerLookup, when an unknown loss name fails, optimizer / metric variable
dtypes, Loss(reduction=None), and a call() that requires `training`."""

import numpy as np
import tensorflow as tf
from tensorflow import keras

# --- rank-1 inputs -------------------------------------------------------------------
features = np.arange(5.0, dtype="float32")
bn = keras.layers.BatchNormalization()
np.testing.assert_allclose(bn(features).numpy(), features / np.sqrt(1.001), rtol=1e-5)
assert [tuple(w.shape) for w in bn.weights] == [(5,)] * 4
np.testing.assert_array_equal(bn(features, training=True).numpy(), np.zeros(5))
np.testing.assert_allclose(bn.moving_mean.numpy(), 0.01 * features, rtol=1e-5)

ln = keras.layers.LayerNormalization(epsilon=1e-6)
np.testing.assert_allclose(ln(features).numpy(), (features - 2) / np.sqrt(2), rtol=1e-4)
by_rows = keras.layers.LayerNormalization(axis=0)(np.array([[1.0, 2.0], [3.0, 6.0]]))
np.testing.assert_allclose(by_rows.numpy(), [[-1.0, -1.0], [1.0, 1.0]], atol=1e-2)

masked = keras.layers.Masking(mask_value=-1.0)(np.array([-1.0, 4.0], "float32"))
np.testing.assert_array_equal(masked.numpy(), [-1.0, 4.0])
assert bool(masked._keras_mask.numpy())

# --- IntegerLookup on float tokens ---------------------------------------------------
lookup = keras.layers.IntegerLookup(vocabulary=[10, 20, 30])
ids = lookup(np.array([20.0, 25.0, 30.0]))
assert ids.dtype == tf.int64
np.testing.assert_array_equal(ids.numpy(), [2, 0, 3])
back = keras.layers.IntegerLookup(vocabulary=[10, 20, 30], invert=True)
np.testing.assert_array_equal(back(np.array([1, 3, 7])).numpy(), [10, 30, -1])

# --- an unknown loss name fails at fit, not at compile -------------------------------
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
model.compile(optimizer="sgd", loss="mean_squared_errorr")
assert model.predict(np.ones((2, 3)), verbose=0).shape == (2, 2)
try:
    model.fit(np.ones((2, 3)), np.ones((2, 2)), verbose=0)
    raise AssertionError("fit accepted an unknown loss")
except ValueError as err:
    assert "Could not interpret loss identifier" in str(err)

# --- variable dtypes -----------------------------------------------------------------
weights = keras.Variable(np.ones(2, "float32"))
nadam = keras.optimizers.Nadam()
nadam.apply_gradients([(tf.constant([1.0, -1.0]), weights)])
assert nadam.variables[-1].dtype == "float32"
np.testing.assert_allclose(nadam.variables[-1].numpy(), 0.9 * (1 - 0.5 * 0.96), rtol=1e-6)

bias = keras.Variable(np.zeros(3, "float32"))
adafactor = keras.optimizers.Adafactor()
adafactor.build([bias])
assert [v.dtype for v in adafactor.variables[2:]] == ["int32", "int32", "float32"]

iou = keras.metrics.MeanIoU(num_classes=2)
iou.update_state([0, 1, 1], [0, 1, 0])
assert iou.variables[0].dtype == "int64"
assert iou.variables[0].numpy().tolist() == [[1, 0], [1, 1]]
np.testing.assert_allclose(float(iou.result()), (1 / 2 + 1 / 2) / 2, rtol=1e-6)

# --- Loss(reduction=None) ------------------------------------------------------------
per_sample = keras.losses.MeanAbsoluteError(reduction=None)
assert per_sample.reduction is None and per_sample.get_config()["reduction"] is None
np.testing.assert_allclose(per_sample([[1.0], [2.0]], [[2.0], [0.0]]).numpy(), [1.0, 2.0])


# --- call(self, x, training) without a default ---------------------------------------
class Doubler(keras.layers.Layer):
    def call(self, x, training):
        return x * 2.0 if training else x


try:
    Doubler()(tf.ones((1, 2)))
    raise AssertionError("a required training argument was filled in")
except TypeError as err:
    assert "missing a required argument: 'training'" in str(err)
np.testing.assert_array_equal(Doubler()(tf.ones((1, 2)), training=True).numpy(), [[2.0, 2.0]])
inputs = keras.Input((2,))
doubled = keras.Model(inputs, Doubler()(inputs, training=True))
np.testing.assert_array_equal(doubled(np.ones((1, 2))).numpy(), [[2.0, 2.0]])
try:
    keras.Sequential([keras.Input((2,)), Doubler()])
    raise AssertionError("Sequential accepted a layer that requires training")
except ValueError as err:
    assert "single required positional argument" in str(err)

print("ko7_keras_leftovers: ok")
