# SparseTensors as tf.data elements (the "Sparse tensors" guide, section "tf.data"):
# slice a SparseTensor into a dataset, batch and unbatch it, batch dense elements of
# different lengths into SparseTensors, and train a model on sparse feature batches.
import numpy as np
import tensorflow as tf

features = tf.sparse.SparseTensor(
    indices=[[0, 0], [1, 2], [2, 1], [3, 0], [3, 3]],
    values=[1.0, 2.0, 3.0, 5.0, 4.0],
    dense_shape=[4, 4],
)
dense = tf.sparse.to_dense(features).numpy()

# Slicing a SparseTensor along its first dimension gives SparseTensor rows.
ds = tf.data.Dataset.from_tensor_slices(features)
assert isinstance(ds.element_spec, tf.SparseTensorSpec)
assert ds.element_spec.shape.as_list() == [4] and ds.element_spec.dtype == tf.float32
rows = list(ds)
assert all(isinstance(r, tf.SparseTensor) for r in rows)
assert [r.indices.numpy().ravel().tolist() for r in rows] == [[0], [2], [1], [0, 3]]
assert [r.values.numpy().tolist() for r in rows] == [[1.0], [2.0], [3.0], [5.0, 4.0]]
for row, expected in zip(rows, dense):
    np.testing.assert_array_equal(tf.sparse.to_dense(row).numpy(), expected)

# Their indices must be in order, as most sparse ops need.
shuffled = tf.sparse.SparseTensor([[1, 0], [0, 1]], [1.0, 2.0], [2, 2])
try:
    tf.data.Dataset.from_tensor_slices(shuffled)
    raise AssertionError("from_tensor_slices accepted indices out of order")
except tf.errors.InvalidArgumentError as error:
    assert "out of order" in str(error)
assert len(list(tf.data.Dataset.from_tensor_slices(tf.sparse.reorder(shuffled)))) == 2

# Batching gives batched SparseTensors; as_numpy_iterator densifies them.
batched = ds.batch(3)
assert batched.element_spec.shape.as_list() == [None, 4]
sizes = [b.dense_shape.numpy().tolist() for b in batched]
assert sizes == [[3, 4], [1, 4]]
np.testing.assert_array_equal(np.concatenate(list(batched.as_numpy_iterator())), dense)
np.testing.assert_array_equal(np.stack(list(batched.unbatch().as_numpy_iterator())), dense)


# A map function can build the SparseTensor of each element.
def one_hot_pair(n):
    return tf.sparse.SparseTensor(
        indices=tf.stack([[n % 3], [3 + n % 2]]), values=[1.0, 1.0], dense_shape=[5]
    )


pairs = tf.data.Dataset.range(4).map(one_hot_pair)
assert isinstance(pairs.element_spec, tf.SparseTensorSpec)
(encoded,) = list(pairs.batch(4).as_numpy_iterator())
expected = np.zeros((4, 5), np.float32)
for n in range(4):
    expected[n, n % 3] = expected[n, 3 + n % 2] = 1.0
np.testing.assert_array_equal(encoded, expected)

# sparse_batch: dense elements of different lengths batched into SparseTensors.
letters = tf.data.Dataset.from_tensor_slices(["a b c", "a b", "a b c d"]).map(
    lambda line: tf.strings.split(line)
)
sparse_letters = letters.sparse_batch(2, row_shape=[6])
assert sparse_letters.element_spec.shape.as_list() == [None, 6]
first, second = list(sparse_letters)
assert first.indices.numpy().tolist() == [[0, 0], [0, 1], [0, 2], [1, 0], [1, 1]]
assert first.values.numpy().tolist() == [b"a", b"b", b"c", b"a", b"b"]
assert first.dense_shape.numpy().tolist() == [2, 6]
assert second.indices.numpy().tolist() == [[0, 0], [0, 1], [0, 2], [0, 3]]
assert second.dense_shape.numpy().tolist() == [1, 6]
same = letters.apply(tf.data.experimental.dense_to_sparse_batch(2, [6]))
assert [b.values.numpy().tolist() for b in same] == [
    b.values.numpy().tolist() for b in sparse_letters
]

# Elements larger than row_shape are an error.
try:
    list(letters.sparse_batch(2, row_shape=[3]))
    raise AssertionError("sparse_batch accepted an element larger than row_shape")
except tf.errors.DataLossError as error:
    assert "larger than the row shape" in str(error)

# padded_batch refuses sparse elements.
try:
    ds.padded_batch(2)
    raise AssertionError("padded_batch accepted sparse elements")
except TypeError as error:
    assert "padded_batch" in str(error)

# Train a linear model on (sparse features, target) batches.
targets = dense @ np.array([1.0, -1.0, 0.5, 2.0], np.float32)
train = tf.data.Dataset.from_tensor_slices((features, targets)).shuffle(4, seed=1).batch(2)
model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
model.compile(optimizer=tf.keras.optimizers.SGD(0.01), loss="mse")
history = model.fit(train, epochs=3, verbose=0)
assert len(history.history["loss"]) == 3 and np.isfinite(history.history["loss"]).all()
kernel, bias = (w.numpy() for w in model.weights)
predicted = model.predict(tf.data.Dataset.from_tensor_slices(features).batch(4), verbose=0)
np.testing.assert_allclose(predicted, dense @ kernel + bias, rtol=1e-5, atol=1e-5)
print("ok")
