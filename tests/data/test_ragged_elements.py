"""RaggedTensor dataset elements: slicing, map results, batch / unbatch, the transformations
that carry them, as_numpy_iterator, and fit. Expected values come from TensorFlow 2.21
(noted where they are literals) or from NumPy."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf
from gpuflow import keras

ROWS = [[1, 2], [3], [4, 5, 6]]


def _rt():
    return tf.ragged.constant(ROWS)


def test_slicing_a_ragged_rank_1_gives_dense_rows_that_stay_ragged_components():
    ds = tf.data.Dataset.from_tensor_slices(_rt())
    # TF 2.21: RaggedTensorSpec(TensorShape([None]), tf.int32, 0, tf.int64), Tensor elements
    assert ds.element_spec == tf.RaggedTensorSpec([None], tf.int32, 0, tf.int64)
    elements = list(ds)
    assert all(type(e) is tf.Tensor for e in elements)
    assert [e.numpy().tolist() for e in elements] == ROWS
    rows = list(ds.as_numpy_iterator())
    assert [r.tolist() for r in rows] == ROWS and rows[0].dtype == np.int32
    # ... and batching them makes a RaggedTensor again (TF 2.21)
    batched = ds.batch(2)
    assert batched.element_spec == tf.RaggedTensorSpec([None, None], tf.int32, 1)
    assert [b.to_list() for b in batched] == [[[1, 2], [3]], [[4, 5, 6]]]
    assert ds.batch(2, drop_remainder=True).element_spec.shape == (2, None)


def test_slicing_a_ragged_rank_2_gives_ragged_tensors(device):
    rt = tf.ragged.constant([[[1, 2], [3]], [[4]]])
    ds = tf.data.Dataset.from_tensor_slices(rt)
    assert ds.element_spec == tf.RaggedTensorSpec([None, None], tf.int32, 1)
    with tf.device(device):
        elements = list(ds)
    assert all(isinstance(e, tf.RaggedTensor) for e in elements)
    assert [e.to_list() for e in elements] == [[[1, 2], [3]], [[4]]]
    assert {e.flat_values.device.short for e in elements} == {device}
    # TF's numpy(): an object array of rows, a dense array when the rows agree
    first, second = ds.as_numpy_iterator()
    assert first.dtype == object and [r.tolist() for r in first] == [[1, 2], [3]]
    assert second.dtype == np.int32 and second.tolist() == [[4]]


def test_from_tensors_keeps_the_ragged_tensor():
    ds = tf.data.Dataset.from_tensors(_rt())
    assert ds.element_spec == tf.RaggedTensorSpec([3, None], tf.int32, 1)
    (value,) = list(ds)
    assert isinstance(value, tf.RaggedTensor) and value.to_list() == ROWS
    assert ds.get_single_element().to_list() == ROWS


def test_map_returning_ragged_then_batch_adds_a_ragged_dimension_and_unbatch_undoes_it():
    def rows(n):
        return tf.RaggedTensor.from_row_lengths(tf.range(n * 2, dtype=tf.int64), tf.stack([n, n]))

    ds = tf.data.Dataset.range(1, 4).map(rows)
    assert ds.element_spec == tf.RaggedTensorSpec([2, None], tf.int64, 1)
    batched = ds.batch(2)
    # TF 2.21: RaggedTensorSpec(TensorShape([None, 2, None]), tf.int64, 2, tf.int64)
    assert batched.element_spec == tf.RaggedTensorSpec([None, 2, None], tf.int64, 2)
    expected = [[[list(range(n)), list(range(n, 2 * n))] for n in (1, 2)], [[[0, 1, 2], [3, 4, 5]]]]
    assert [b.to_list() for b in batched] == expected
    unbatched = batched.unbatch()
    assert unbatched.element_spec == tf.RaggedTensorSpec([2, None], tf.int64, 1)
    assert [e.to_list() for e in unbatched] == [e.to_list() for e in ds]
    assert [b.to_list() for b in ds.ragged_batch(2)] == expected


def test_map_functions_receive_ragged_tensors():
    ds = tf.data.Dataset.from_tensor_slices(tf.ragged.constant([[[1, 2], [3]], [[4]], [[5, 6]]]))
    sums = ds.map(lambda r: tf.reduce_sum(r, axis=1))
    assert [s.tolist() for s in sums.as_numpy_iterator()] == [[3, 3], [4], [11]]
    doubled = ds.map(lambda r: r * 2)
    assert isinstance(doubled.element_spec, tf.RaggedTensorSpec)
    assert [r.to_list() for r in doubled] == [[[2, 4], [6]], [[8]], [[10, 12]]]


def test_string_split_of_batches_gives_ragged_string_elements():
    ds = tf.data.Dataset.from_tensor_slices(["a b c", "d e", "f"]).batch(2).map(tf.strings.split)
    spec = ds.element_spec
    assert isinstance(spec, tf.RaggedTensorSpec) and spec.dtype == tf.string
    assert [b.to_list() for b in ds] == [[[b"a", b"b", b"c"], [b"d", b"e"]], [[b"f"]]]
    # TF 2.21: [array([array([b'a', b'b', b'c']), array([b'd', b'e'])]), array([[b'f']])]
    first, second = ds.as_numpy_iterator()
    assert first.dtype == object and [r.tolist() for r in first] == [
        [b"a", b"b", b"c"],
        [b"d", b"e"],
    ]
    assert second.shape == (1, 1) and second.tolist() == [[b"f"]]


def test_ragged_rows_with_inner_dimensions():
    values = np.arange(12, dtype=np.int32).reshape(6, 2)
    rt = tf.RaggedTensor.from_row_lengths(values, [2, 1, 3])
    ds = tf.data.Dataset.from_tensor_slices(rt)
    assert ds.element_spec == tf.RaggedTensorSpec([None, 2], tf.int32, 0)
    assert ds.batch(2).element_spec == tf.RaggedTensorSpec([None, None, 2], tf.int32, 1)
    batches = [b.to_list() for b in ds.batch(2)]
    assert batches == [[values[:2].tolist(), values[2:3].tolist()], [values[3:].tolist()]]


def test_transformations_carry_ragged_elements_unchanged(tmp_path):
    ds = tf.data.Dataset.from_tensor_slices(_rt())
    spec = ds.element_spec
    piped = ds.shuffle(3, seed=1).repeat(2).take(5).prefetch(1)
    assert piped.element_spec == spec
    got = [e.numpy().tolist() for e in piped]
    assert len(got) == 5 and all(r in ROWS for r in got)
    kept = ds.filter(lambda x: tf.size(x) > 1)
    assert [e.tolist() for e in kept.as_numpy_iterator()] == [[1, 2], [4, 5, 6]]
    for cached in (ds.cache(), ds.cache(str(tmp_path / "c"))):
        first = [e.numpy().tolist() for e in cached.batch(2).unbatch()]
        again = [e.numpy().tolist() for e in cached]
        assert first == again == ROWS
    reread = tf.data.Dataset.from_tensor_slices(_rt()).cache(str(tmp_path / "c"))
    assert [b.to_list() for b in reread.batch(3)] == [ROWS]  # read back from the file
    windows = ds.window(2).flat_map(lambda w: w.batch(2))
    assert [b.to_list() for b in windows] == [[[1, 2], [3]], [[4, 5, 6]]]
    assert ds.concatenate(ds).element_spec == spec
    with pytest.raises(TypeError, match="incompatible dataset elements"):
        ds.concatenate(ds.map(lambda x: x))  # TF 2.21 refuses RaggedTensorSpec vs TensorSpec


def test_dict_elements_mix_ragged_and_dense():
    ds = tf.data.Dataset.from_tensor_slices({"a": _rt(), "b": np.array([1, 2, 3], np.int32)})
    first, second = ds.batch(2).as_numpy_iterator()
    # TF 2.21: {'a': array([array([1, 2]), array([3])], dtype=object), 'b': array([1, 2])}
    assert first["a"].dtype == object and [r.tolist() for r in first["a"]] == [[1, 2], [3]]
    assert first["b"].tolist() == [1, 2]
    assert second["a"].tolist() == [[4, 5, 6]] and second["b"].tolist() == [3]


def test_padded_batch_refuses_ragged_elements_as_tensorflow():
    ds = tf.data.Dataset.from_tensors(_rt())
    with pytest.raises(TypeError, match="`padded_batch` is only supported for datasets that "):
        ds.padded_batch(2)


def test_unique_refuses_ragged_elements():
    ds = tf.data.Dataset.from_tensor_slices(_rt())
    with pytest.raises(TypeError, match="Dataset.unique: only datasets with a single"):
        ds.unique()


def test_batching_ragged_values_of_different_inner_shapes_is_refused():
    ds = tf.data.Dataset.from_tensor_slices([1, 2]).map(
        lambda n: tf.RaggedTensor.from_row_lengths(tf.zeros(tf.stack([2, n])), [1, 1])
    )
    with pytest.raises(ValueError, match="component 0.*only their ragged dimensions may differ"):
        list(ds.batch(2))


def test_empty_ragged_dataset_still_maps():
    empty = tf.data.Dataset.from_tensor_slices(_rt()).filter(lambda x: tf.size(x) > 9)
    mapped = empty.map(lambda x: x * 2)
    assert mapped.element_spec.dtype == tf.int32
    assert list(mapped) == []


def _mean_embedding_model():
    model = keras.Sequential(
        [
            keras.layers.Embedding(10, 3),
            keras.layers.GlobalAveragePooling1D(),
            keras.layers.Dense(1),
        ]
    )
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    return model


def test_fit_on_a_dataset_of_ragged_batches():
    rows = [[1, 2], [3], [4, 5, 6], [7]]
    x = tf.ragged.constant(rows)
    y = np.array([0.0, 1.0, 0.0, 1.0], np.float32)
    ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(2)
    model = _mean_embedding_model()
    history = model.fit(ds, epochs=3, verbose=0)
    assert len(history.history["loss"]) == 3 and np.isfinite(history.history["loss"]).all()
    table, kernel, bias = (w.numpy() for w in model.weights)
    expected = np.stack([table[r].mean(axis=0) for r in rows]) @ kernel + bias
    predicted = model.predict(ds, verbose=0)
    np.testing.assert_allclose(predicted, expected, rtol=1e-5, atol=1e-6)
    loss = model.evaluate(ds, verbose=0)
    np.testing.assert_allclose(loss, np.mean((expected[:, 0] - y) ** 2), rtol=1e-5)


def test_from_generator_with_a_ragged_signature():
    def gen():
        for n in range(1, 4):
            yield tf.ragged.constant([[0] * n, [1]])

    spec = tf.RaggedTensorSpec(shape=(2, None), dtype=tf.int32)
    ds = tf.data.Dataset.from_generator(gen, output_signature=spec)
    assert ds.element_spec == spec
    # TF 2.21: [[[0], [1]], [[0, 0], [1]]] and [[[0, 0, 0], [1]]]
    assert [b.to_list() for b in ds.batch(2)] == [
        [[[0], [1]], [[0, 0], [1]]],
        [[[0, 0, 0], [1]]],
    ]
    lists = tf.data.Dataset.from_generator(lambda: iter([[[1, 2], [3]]]), output_signature=spec)
    with pytest.raises(
        tf.errors.InvalidArgumentError, match="could not be converted to the expected"
    ):
        list(lists)
    dense_spec = tf.TensorSpec((None, None), tf.int32)
    ragged = tf.data.Dataset.from_generator(gen, output_signature=dense_spec)
    with pytest.raises(
        tf.errors.InvalidArgumentError, match="could not be converted to the expected"
    ):
        list(ragged)
    three_rows = tf.data.Dataset.from_generator(
        lambda: iter([tf.ragged.constant([[1], [2], [3]])]), output_signature=spec
    )
    with pytest.raises(tf.errors.InvalidArgumentError, match="of shape \\[3, None\\] where"):
        list(three_rows)
