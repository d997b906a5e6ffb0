"""Dataset sources: from_tensor_slices, from_tensors, range, zip, concatenate, element_spec."""

from __future__ import annotations

import collections

import numpy as np
import pytest

import gpuflow as gf
from gpuflow.data import Dataset


def test_from_tensor_slices_tuple_yields_tensors_in_order():
    x = np.arange(12, dtype=np.float32).reshape(6, 2)
    y = np.arange(6)
    ds = Dataset.from_tensor_slices((x, y))
    got = list(ds)
    assert len(got) == 6
    for i, (xi, yi) in enumerate(got):
        assert isinstance(xi, gf.Tensor) and isinstance(yi, gf.Tensor)
        np.testing.assert_array_equal(xi.numpy(), x[i])
        assert int(yi) == i
    assert ds.element_spec == (gf.TensorSpec((2,), gf.float32), gf.TensorSpec((), gf.int64))


def test_from_tensor_slices_list_is_one_tensor_with_tf_default_dtypes():
    assert Dataset.from_tensor_slices([1.0, 2.0]).element_spec == gf.TensorSpec((), gf.float32)
    assert Dataset.from_tensor_slices([1, 2]).element_spec == gf.TensorSpec((), gf.int32)
    assert Dataset.from_tensor_slices([[1, 2], [3, 4]]).element_spec.shape == (2,)


def test_from_tensor_slices_dict_and_tensor_and_namedtuple():
    ds = Dataset.from_tensor_slices({"b": gf.constant([1.0, 2.0]), "a": np.array([[1], [2]])})
    first = next(iter(ds))
    assert set(first) == {"a", "b"} and float(first["b"]) == 1.0
    assert first["a"].shape == (1,)
    Point = collections.namedtuple("Point", "x y")
    p = next(iter(Dataset.from_tensor_slices(Point(np.arange(3), np.arange(3) * 2))))
    assert isinstance(p, Point) and int(p.y) == 0


def test_from_tensor_slices_errors_name_the_shapes():
    with pytest.raises(ValueError, match="same size in their first dimension"):
        Dataset.from_tensor_slices((np.zeros(3), np.zeros(4)))
    with pytest.raises(ValueError, match="scalar"):
        Dataset.from_tensor_slices(np.float32(1))
    with pytest.raises(TypeError, match="ragged"):
        Dataset.from_tensor_slices(np.array([[1], [1, 2]], dtype=object))
    for make in (Dataset.from_tensor_slices, Dataset.from_tensors):  # TensorFlow's ValueError
        with pytest.raises(ValueError, match="Can't convert non-rectangular Python sequence"):
            make([[1], [2, 3]])


def test_from_tensors_and_range():
    ds = Dataset.from_tensors((np.zeros((2, 3)), 1))
    assert len(ds) == 1 and ds.element_spec[0].shape == (2, 3)
    assert list(Dataset.range(1, 8, 3).as_numpy_iterator()) == [1, 4, 7]
    assert Dataset.range(3).element_spec == gf.TensorSpec((), gf.int64)
    assert Dataset.range(3, output_type=gf.int32).element_spec.dtype == gf.int32


def test_zip_and_concatenate():
    a, b = Dataset.range(3), Dataset.range(10, 15)
    assert list(Dataset.zip((a, b)).as_numpy_iterator()) == [(0, 10), (1, 11), (2, 12)]
    assert list(Dataset.zip(a, b).as_numpy_iterator())[0] == (0, 10)
    z = Dataset.zip({"x": a, "y": (b, a)})
    assert next(z.as_numpy_iterator()) == {"x": 0, "y": (10, 0)}
    assert len(Dataset.zip((a, b))) == 3
    assert list(a.concatenate(b).as_numpy_iterator()) == [0, 1, 2, 10, 11, 12, 13, 14]


