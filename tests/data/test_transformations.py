"""map, filter, enumerate, flat_map, interleave, take, skip, shard, repeat, window."""

from __future__ import annotations

import threading

import numpy as np
import pytest

import gpuflow as gf
from gpuflow.data import AUTOTUNE, Dataset


def values(ds):
    return [v.tolist() if isinstance(v, np.ndarray) else v for v in ds.as_numpy_iterator()]


def test_map_unpacks_tuples_and_turns_lists_into_tuples():
    ds = Dataset.from_tensor_slices((np.arange(4.0), np.arange(4))).map(lambda x, y: [x * 2, y])
    assert values(ds)[1] == (2.0, 1)
    assert isinstance(ds.element_spec, tuple)


def test_map_gets_tensors_and_keeps_dtypes():
    seen = []

    def fn(x):
        seen.append(type(x))
        return gf.cast(x, gf.float32) / 255.0

    ds = Dataset.range(3).map(fn)
    assert ds.element_spec == gf.TensorSpec((), gf.float32)
    np.testing.assert_allclose(values(ds), np.arange(3) / 255.0, rtol=1e-6)
    assert set(seen) == {gf.Tensor}


@pytest.mark.parametrize("parallel", [2, AUTOTUNE])
def test_parallel_map_keeps_order_and_ends_its_threads(parallel):
    before = set(threading.enumerate())
    ds = Dataset.range(50).map(lambda x: x * 3, num_parallel_calls=parallel)
    assert values(ds) == [3 * i for i in range(50)]
    it = iter(ds)
    next(it)
    del it  # stopped early
    assert set(threading.enumerate()) <= before


def test_parallel_map_not_deterministic_still_gives_every_element():
    ds = Dataset.range(40).map(lambda x: x + 1, num_parallel_calls=4, deterministic=False)
    assert sorted(values(ds)) == list(range(1, 41))


def test_map_error_names_element_index_and_chains_the_original():
    def fn(x):
        if int(x) == 3:
            raise ValueError("bad value")
        return x

    for parallel in (None, 2):
        with pytest.raises(ValueError, match=r"element 3.*bad value") as info:
            list(Dataset.range(6).map(fn, num_parallel_calls=parallel))
        assert isinstance(info.value.__cause__, ValueError)
        assert str(info.value.__cause__) == "bad value"


def test_map_must_be_callable_and_return_something():
    with pytest.raises(TypeError, match="callable"):
        Dataset.range(3).map(3)
    with pytest.raises(TypeError, match="returned None"):
        list(Dataset.range(3).map(lambda x: None))


def test_filter_and_its_predicate_check():
    assert values(Dataset.range(10).filter(lambda x: x > 6)) == [7, 8, 9]
    with pytest.raises(ValueError, match="must return a `tf.bool` scalar tensor"):
        list(Dataset.range(3).filter(lambda x: x + 1))  # TensorFlow's ValueError


def test_enumerate_flat_map_interleave():
    assert values(Dataset.range(3).enumerate(start=5)) == [(5, 0), (6, 1), (7, 2)]
    ds = Dataset.range(1, 4).flat_map(lambda n: Dataset.range(n))
    assert values(ds) == [0, 0, 1, 0, 1, 2]
    # TensorFlow's order (checked on tf 2.21).
    ds = Dataset.range(10).interleave(
        lambda x: Dataset.range(x * 10, x * 10 + 3), cycle_length=2, block_length=2
    )
    assert values(ds.take(12)) == [0, 1, 10, 11, 2, 12, 20, 21, 30, 31, 22, 32]
    ds = Dataset.range(5).interleave(
        lambda x: Dataset.range(x).map(lambda y: x * 10 + y), cycle_length=3
    )
    assert values(ds) == [10, 20, 30, 21, 31, 40, 32, 41, 42, 43]
    with pytest.raises(TypeError, match="must return a Dataset"):
        list(Dataset.range(2).flat_map(lambda x: x))


