"""Layers that only move or combine values keep integer dtypes, as in Keras 3."""

import keras
import numpy as np
import tensorflow as tf

tokens = np.arange(12, dtype="int64").reshape(2, 3, 2)

padded = keras.layers.ZeroPadding1D(padding=1)(tokens)
assert padded.dtype == tf.int64, padded.dtype
assert padded.shape == (2, 5, 2)
assert padded.numpy()[0, 1].tolist() == [0, 1]
assert padded.numpy()[:, 0].sum() == 0

cropped = keras.layers.Cropping1D(cropping=(1, 0))(tokens)
assert cropped.dtype == tf.int64 and cropped.numpy()[1, 0].tolist() == [8, 9]

doubled = keras.layers.UpSampling1D(size=2)(tokens)
assert doubled.dtype == tf.int64 and doubled.shape == (2, 6, 2)
assert doubled.numpy()[0, :2].tolist() == [[0, 1], [0, 1]]

grid = np.arange(8, dtype="int32").reshape(1, 2, 2, 2)
big = keras.layers.UpSampling2D(size=(2, 1))(grid)
assert big.dtype == tf.int32 and big.shape == (1, 4, 2, 2)
framed = keras.layers.ZeroPadding2D(padding=((1, 0), (0, 1)))(grid)
assert framed.dtype == tf.int32 and framed.shape == (1, 3, 3, 2)

flat = keras.layers.Flatten()(tokens)
assert flat.dtype == tf.int64 and flat.numpy()[1].tolist() == list(range(6, 12))
swapped = keras.layers.Permute((2, 1))(tokens)
assert swapped.dtype == tf.int64 and swapped.numpy()[0, 1].tolist() == [1, 3, 5]
reshaped = keras.layers.Reshape((2, 3))(tokens)
assert reshaped.dtype == tf.int64 and reshaped.shape == (2, 2, 3)
assert keras.layers.Identity()(tokens).dtype == tf.int64
repeated = keras.layers.RepeatVector(3)(tokens[:, 0])
assert repeated.dtype == tf.int64 and repeated.shape == (2, 3, 2)

joined = keras.layers.Concatenate(axis=1)([tokens, tokens[:, :1]])
assert joined.dtype == tf.int64 and joined.shape == (2, 4, 2)
total = keras.layers.Add()([tokens, tokens])
assert total.dtype == tf.int64 and int(tf.reduce_sum(total)) == 2 * 66
product = keras.layers.Dot(axes=(1, 1))([tokens, tokens])
assert product.dtype == tf.int64 and product.shape == (2, 2, 2)
assert product.numpy()[0].tolist() == [[20, 26], [26, 35]]

# a float among the inputs makes the merge float32
scores = np.ones((2, 3, 2), "float32")
mixed = keras.layers.Concatenate()([tokens, scores])
assert mixed.dtype == tf.float32 and mixed.shape == (2, 3, 4)
assert keras.layers.Add()([scores, tokens]).dtype == tf.float32

# in a functional model the graph carries the integer dtype through
ids = keras.Input(shape=(4,), dtype="int32")
as_grid = keras.layers.Reshape((2, 2))(ids)
assert as_grid.dtype == "int32"
model = keras.Model(ids, keras.layers.Flatten()(as_grid))
out = model(np.array([[4, 3, 2, 1]], "int32"))
assert out.dtype == tf.int32 and out.numpy().tolist() == [[4, 3, 2, 1]]
print("ok")