def test_concatenate_mismatch_names_both_specs():
    with pytest.raises(TypeError, match=r"(?s)TensorSpec\(shape=\(\), dtype=tf.int64.*vs\..*int32"):
        Dataset.range(3).concatenate(Dataset.from_tensor_slices(([1], [2])))
    with pytest.raises(TypeError, match="float32"):
        Dataset.range(3).concatenate(Dataset.from_tensor_slices([1.0]))


def test_concatenate_merges_shapes_to_the_common_spec():
    a = Dataset.from_tensor_slices(np.zeros((2, 3)))
    b = Dataset.from_tensor_slices(np.zeros((2, 4)))
    assert a.concatenate(b).element_spec == gf.TensorSpec((None,), gf.float64)


def test_zip_rejects_non_datasets():
    with pytest.raises(TypeError, match="tuple or dict of datasets"):
        Dataset.zip((Dataset.range(2), [1, 2]))


def test_len_and_bool_follow_tensorflow():
    assert len(Dataset.range(5)) == 5
    with pytest.raises(TypeError, match="infinite"):
        len(Dataset.range(5).repeat())
    with pytest.raises(TypeError, match="unknown"):
        len(Dataset.range(5).filter(lambda x: x > 1))
    assert bool(Dataset.range(0)) and bool(Dataset.range(1).repeat())


def test_get_next_raises_out_of_range_and_next_stops():
    it = iter(Dataset.range(1))
    assert int(it.get_next()) == 0
    with pytest.raises(gf.errors.OutOfRangeError):
        it.get_next()
    with pytest.raises(StopIteration):
        next(iter(Dataset.range(0)))


def test_iterators_have_tensorflows_next_method():
    it = iter(Dataset.range(2))
    assert int(it.next()) == 0 and int(next(it)) == 1
    with pytest.raises(StopIteration):
        it.next()
    numpy_it = Dataset.from_tensor_slices(([1, 2], [3, 4])).batch(2).as_numpy_iterator()
    images, labels = numpy_it.next()
    assert images.tolist() == [1, 2] and labels.tolist() == [3, 4]
    with pytest.raises(StopIteration):
        numpy_it.next()


def test_as_numpy_iterator_gives_writable_copies():
    x = np.arange(4.0)
    values = list(Dataset.from_tensor_slices(x).batch(2).as_numpy_iterator())
    values[0][0] = 99.0
    assert x[0] == 0.0


def test_reduce_and_apply():
    total = Dataset.range(5).reduce(np.int64(0), lambda state, x: state + x)
    assert isinstance(total, gf.Tensor) and int(total) == 10
    pair = Dataset.range(4).reduce((np.int64(0), np.int64(1)), lambda s, x: (s[0] + x, s[1] * 2))
    assert (int(pair[0]), int(pair[1])) == (6, 16)
    ds = Dataset.range(6).apply(lambda d: d.filter(lambda x: x >= 3))
    assert list(ds.as_numpy_iterator()) == [3, 4, 5]


def test_tensor_spec_basics():
    spec = gf.TensorSpec((None, 3), gf.float32, name="x")
    assert repr(spec) == "TensorSpec(shape=(None, 3), dtype=tf.float32, name='x')"
    assert spec.is_compatible_with(gf.zeros([5, 3]))
    assert not spec.is_compatible_with(gf.zeros([5, 4]))
    assert not spec.is_compatible_with(np.zeros((5, 3), np.float64))
    assert gf.TensorSpec.from_tensor(gf.zeros([2])) == gf.TensorSpec((2,), gf.float32)
    unknown = gf.TensorSpec(None).shape  # TensorFlow's: an unknown-rank TensorShape
    assert isinstance(unknown, gf.TensorShape) and unknown.rank is None
    assert repr(unknown) == "TensorShape(None)"
    assert gf.TensorSpec(None).is_compatible_with(gf.zeros([2, 3, 4]))
    ragged = gf.RaggedTensorSpec(None, gf.float32, 1).shape
    assert isinstance(ragged, gf.TensorShape) and ragged.rank is None
    with pytest.raises(ValueError, match="non-negative"):
        gf.TensorSpec((-2, 3))