def test_take_skip_shard_repeat():
    ds = Dataset.range(10)
    assert values(ds.take(3)) == [0, 1, 2]
    assert values(ds.take(-1)) == list(range(10))
    assert values(ds.skip(7)) == [7, 8, 9]
    assert values(ds.skip(-1)) == []
    assert values(ds.shard(3, 1)) == [1, 4, 7]
    assert values(ds.take(2).repeat(3)) == [0, 1] * 3
    assert values(ds.repeat().take(12))[-2:] == [0, 1]
    with pytest.raises(ValueError, match="index must be in"):
        ds.shard(2, 2)


def test_cardinality_as_tensorflow():
    ds = Dataset.range(10)
    card = {
        "range": ds,
        "take": ds.take(4),
        "skip": ds.skip(4),
        "shard": ds.shard(3, 0),
        "repeat2": ds.repeat(2),
        "repeat": ds.repeat(),
        "infinite_take": ds.repeat().take(5),
        "filter": ds.filter(lambda x: x > 1),
        "batch": ds.batch(3),
        "batch_drop": ds.batch(3, drop_remainder=True),
        "unbatch": ds.batch(3).unbatch(),
        "map": ds.map(lambda x: x),
        "shuffle": ds.shuffle(4),
        "prefetch": ds.prefetch(1),
        "zip": Dataset.zip((ds, ds.take(2))),
        "concat": ds.concatenate(ds),
        "window": ds.window(3),
        "window_drop": ds.window(3, drop_remainder=True),
        "enumerate": ds.enumerate(),
        "cache": ds.cache(),
    }
    expected = {
        "range": 10,
        "take": 4,
        "skip": 6,
        "shard": 4,
        "repeat2": 20,
        "repeat": -1,
        "infinite_take": 5,
        "filter": -2,
        "batch": 4,
        "batch_drop": 3,
        "unbatch": -2,
        "map": 10,
        "shuffle": 10,
        "prefetch": 10,
        "zip": 2,
        "concat": 20,
        "window": 4,
        "window_drop": 3,
        "enumerate": 10,
        "cache": 10,
    }
    got = {name: int(d.cardinality()) for name, d in card.items()}
    assert got == expected
    assert gf.data.experimental.INFINITE_CARDINALITY == gf.data.INFINITE_CARDINALITY == -1
    assert gf.data.experimental.UNKNOWN_CARDINALITY == -2
    assert int(gf.data.experimental.cardinality(ds)) == 10
    assert ds.cardinality().dtype == gf.int64


def test_window_flat_map_batch():
    ds = Dataset.range(7).window(3, shift=1, drop_remainder=True).flat_map(lambda w: w.batch(3))
    assert values(ds) == [[0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5], [4, 5, 6]]
    ds = Dataset.range(10).window(3, shift=4, stride=2)
    assert [values(w) for w in ds] == [[0, 2, 4], [4, 6, 8], [8]]
    pairs = Dataset.from_tensor_slices((np.arange(4), np.arange(4) * 10)).window(2)
    first = next(iter(pairs))
    assert values(Dataset.zip(first)) == [(0, 0), (1, 10)]


def test_counts_accept_integer_tensors_and_refuse_floats():
    assert values(Dataset.range(10).take(gf.constant(3))) == [0, 1, 2]
    assert len(list(Dataset.range(10).batch(np.int64(4)))) == 3
    with pytest.raises(TypeError, match="count must be an int"):
        Dataset.range(10).take(2.5)
    with pytest.raises(TypeError, match="batch_size must be an int"):
        Dataset.range(10).batch(True)
    with pytest.raises(ValueError, match="buffer_size must be >= 1"):
        Dataset.range(10).shuffle(0)


# The cardinality of each case as TensorFlow 2.21 reports it (tf.data, checked by running the
# same expressions there).
TF_CARDINALITY = {
    "batch_inf": -1,
    "batch_unk": -2,
    "concat_unk_inf": -1,
    "enum_inf": -1,
    "filter_empty": -2,
    "flat_map": -2,
    "flat_map_empty": -2,
    "map_inf": -1,
    "repeat0": 0,
    "repeat_empty_inf": 0,
    "repeat_unk": -2,
    "repeat_unk_inf": -1,
    "shard_inf": -1,
    "shard_unk": -2,
    "skip_inf": -1,
    "skip_neg": 0,
    "skip_unk": -2,
    "take_inf_0": 0,
    "take_neg": 5,
    "take_unk": -2,
    "unbatch_inf": -1,
    "window_drop_unk": -2,
    "window_inf": -1,
    "zip_inf_fin": 3,
    "zip_inf_unk": -2,
    "zip_unk_fin0": -2,
}


