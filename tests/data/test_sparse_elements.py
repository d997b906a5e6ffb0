"""SparseTensor dataset elements and Dataset.sparse_batch. Expected values come from
TensorFlow 2.21 (noted where they are literals) or from NumPy."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf
from gpuflow import keras

INDICES = [[0, 0], [1, 2], [2, 1]]
DENSE = np.zeros((3, 4), np.float32)
DENSE[0, 0], DENSE[1, 2], DENSE[2, 1] = 1.0, 2.0, 3.0


def _st():
    return tf.sparse.SparseTensor(INDICES, [1.0, 2.0, 3.0], [3, 4])


def test_slicing_a_sparse_tensor_gives_sparse_rows(device):
    ds = tf.data.Dataset.from_tensor_slices(_st())
    assert ds.element_spec == tf.SparseTensorSpec([4], tf.float32)
    with tf.device(device):
        rows = list(ds)
    assert all(isinstance(r, tf.SparseTensor) for r in rows)
    assert {r.values.device.short for r in rows} == {device}
    # TF 2.21: indices [[0]], [[2]], [[1]]; dense_shape [4]
    assert [r.indices.numpy().tolist() for r in rows] == [[[0]], [[2]], [[1]]]
    assert [tuple(r.shape) for r in rows] == [(4,)] * 3
    # as_numpy_iterator densifies, as TensorFlow's SparseTensor._numpy
    np.testing.assert_array_equal(np.stack(list(ds.as_numpy_iterator())), DENSE)


def test_a_rank_1_sparse_tensor_cannot_be_sliced():
    st = tf.sparse.SparseTensor([[0], [2]], [1.0, 2.0], [3])
    with pytest.raises(tf.errors.InvalidArgumentError, match="should be > 1, but saw rank: 1"):
        tf.data.Dataset.from_tensor_slices(st)


def test_slicing_needs_indices_in_order_as_tensorflow():
    # TF 2.21: "indices[1] = [0,1] is out of order. Many sparse ops require sorted indices."
    shuffled = tf.sparse.SparseTensor([[1, 0], [0, 1]], [1.0, 2.0], [2, 2])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"indices\[1\] = \[0, 1\] is out"):
        tf.data.Dataset.from_tensor_slices(shuffled)
    repeated = tf.sparse.SparseTensor([[0, 1], [0, 1]], [1.0, 2.0], [2, 2])
    with pytest.raises(tf.errors.InvalidArgumentError, match="is repeated"):
        tf.data.Dataset.from_tensor_slices(repeated)
    rows = tf.data.Dataset.from_tensor_slices(tf.sparse.reorder(shuffled)).as_numpy_iterator()
    np.testing.assert_array_equal(np.stack(list(rows)), [[0.0, 2.0], [1.0, 0.0]])


def test_batch_and_unbatch_of_sparse_rows():
    ds = tf.data.Dataset.from_tensor_slices(_st())
    batched = ds.batch(2)
    assert batched.element_spec == tf.SparseTensorSpec([None, 4], tf.float32)
    first, second = list(batched)
    assert first.indices.numpy().tolist() == [[0, 0], [1, 2]]  # TF 2.21
    assert tuple(first.shape) == (2, 4) and tuple(second.shape) == (1, 4)
    np.testing.assert_array_equal(np.concatenate(list(batched.as_numpy_iterator())), DENSE)
    unbatched = batched.unbatch()
    assert unbatched.element_spec == tf.SparseTensorSpec([4], tf.float32)
    np.testing.assert_array_equal(np.stack(list(unbatched.as_numpy_iterator())), DENSE)


def test_from_tensors_of_a_sparse_tensor_and_batching_it():
    ds = tf.data.Dataset.from_tensors(_st())
    assert ds.element_spec == tf.SparseTensorSpec([3, 4], tf.float32)
    np.testing.assert_array_equal(next(ds.as_numpy_iterator()), DENSE)
    batched = ds.repeat(2).batch(2)
    assert batched.element_spec == tf.SparseTensorSpec([None, 3, 4], tf.float32)
    np.testing.assert_array_equal(next(batched.as_numpy_iterator()), np.stack([DENSE, DENSE]))


def test_map_returning_sparse_batches_to_the_largest_dense_shape():
    def make(n):
        return tf.sparse.SparseTensor(
            tf.stack([[0], [n]]), tf.cast(tf.stack([n, n + 1]), tf.float32), tf.stack([n + 1])
        )

    ds = tf.data.Dataset.range(1, 4).map(make)
    assert isinstance(ds.element_spec, tf.SparseTensorSpec)
    # TF 2.21: dense shapes [2, 3] and [1, 4]; values [1, 2, 2, 3] and [3, 4]
    first, second = ds.batch(2).as_numpy_iterator()
    np.testing.assert_array_equal(first, [[1.0, 2.0, 0.0], [2.0, 0.0, 3.0]])
    np.testing.assert_array_equal(second, [[3.0, 0.0, 0.0, 4.0]])
    # unbatched rows keep the batch's dense shape (TF 2.21: [3], [3], [4])
    shapes = [tuple(r.shape) for r in ds.batch(2).unbatch()]
    assert shapes == [(3,), (3,), (4,)]


def test_padded_batch_refuses_sparse_elements_as_tensorflow():
    ds = tf.data.Dataset.from_tensor_slices(_st())
    with pytest.raises(TypeError, match="not a subclass of TensorSpec: `SparseTensorSpec"):
        ds.padded_batch(2)


def test_sparse_elements_through_cache_shuffle_and_filter(tmp_path):
    ds = tf.data.Dataset.from_tensor_slices(_st())
    cached = ds.cache(str(tmp_path / "sp"))
    assert len(list(cached)) == 3  # fills the file
    reread = tf.data.Dataset.from_tensor_slices(_st()).cache(str(tmp_path / "sp"))
    np.testing.assert_array_equal(np.stack(list(reread.as_numpy_iterator())), DENSE)
    shuffled = np.stack(list(ds.shuffle(3, seed=2).as_numpy_iterator()))
    assert sorted(map(tuple, shuffled.tolist())) == sorted(map(tuple, DENSE.tolist()))
    kept = ds.filter(lambda s: tf.sparse.reduce_sum(s) > 1.5)
    np.testing.assert_array_equal(np.stack(list(kept.as_numpy_iterator())), DENSE[1:])


# -- sparse_batch ---------------------------------------------------------------------------
def _ranges():
    return tf.data.Dataset.range(10).map(lambda n: tf.range(n % 4, dtype=tf.int64))


def _dense(batch_rows, width):
    out = np.zeros((len(batch_rows), width), np.int64)
    for i, row in enumerate(batch_rows):
        out[i, : len(row)] = row
    return out


def test_sparse_batch_stores_every_value_of_every_element():
    ds = _ranges().sparse_batch(3, [5])
    assert ds.element_spec == tf.SparseTensorSpec([None, 5], tf.int64)
    first = next(iter(ds))
    # TF 2.21: indices [[1, 0], [2, 0], [2, 1]], values [0, 0, 1], dense_shape [3, 5]
    assert first.indices.numpy().tolist() == [[1, 0], [2, 0], [2, 1]]
    assert first.values.numpy().tolist() == [0, 0, 1] and tuple(first.shape) == (3, 5)
    rows = [list(range(n % 4)) for n in range(10)]
    got = list(ds.as_numpy_iterator())
    assert len(got) == 4
    for k, batch in enumerate(got):
        np.testing.assert_array_equal(batch, _dense(rows[3 * k : 3 * k + 3], 5))


def test_sparse_batch_unknown_row_dimensions_take_the_largest_in_the_batch():
    shapes = [tuple(b.shape) for b in _ranges().sparse_batch(3, [None])]
    assert shapes == [(3, 2), (3, 3), (3, 3), (1, 1)]  # TF 2.21
    grid = tf.data.Dataset.range(4).map(lambda n: tf.reshape(tf.range(n * 2), tf.stack([n, 2])))
    batch = list(grid.apply(tf.data.experimental.dense_to_sparse_batch(2, [4, 2])))[1]
    assert tuple(batch.shape) == (2, 4, 2)
    assert batch.indices.numpy()[:, 0].tolist() == [0] * 4 + [1] * 6  # every value stored


def test_sparse_batch_errors_are_tensorflows():
    with pytest.raises(tf.errors.DataLossError, match=r"\(\[3\]\) that is larger than the row"):
        list(_ranges().sparse_batch(3, [2]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="incompatible with the row shape"):
        list(tf.data.Dataset.range(3).sparse_batch(2, [4]))
    pairs = tf.data.Dataset.from_tensor_slices((np.zeros(2), np.zeros(2)))
    with pytest.raises(TypeError, match="requires an input dataset whose elements have a single"):
        pairs.sparse_batch(2, [1])


def test_fit_on_a_dataset_of_sparse_batches():
    y = np.array([0.0, 1.0, 0.0], np.float32)
    ds = tf.data.Dataset.from_tensor_slices((_st(), y)).batch(2)
    model = keras.Sequential([keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    history = model.fit(ds, epochs=2, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    kernel, bias = (w.numpy() for w in model.weights)
    np.testing.assert_allclose(model.predict(ds, verbose=0), DENSE @ kernel + bias, rtol=1e-5)


def test_from_generator_with_a_sparse_signature():
    def gen():
        yield tf.sparse.SparseTensor([[0]], [1.0], [3])
        yield tf.sparse.SparseTensor([[1], [3]], [2.0, 4.0], [4])

    spec = tf.SparseTensorSpec(shape=(None,), dtype=tf.float32)
    ds = tf.data.Dataset.from_generator(gen, output_signature=spec)
    assert ds.element_spec == spec
    first, second = ds.as_numpy_iterator()  # TF 2.21: [array([1., 0., 0.])] for the first
    np.testing.assert_array_equal(first, [1.0, 0.0, 0.0])
    np.testing.assert_array_equal(second, [0.0, 2.0, 0.0, 4.0])
    wrong = tf.data.Dataset.from_generator(
        gen, output_signature=tf.SparseTensorSpec(shape=(None,), dtype=tf.int32)
    )
    with pytest.raises(
        tf.errors.InvalidArgumentError, match="could not be converted to the expected"
    ):
        list(wrong)


def test_map_spec_of_sparse_and_ragged_outputs_leaves_varying_sizes_unknown():
    # TensorFlow traces the function on the input spec: sizes that vary are unknown (None)
    ds = tf.data.Dataset.range(1, 4).map(
        lambda n: (
            tf.sparse.from_dense(tf.ones([n])),
            tf.RaggedTensor.from_row_lengths(tf.range(n), [n]),
        )
    )
    sparse, ragged = ds.element_spec
    assert sparse == tf.SparseTensorSpec([None], tf.float32)
    assert ragged.shape.as_list() == [1, None] and ragged.ragged_rank == 1