def test_reduce_passes_a_tuple_element_whole():
    ds = Dataset.from_tensor_slices(([1, 2], [3, 4]))
    assert int(ds.reduce(np.int32(0), lambda s, e: s + e[0] + e[1])) == 10
    with pytest.raises(TypeError):
        ds.reduce(np.int32(0), lambda s, a, b: s + a + b)


def test_iteration_and_map_on_every_device(device):
    seen = []
    ds = (
        Dataset.from_tensor_slices(np.arange(6.0, dtype=np.float32))
        .map(lambda v: seen.append(v.device.short) or v * 2)
        .batch(3)
        .prefetch(2)
    )
    with gf.device(device):
        batches = list(ds)
    assert {b.device.short for b in batches} == {gf.backend.get_device(device).name}
    assert set(seen) == {gf.backend.get_device(device).name}
    np.testing.assert_allclose(np.concatenate([b.numpy() for b in batches]), np.arange(6) * 2)


def test_from_tensor_slices_pandas_frame_and_columns_keep_dtypes():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"a": [1, 2, 3], "b": [0.5, 1.5, 2.5]})
    ds = Dataset.from_tensor_slices(df)  # converted as a whole: float64, as TensorFlow
    assert ds.element_spec == gf.TensorSpec((2,), gf.float64)
    np.testing.assert_array_equal(next(iter(ds)).numpy(), [1.0, 0.5])
    ds = Dataset.from_tensor_slices((dict(df), df["a"]))
    assert ds.element_spec == (
        {"a": gf.TensorSpec((), gf.int64), "b": gf.TensorSpec((), gf.float64)},
        gf.TensorSpec((), gf.int64),
    )


def test_from_tensor_slices_pandas_text_frame_and_mixed_error():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"a": [1, 2], "s": ["x", "y"]})
    ds = Dataset.from_tensor_slices(df[["s"]])
    assert ds.element_spec == gf.TensorSpec((1,), gf.string)
    assert [row.numpy().tolist() for row in ds] == [[b"x"], [b"y"]]
    with pytest.raises(TypeError, match="received mixed-type \\(object\\) data of type DataFrame"):
        Dataset.from_tensor_slices(df)


def test_dataset_repr_names_tensorflows_classes():
    # tutorials print datasets: TF 2.21 shows its private classes' names
    ds = Dataset.from_tensor_slices([1, 2, 3])
    assert repr(ds) == (
        "<_TensorSliceDataset element_spec=TensorSpec(shape=(), dtype=tf.int32, name=None)>"
    )
    assert repr(ds.batch(2)).startswith("<_BatchDataset element_spec=TensorSpec(shape=(None,)")
    assert repr(ds.batch(2, num_parallel_calls=2)).startswith("<_ParallelBatchDataset ")
    assert repr(ds.map(lambda x: x)).startswith("<_MapDataset ")
    assert repr(ds.map(lambda x: x, num_parallel_calls=1)).startswith("<_ParallelMapDataset ")
    assert repr(Dataset.zip(ds, ds)).startswith("<_ZipDataset ")
    assert repr(ds.enumerate()).startswith("<_ZipDataset ")
    gen = Dataset.from_generator(lambda: iter([1]), output_types=gf.int32)
    assert repr(gen).startswith("<_FlatMapDataset ")
    assert repr(Dataset.range(3).shuffle(2).prefetch(1)).startswith("<_PrefetchDataset ")
    interleaved = ds.interleave(lambda x: Dataset.from_tensors(x), cycle_length=1)
    assert repr(interleaved).startswith("<_InterleaveDataset ")
    assert type(ds).__name__ == "TensorSliceDataset"  # the classes keep their names
    for window in Dataset.range(4).window(2).take(1):  # windows are TF's variant datasets
        assert repr(window).startswith("<_VariantDataset element_spec=")

    class Mine(type(ds)):
        pass

    mine = Mine.__new__(Mine)
    mine.__dict__.update(ds.__dict__)
    assert repr(mine).startswith("<Mine element_spec=")