def test_cardinality_edge_cases_match_tensorflow():
    D = Dataset
    inf = D.range(5).repeat()
    unk = D.range(5).filter(lambda v: v > 1)
    cases = {
        "skip_neg": D.range(5).skip(-1),
        "take_neg": D.range(5).take(-1),
        "skip_inf": inf.skip(3),
        "take_unk": unk.take(2),
        "skip_unk": unk.skip(2),
        "shard_inf": inf.shard(2, 0),
        "shard_unk": unk.shard(2, 1),
        "repeat_unk": unk.repeat(2),
        "repeat_unk_inf": unk.repeat(),
        "repeat0": D.range(3).repeat(0),
        "repeat_empty_inf": D.range(0).repeat(),
        "batch_inf": inf.batch(2),
        "batch_unk": unk.batch(2),
        "zip_inf_unk": D.zip((inf, unk)),
        "zip_inf_fin": D.zip((inf, D.range(3))),
        "zip_unk_fin0": D.zip((unk, D.range(0))),
        "concat_unk_inf": unk.concatenate(inf),
        "window_inf": inf.window(2),
        "window_drop_unk": unk.window(2, drop_remainder=True),
        "unbatch_inf": inf.batch(2).unbatch(),
        "flat_map": D.range(3).flat_map(lambda v: D.range(v)),
        "flat_map_empty": D.range(0).flat_map(lambda v: D.range(v)),
        "filter_empty": D.range(0).filter(lambda v: v > 1),
        "map_inf": inf.map(lambda v: v),
        "take_inf_0": inf.take(0),
        "enum_inf": inf.enumerate(),
    }
    assert {name: int(d.cardinality()) for name, d in cases.items()} == TF_CARDINALITY


def test_orders_match_tensorflow():
    """Values TensorFlow 2.21 gives for the same pipelines."""
    D = Dataset
    got = D.range(13).window(4, shift=3, stride=2).flat_map(lambda w: w.batch(4))
    assert values(got) == [[0, 2, 4, 6], [3, 5, 7, 9], [6, 8, 10, 12], [9, 11], [12]]
    got = D.range(7).window(3, shift=4).flat_map(lambda w: w.batch(5))
    assert values(got) == [[0, 1, 2], [4, 5, 6]]
    got = D.range(1, 5).interleave(
        lambda v: D.range(v).map(lambda u: u + 10 * v), cycle_length=2, block_length=3
    )
    assert values(got) == [10, 20, 21, 30, 31, 32, 40, 41, 42, 43]
    got = D.from_tensor_slices(np.arange(12)).repeat(3).batch(7, drop_remainder=True)
    assert values(got)[1] == [7, 8, 9, 10, 11, 0, 1] and int(got.cardinality()) == 5
    assert values(D.range(30).skip(3).take(20).shard(4, 3).batch(2)) == [[6, 10], [14, 18], [22]]


def test_as_numpy_iterator_refuses_dataset_valued_elements():
    with pytest.raises(TypeError, match="DatasetSpec"):
        next(Dataset.range(4).window(2).as_numpy_iterator())


def test_a_spec_probe_does_not_change_the_shuffle_order():
    def pipeline():
        return Dataset.range(20).shuffle(20, seed=3).map(lambda v: v + 0)

    plain = values(pipeline())
    probed = pipeline()
    probed.element_spec  # noqa: B018  (the map's spec: runs the function on one element)
    assert values(probed) == plain
    gathered = (
        Dataset.from_tensor_slices(np.arange(20)).shuffle(20, seed=3).batch(5).map(lambda v: v)
    )
    first = [v.tolist() for v in gathered.as_numpy_iterator()]
    again = Dataset.from_tensor_slices(np.arange(20)).shuffle(20, seed=3).batch(5).map(lambda v: v)
    again.element_spec  # noqa: B018
    assert [v.tolist() for v in again.as_numpy_iterator()] == first


