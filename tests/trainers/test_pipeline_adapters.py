"""Data adapters: batches as (x,), (x, y) or (x, y, sw), counts, epoch hooks, worker pools."""

from __future__ import annotations

import gc
import threading

import numpy as np
import pytest

import gpuflow as gf
from gpuflow.trainers.data_adapters import (
    GeneratorDataAdapter,
    PyDatasetAdapter,
    TFDatasetAdapter,
    get_data_adapter,
    is_pipeline_input,
)

X = np.arange(20, dtype=np.float32).reshape(10, 2)
Y = np.arange(10)


class Batches(gf.keras.utils.PyDataset):
    def __init__(self, batch_size=4, **kwargs):
        super().__init__(**kwargs)
        self.batch_size = batch_size
        self.events = []

    def __len__(self):
        return -(-len(X) // self.batch_size)

    def __getitem__(self, i):
        s = slice(i * self.batch_size, (i + 1) * self.batch_size)
        return X[s], Y[s]

    def on_epoch_begin(self):
        self.events.append("begin")

    def on_epoch_end(self):
        self.events.append("end")


class Endless(gf.keras.utils.PyDataset):
    @property
    def num_batches(self):
        return None

    def __getitem__(self, i):
        return X[:2] + i, Y[:2]


def test_dataset_adapter_shapes_counts_and_sample_weights():
    ds = gf.data.Dataset.from_tensor_slices((X, Y, np.ones(10))).batch(4)
    adapter = TFDatasetAdapter(ds)
    batches = list(adapter.get_iterator())
    assert [len(b) for b in batches] == [3, 3, 3]
    assert all(isinstance(part, np.ndarray) for b in batches for part in b)
    assert adapter.num_batches == 3 and adapter.batch_size is None
    assert (
        TFDatasetAdapter(
            gf.data.Dataset.from_tensor_slices(X).batch(5, drop_remainder=True)
        ).batch_size
        == 5
    )
    x_only = next(TFDatasetAdapter(gf.data.Dataset.from_tensor_slices(X).batch(4)).get_iterator())
    assert len(x_only) == 1 and x_only[0].shape == (4, 2)
    assert TFDatasetAdapter(ds.repeat()).num_batches is None
    with pytest.raises(ValueError, match="tuple of 4 parts"):
        list(
            TFDatasetAdapter(
                gf.data.Dataset.from_tensor_slices((X, Y, Y, Y)).batch(2)
            ).get_iterator()
        )


def test_dict_inputs_stay_a_dict():
    ds = gf.data.Dataset.from_tensor_slices(({"a": X, "b": Y}, Y)).batch(5)
    x, y = next(TFDatasetAdapter(ds).get_iterator())
    assert set(x) == {"a", "b"} and x["a"].shape == (5, 2) and y.shape == (5,)


def test_py_dataset_adapter_in_order_and_shuffled():
    ds = Batches()
    adapter = PyDatasetAdapter(ds, shuffle=False)
    firsts = [b[1][0] for b in adapter.get_iterator()]
    assert firsts == [0, 4, 8] and adapter.num_batches == 3
    shuffled = PyDatasetAdapter(ds, shuffle=True)
    orders = {tuple(int(b[1][0]) for b in shuffled.get_iterator()) for _ in range(10)}
    assert all(sorted(o) == [0, 4, 8] for o in orders) and len(orders) > 1
    adapter.on_epoch_begin()
    adapter.on_epoch_end()
    assert ds.events == ["begin", "end"]


@pytest.mark.parametrize("multiprocessing", [False, True])
def test_py_dataset_workers_keep_order_and_end_their_pools(multiprocessing):
    before = set(threading.enumerate())
    ds = Batches(batch_size=1, workers=3, use_multiprocessing=multiprocessing, max_queue_size=4)
    adapter = PyDatasetAdapter(ds)
    assert [int(b[1][0]) for b in adapter.get_iterator()] == list(range(10))
    it = adapter.get_iterator()
    next(it)
    del it
    gc.collect()
    assert set(threading.enumerate()) <= before


def test_generator_adapter():
    def gen():
        for i in range(3):
            yield X[i : i + 2], Y[i : i + 2]

    adapter = GeneratorDataAdapter(gen())
    assert adapter.num_batches is None
    assert len(list(adapter.get_iterator())) == 3
    assert list(adapter.get_iterator()) == []  # a generator runs once
    with pytest.raises(ValueError, match="at least one batch"):
        GeneratorDataAdapter(iter(()))
    with pytest.raises(ValueError, match="must return a tuple"):
        GeneratorDataAdapter(x for x in [X])


def test_get_data_adapter_checks_arguments():
    ds = gf.data.Dataset.from_tensor_slices((X, Y)).batch(2)
    assert isinstance(get_data_adapter(ds), TFDatasetAdapter)
    assert isinstance(get_data_adapter(Batches()), PyDatasetAdapter)
    assert isinstance(get_data_adapter(x for x in [(X, Y)]), GeneratorDataAdapter)
    assert is_pipeline_input(ds) and not is_pipeline_input(X)
    with pytest.raises(ValueError, match="`y` should not be passed"):
        get_data_adapter(ds, y=Y)
    # batch_size is ignored, as Keras 3.15: the Dataset's own batches come out
    x, y = next(get_data_adapter(ds, batch_size=32).get_iterator())
    assert x.shape[0] == y.shape[0] == 2
    assert Endless().num_batches is None


def test_class_weight_becomes_per_batch_sample_weights():
    weights = {0: 2.0, 1: 0.5}
    ds = gf.data.Dataset.from_tensor_slices((X, Y % 2)).batch(4)
    x, y, sw = next(get_data_adapter(ds, class_weight=weights).get_iterator())
    np.testing.assert_array_equal(sw, [2.0, 0.5, 2.0, 0.5])
    x, y, sw = next(get_data_adapter(Batches(), class_weight={3: 4.0}).get_iterator())
    np.testing.assert_array_equal(sw, [1.0, 1.0, 1.0, 4.0])
    with_sw = gf.data.Dataset.from_tensor_slices((X, Y, np.ones(10))).batch(4)
    with pytest.raises(ValueError, match="class_weight` and `sample_weight"):
        next(get_data_adapter(with_sw, class_weight=weights).get_iterator())
    with pytest.raises(ValueError, match="not supported for Python generator"):
        get_data_adapter((b for b in [(X, Y)]), class_weight=weights)


def test_infinite_inputs_say_so():
    ds = gf.data.Dataset.from_tensor_slices((X, Y)).batch(2)
    assert get_data_adapter(ds.repeat()).is_infinite
    assert not get_data_adapter(ds).is_infinite
    assert get_data_adapter(Endless()).is_infinite and not get_data_adapter(Batches()).is_infinite
