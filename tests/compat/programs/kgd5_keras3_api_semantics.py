"""Keras 3 API details a TF 2 user meets when moving to Keras 3: which tensors carry a mask
attribute, the dtypes keras.ops reductions and float functions give for narrow and 64-bit
integers, bools in max/min/sort, and the callbacks' mode and NaN handling."""

import warnings

import keras
import numpy as np
import tensorflow as tf
from keras import layers, ops

# -- masks: only tensors that got one have `_keras_mask` ---------------------------------
tokens = np.array([[4, 7, 0, 0], [2, 0, 0, 0]])
embedded = layers.Embedding(10, 3, mask_zero=True)(tokens)
assert hasattr(embedded, "_keras_mask")
assert embedded._keras_mask.numpy().tolist() == [[True, True, False, False], [True] + [False] * 3]
pooled = layers.GlobalAveragePooling1D()(embedded)
assert not hasattr(pooled, "_keras_mask")  # the pooling consumed the mask
assert getattr(pooled, "_keras_mask", "none") == "none"
assert not hasattr(tf.constant([1.0, 2.0]), "_keras_mask")
symbolic = keras.Input((4,), dtype="int32")
assert not hasattr(symbolic, "_keras_mask")
assert hasattr(layers.Embedding(10, 3, mask_zero=True)(symbolic), "_keras_mask")
try:
    tf.constant([3.0])._keras_mask
except AttributeError:
    pass
else:
    raise AssertionError("a plain tensor has no _keras_mask")

# -- keras.ops result dtypes -------------------------------------------------------------
pixels = np.full((4, 100), 250, dtype="uint8")
total = ops.sum(pixels)
assert ops.dtype(total) == "uint32" and int(total) == 100000  # no uint8 wrap-around
assert ops.dtype(ops.sum(pixels, axis=1)) == "uint32"
assert ops.dtype(ops.prod(np.array([2, 3], "uint8"))) == "uint32"
assert ops.dtype(ops.sum(np.array([1, 2], "int8"))) == "int32"
assert ops.dtype(ops.cumsum(np.array([1, 2], "uint8"))) == "uint8"
assert ops.dtype(ops.cumsum(np.array([True, True]))) == "int32"
counts = np.array([8, -27, 64])  # int64, as NumPy makes it
assert ops.dtype(ops.cbrt(counts)) == "float64"
np.testing.assert_allclose(ops.convert_to_numpy(ops.cbrt(counts)), [2.0, -3.0, 4.0], rtol=1e-6)
assert ops.dtype(ops.cbrt(counts.astype("int32"))) == "float32"
assert ops.dtype(ops.deg2rad(np.array([180]))) == "float64"
np.testing.assert_allclose(ops.convert_to_numpy(ops.deg2rad(np.array([180]))), [np.pi])
assert ops.dtype(ops.hypot(np.array([3]), np.array([4], "int32"))) == "float64"
assert ops.dtype(ops.hypot(np.array([3], "int32"), np.array([4], "int8"))) == "float32"

# -- bools order False < True in keras.ops (tf.reduce_max refuses them) ----------------
flags = np.array([[True, False, True], [False, False, False]])
assert ops.dtype(ops.max(flags)) == "bool" and bool(ops.max(flags))
assert ops.convert_to_numpy(ops.max(flags, axis=1)).tolist() == [True, False]
assert ops.convert_to_numpy(ops.min(flags, axis=0)).tolist() == [False, False, False]
assert ops.convert_to_numpy(ops.sort(flags[0])).tolist() == [False, True, True]
assert ops.convert_to_numpy(ops.argsort(flags[0])).tolist() == [1, 0, 2]
try:
    tf.reduce_max(tf.constant([True, False]))
except tf.errors.InvalidArgumentError:
    pass
else:
    raise AssertionError("tf.reduce_max of bools raises")

# -- ops in a functional model, layer_normalization's epsilon --------------------------------
features = keras.Input((3, 4))
best = ops.argmax(features, axis=-1)
assert tuple(best.shape) == (None, 3) and best.dtype == "int32"
totals = ops.cumsum(features, axis=1)
picker = keras.Model(features, [best, totals])
grid = np.arange(24, dtype="float32").reshape(2, 3, 4)[:, :, ::-1]
picked, summed = picker(grid)
assert ops.convert_to_numpy(picked).tolist() == [[0, 0, 0], [0, 0, 0]]
np.testing.assert_allclose(ops.convert_to_numpy(summed), np.cumsum(grid, axis=1))
flat = np.array([[3.0, 3.0, 3.0, 3.5]], "float32")  # variance 0.047: epsilon shows
normed = ops.convert_to_numpy(ops.layer_normalization(flat))
np.testing.assert_allclose(normed[0], [-0.57735, -0.57735, -0.57735, 1.732049], atol=1e-5)
assert ops.dtype(ops.layer_normalization(flat.astype("float16"))) == "float16"

# -- callbacks ----------------------------------------------------------------------------
assert keras.callbacks.EarlyStopping().mode == "auto"
assert keras.callbacks.ReduceLROnPlateau(mode="min").mode == "min"
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    stopper = keras.callbacks.EarlyStopping(monitor="loss", mode="largest")
assert stopper.mode == "auto"
assert any("unknown, fallback to auto mode" in str(w.message) for w in caught)

x = np.ones((8, 2), "float32") * 1e30
y = np.ones((8, 1), "float32")
model = keras.Sequential([keras.Input((2,)), layers.Dense(1, kernel_initializer="ones")])
model.compile(optimizer=keras.optimizers.SGD(1e30), loss="mse")
ended = []
try:
    model.fit(
        x,
        y,
        epochs=3,
        batch_size=4,
        verbose=0,
        callbacks=[
            keras.callbacks.TerminateOnNaN(raise_error=True),
            keras.callbacks.LambdaCallback(on_train_end=lambda logs: ended.append(1)),
        ],
    )
except RuntimeError as err:
    assert "NaN or Inf loss encountered at batch 0" in str(err), err
else:
    raise AssertionError("TerminateOnNaN(raise_error=True) raises")
assert ended == []
model = keras.Sequential([keras.Input((2,)), layers.Dense(1, kernel_initializer="ones")])
model.compile(optimizer=keras.optimizers.SGD(1e30), loss="mse")
history = model.fit(
    x, y, epochs=3, batch_size=4, verbose=0, callbacks=[keras.callbacks.TerminateOnNaN()]
)
assert len(history.epoch) == 1
print("kgd5_keras3_api_semantics: ok")
