"""A Keras model fed SparseTensors through Input(sparse=True), and Dataset.from_generator
whose scalar args arrive as hashable NumPy scalars."""

import collections

import numpy as np
import tensorflow as tf

# -- Input(sparse=True) into Dense: a sparse x dense product -----------------------------
features = tf.keras.Input(shape=(5,), sparse=True, name="bag_of_words")
assert features.sparse and features.shape == (None, 5)
scores = tf.keras.layers.Dense(2, kernel_initializer="ones", bias_initializer="zeros")(features)
assert not scores.sparse
model = tf.keras.Model(features, scores)
assert model.get_config()["layers"][0]["config"]["sparse"] is True

counts = tf.sparse.SparseTensor(
    indices=[[0, 1], [0, 4], [1, 0], [3, 2]], values=[2, 1, 5, 3], dense_shape=[4, 5]
)
out = model(counts)  # int32 values are cast to the input's float32
assert out.dtype == tf.float32 and out.shape == (4, 2)
np.testing.assert_allclose(out.numpy(), [[3, 3], [5, 5], [0, 0], [3, 3]])
np.testing.assert_allclose(model.predict(counts, verbose=0), out.numpy())
np.testing.assert_allclose(model(tf.ones((1, 5))).numpy(), [[5.0, 5.0]])  # dense works too

model.compile(optimizer=tf.keras.optimizers.SGD(0.01), loss="mse")
kernel_before = model.layers[1].kernel.numpy().copy()
targets = np.zeros((4, 2), np.float32)
history = model.fit(counts, targets, batch_size=2, epochs=1, verbose=0)
assert len(history.history["loss"]) == 1
assert not np.allclose(model.layers[1].kernel.numpy(), kernel_before)
pairs = tf.data.Dataset.from_tensor_slices((counts, targets)).batch(2)
assert np.isfinite(model.evaluate(pairs, verbose=0))

# a SparseTensor given to a dense Input is densified
dense_in = tf.keras.Input(shape=(5,))
summed = tf.keras.Model(dense_in, tf.keras.layers.Dense(1, kernel_initializer="ones")(dense_in))
np.testing.assert_allclose(summed(counts).numpy().ravel(), [3, 5, 0, 3])

# -- from_generator: args as NumPy values, scalars hashable ------------------------------
calls = collections.Counter()


def numbered_rows(source_id, rows, tag):
    calls[source_id] += 1  # a dict key: a scalar arg is a NumPy scalar, not an array
    assert isinstance(tag, bytes)
    for i in range(int(rows)):
        yield (tag.decode() + str(i), [float(source_id), float(i)])


ds = tf.data.Dataset.from_generator(
    numbered_rows,
    output_signature=(tf.TensorSpec((), tf.string), tf.TensorSpec((2,), tf.float32)),
    args=(7, 3, "row"),
)
names = [name.numpy() for name, _ in ds]
assert names == [b"row0", b"row1", b"row2"]
list(ds)
assert calls[7] == 2

interleaved = tf.data.Dataset.range(2).interleave(
    lambda i: tf.data.Dataset.from_generator(
        numbered_rows,
        output_signature=(tf.TensorSpec((), tf.string), tf.TensorSpec((2,), tf.float32)),
        args=(i, 2, "x"),
    ),
    cycle_length=2,
)
firsts = sorted(float(v[0]) for _, v in interleaved)
assert firsts == [0.0, 0.0, 1.0, 1.0]
print("ok")
