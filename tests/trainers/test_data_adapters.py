"""ArrayDataAdapter and EpochIterator: batching, shuffling, structures, weights, devices."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow
from gpuflow.backend import get_device
from gpuflow.trainers.data_adapters import (
    ArrayDataAdapter,
    DataAdapter,
    can_convert_arrays,
    get_data_adapter,
)
from gpuflow.trainers.epoch_iterator import EpochIterator


def _batches(adapter):
    return list(adapter.get_iterator())


def test_batches_sizes_and_partial_batch():
    x = np.arange(10, dtype="float32").reshape(10, 1)
    adapter = ArrayDataAdapter(x, np.arange(10), batch_size=4)
    assert (adapter.num_batches, adapter.batch_size) == (3, 4)
    assert adapter.has_partial_batch and adapter.partial_batch_size == 2
    batches = _batches(adapter)
    assert [len(b[0]) for b in batches] == [4, 4, 2]
    np.testing.assert_array_equal(np.concatenate([b[1] for b in batches]), np.arange(10))
    assert ArrayDataAdapter(x, steps=2).batch_size == 5  # default from steps, as Keras
    assert ArrayDataAdapter(x).batch_size == 32


def test_shuffle_modes():
    x = np.arange(12).reshape(12, 1)
    gpuflow.random.set_seed(3)
    # x alone: each batch is x's slice itself (no tuple), as Keras
    full = np.concatenate(
        [b[:, 0] for b in _batches(ArrayDataAdapter(x, batch_size=4, shuffle=True))]
    )
    assert sorted(full) == list(range(12)) and list(full) != list(range(12))
    within = [b[:, 0] for b in _batches(ArrayDataAdapter(x, batch_size=4, shuffle="batch"))]
    assert [sorted(b) for b in within] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]
    plain = _batches(ArrayDataAdapter(x, batch_size=4))
    np.testing.assert_array_equal(np.concatenate(plain)[:, 0], np.arange(12))


def test_structures_of_arrays_and_sample_weights():
    x = {"a": np.zeros((6, 2)), "b": np.ones((6, 3))}
    y = [np.arange(6), np.arange(6) * 2.0]
    adapter = ArrayDataAdapter(x, y, sample_weight=np.linspace(0, 1, 6), batch_size=4)
    xb, yb, swb = _batches(adapter)[0]
    assert xb["a"].shape == (4, 2) and xb["b"].shape == (4, 3)
    assert len(yb) == 2 and len(swb) == 2  # one weight array copied per output, as Keras
    np.testing.assert_array_equal(swb[0], swb[1])
    assert can_convert_arrays((x, y, None)) and not can_convert_arrays(iter([1, 2]))


def test_class_weight_rules():
    y = np.array([0, 1, 1, 2])
    xb, yb, swb = _batches(ArrayDataAdapter(np.zeros((4, 1)), y, class_weight={1: 3.0}))[0]
    np.testing.assert_array_equal(swb, [1.0, 3.0, 3.0, 1.0])
    with pytest.raises(ValueError, match="single output"):
        ArrayDataAdapter(np.zeros((4, 1)), [y, y], class_weight={1: 3.0})
    with pytest.raises(ValueError, match="`class_weight` and `sample_weight`"):
        ArrayDataAdapter(np.zeros((4, 1)), y, sample_weight=np.ones(4), class_weight={1: 2.0})


def test_epoch_iterator_moves_batches_to_the_device_once():
    device = get_device("cpu")
    x = np.arange(8, dtype="float64").reshape(8, 1)
    iterator = EpochIterator(x, np.arange(8), batch_size=3, device=device, x_dtype="float32")
    steps = list(iterator)
    assert [s for s, _ in steps] == [0, 1, 2] and iterator.num_batches == 3
    xb, yb = steps[0][1]
    assert isinstance(xb, gpuflow.Tensor) and xb.dtype == np.float32  # cast once, up front
    assert isinstance(yb, gpuflow.Tensor) and yb.dtype == np.int64  # labels keep their dtype


def test_a_custom_adapter_plugs_in():
    class Twice(DataAdapter):
        def get_iterator(self):
            for _ in range(2):
                yield np.ones((2, 3), "float32"), np.zeros((2,), "int64")

        num_batches = property(lambda self: 2)
        batch_size = property(lambda self: 2)
        has_partial_batch = property(lambda self: False)
        partial_batch_size = property(lambda self: None)

    adapter = Twice()
    assert get_data_adapter(adapter) is adapter
    model = gpuflow.keras.Sequential([gpuflow.keras.layers.Dense(2, input_shape=(3,))])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    history = model.fit(adapter, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    with pytest.raises(ValueError, match="unrecognized data type"):
        get_data_adapter(object())


@pytest.mark.parametrize(
    "x, error, message",
    [
        (np.array(["a", "b"]), TypeError, "numeric"),
        (np.array([1 + 2j, 3j]), TypeError, "numeric"),
        # ValueError, as Keras 3 on TF 2.21 ("Invalid dtype: object", "Unrecognized data type")
        ([[1, 2], [3]], ValueError, "ragged or non-numeric|array-like"),
        (np.array([1, 0], dtype=object), ValueError, "Invalid dtype: object"),
    ],
)
def test_bad_arrays_are_refused_with_the_argument_named(x, error, message):
    model = gpuflow.keras.Sequential(
        [gpuflow.keras.layers.Input((1,)), gpuflow.keras.layers.Dense(1)]
    )
    with pytest.raises(error, match=message):
        model.predict(x, verbose=0)


def test_pandas_series_is_a_column_as_keras():
    from gpuflow.trainers.data_adapters.data_adapter_utils import as_structure

    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "b": [0, 1, 0, 1]})
    # Keras 3 slices a Series as shape (n, 1); a DataFrame as its 2-D array
    x, y = as_structure(dict(df), "x", "fit"), as_structure(df["b"], "y", "fit")
    assert x["a"].shape == (4, 1) and y.shape == (4, 1) and y.dtype == np.int64
    assert as_structure(df, "x", "fit").shape == (4, 2)
    x, y = _batches(get_data_adapter(x, y, batch_size=3))[0]
    assert np.shape(x["b"]) == (3, 1) and np.shape(y) == (3, 1)