def test_map_spec_keeps_unknown_sizes_of_its_input():
    def gen():
        for n in (3, 5):
            yield np.arange(n, dtype=np.int32)

    ds = gf.data.Dataset.from_generator(gen, output_signature=gf.TensorSpec((None,), gf.int32))
    assert ds.map(lambda x: x * 2).element_spec.shape == (None,)
    pair = ds.map(lambda x: (x, gf.shape(x)[0])).element_spec
    assert pair[0].shape == (None,) and pair[1].shape == ()
    rows = gf.data.Dataset.from_tensor_slices(np.zeros((6, 4), np.float32))
    assert rows.batch(4).map(lambda x: x + 1).element_spec.shape == (None, 4)
    assert rows.map(lambda x: gf.reshape(x, (2, 2))).element_spec.shape == (2, 2)
    assert rows.batch(4, drop_remainder=True).map(lambda x: x).element_spec.shape == (4, 4)


def test_map_spec_has_none_where_sizes_follow_values_or_unknown_sizes():
    # checked against TensorFlow 2.21, which traces the function on the input spec
    ds = Dataset.range(10).map(lambda x: gf.fill([x % 3 + 1], x))
    assert ds.element_spec.shape == (None,)  # the size follows the value
    padded = ds.padded_batch(4)
    assert padded.element_spec.shape == (None, None)
    # the batch size is unknown: a reduction over the other axis keeps it unknown
    assert padded.map(lambda x: gf.reduce_sum(x, axis=1)).element_spec.shape == (None,)
    assert padded.map(lambda x: gf.reduce_sum(x, axis=0)).element_spec.shape == (None,)
    assert padded.map(lambda x: gf.shape(x)).element_spec.shape == (2,)
    kept = Dataset.from_tensor_slices([[1.0, 2.0], [3.0, 4.0]]).filter(lambda x: x[0] > 0)
    assert kept.map(lambda x: gf.concat([x, x], 0)).element_spec.shape == (4,)
    rows = Dataset.from_tensor_slices(np.zeros((4, 3), np.float32))
    assert rows.map(lambda x: gf.reshape(x, [-1, 1])).element_spec.shape == (3, 1)
    # a function that only takes the first element's sizes falls back to the first's spec
    assert rows.batch(2).map(lambda x: gf.reshape(x, [2, 3])).element_spec.shape == (2, 3)


def test_map_returns_lists_as_tensorflow_takes_them():
    import numpy as np

    import gpuflow as tf

    ds = tf.data.Dataset.range(3)
    # Python values: one tensor (TensorFlow's dtypes: int32 for ints)
    spec = ds.map(lambda x: ((37.0, [42, 16]), ["Foo", "Bar"])).element_spec
    assert spec[0][1] == tf.TensorSpec((2,), tf.int32) and spec[1] == tf.TensorSpec((2,), tf.string)
    # tensors in the list: a tuple of components
    pairs = ds.map(lambda x: [x, x * 2])
    assert pairs.element_spec == (tf.TensorSpec((), tf.int64), tf.TensorSpec((), tf.int64))
    assert [tuple(int(v) for v in p) for p in pairs] == [(0, 0), (1, 2), (2, 4)]
    arrays = ds.map(lambda x: np.array([1.0, 2.0]))
    assert arrays.element_spec == tf.TensorSpec((2,), tf.float64)


def test_dataset_spec_from_value():
    spec = gf.data.DatasetSpec.from_value(Dataset.range(3))
    assert spec.element_spec == gf.TensorSpec([], gf.int64)
    # TF's docstring shows this repr
    assert repr(spec) == (
        "DatasetSpec(TensorSpec(shape=(), dtype=tf.int64, name=None), TensorShape([]))"
    )
    with pytest.raises(TypeError, match="DatasetSpec.from_value: expected a tf.data.Dataset"):
        gf.data.DatasetSpec.from_value([1, 2])
    assert gf.type_spec_from_value(Dataset.range(3).batch(2)) == gf.data.DatasetSpec(
        gf.TensorSpec([None], gf.int64)
    )
