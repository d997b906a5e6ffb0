"""ArrayDataAdapter: batches of NumPy arrays and Tensors (and lists/dicts of them)."""

from __future__ import annotations

import math

import numpy as np

from ... import dtypes, nest
from ...random import host_rng
from ...sparse import SparseTensor, take_rows
from ...tensor import Tensor
from . import data_adapter_utils as utils
from .data_adapter import DataAdapter


def can_convert_arrays(arrays) -> bool:
    """Whether every leaf of ``arrays`` is array-like (NumPy, Tensor, list of numbers)."""
    if arrays is None:
        return True
    if utils.is_array_like(arrays):
        return True
    if not nest.is_nested(arrays):
        return False
    children = arrays.values() if isinstance(arrays, dict) else arrays
    return all(can_convert_arrays(child) for child in children)


class ArrayDataAdapter(DataAdapter):
    """Slices ``(x, y, sample_weight)`` arrays into batches, shuffled per epoch if asked.

    Args:
        x, y, sample_weight: arrays, Tensors, or lists/dicts of them (checked already by
            the caller, see ``data_adapter_utils.check_data``).
        batch_size: samples per batch (default 32, or ``ceil(n / steps)`` when ``steps``).
        steps: batches per epoch when given (used only for the default batch size).
        shuffle: True (a new permutation each epoch), ``"batch"`` (shuffle within each
            batch), or False.
        class_weight: ``{class: weight}``; becomes per-sample weights (single output only).
        device: when given, the arrays move to this device once and batches are Tensors
            there (no host-to-device copy per batch).
        x_dtype: when given, float ``x`` leaves are cast to it once (integer inputs are
            left to the layers: an Embedding needs them as they are).
    """

    def __init__(
        self,
        x,
        y=None,
        sample_weight=None,
        batch_size=None,
        steps=None,
        shuffle=False,
        class_weight=None,
        device=None,
        x_dtype=None,
        op="fit",
    ) -> None:
        if sample_weight is not None and class_weight is not None:
            raise ValueError("You cannot `class_weight` and `sample_weight` at the same time.")
        if class_weight is not None:
            if nest.is_nested(y):
                raise ValueError(
                    "`class_weight` is only supported for Models with a single output."
                )
            if y is None:
                raise ValueError(f"{op}: class_weight needs the targets y")
            sample_weight = utils.class_weight_to_sample_weights(y, class_weight, op)
        if sample_weight is not None and nest.is_nested(y) and not nest.is_nested(sample_weight):
            if np.ndim(sample_weight) > 1 and np.shape(sample_weight)[1] != 1:
                raise ValueError(
                    "For a model with multiple outputs, when providing a single "
                    "`sample_weight` array, it should only have one scalar score per "
                    "sample (i.e. shape `(num_samples,)`)."
                )
            sample_weight = nest.map_structure(lambda _: sample_weight, y)
        if shuffle not in (True, False, "batch"):
            raise ValueError(f"{op}: shuffle must be True, False or 'batch', received {shuffle!r}")
        n = utils.num_samples(x, "x", op)
        if not batch_size:
            batch_size = int(math.ceil(n / steps)) if steps else 32
        self._num_samples = n
        self._batch_size = int(batch_size)
        self._size = int(math.ceil(n / self._batch_size))
        self._partial = n % self._batch_size
        self._shuffle = shuffle
        if device is not None:
            x = nest.map_structure(lambda a: _on_device(a, device, x_dtype), x)
            y, sample_weight = (
                nest.map_structure(lambda a: _on_device(a, device, None), part)
                for part in (y, sample_weight)
            )
        self._device = device
        # as Keras on TensorFlow (batches come through tf.data): lists arrive as tuples
        x, y, sample_weight = (_lists_to_tuples(part) for part in (x, y, sample_weight))
        self._inputs = utils.pack_x_y_sample_weight(x, y, sample_weight)
        self._flat_tuple = isinstance(self._inputs, tuple) and not any(
            nest.is_nested(part) for part in self._inputs
        )

    def get_iterator(self):
        order = None
        if self._shuffle is True:
            order = host_rng().permutation(self._num_samples)
            if self._device is not None:  # one host-to-device copy per epoch, not per batch
                order = self._device.asarray(order)
        for i in range(self._size):
            start = i * self._batch_size
            stop = min(start + self._batch_size, self._num_samples)
            if self._shuffle == "batch":
                index = host_rng().permutation(stop - start) + start
            elif order is not None:
                index = order[start:stop]
            else:
                index = slice(start, stop)
            yield self._slice(index)

    def _slice(self, index):
        inputs = self._inputs
        if self._flat_tuple:  # the common (x, y[, sample_weight]) of plain arrays: no nest walk
            return tuple(_take(a, index) for a in inputs)
        return nest.map_structure(lambda a: _take(a, index), inputs)

    @property
    def batches_on_device(self) -> bool:
        return self._device is not None

    @property
    def num_batches(self) -> int:
        return self._size

    @property
    def batch_size(self) -> int:
        return self._batch_size

    @property
    def has_partial_batch(self) -> bool:
        return self._partial > 0

    @property
    def partial_batch_size(self):
        return self._partial or None


def _on_device(array, device, dtype):
    """``array`` as a Tensor on ``device`` (cast to ``dtype`` for numeric x), one copy at most."""
    if array is None:
        return None
    if isinstance(array, SparseTensor):
        return sparse_on_device(array, device, dtype)
    if isinstance(array, Tensor):
        if array._data.dtype.kind == "O":  # tf.string stays on the host
            return array
        data = array._data if array._device is device else device.asarray(array.numpy())
    elif np.asarray(array).dtype.kind == "O":
        return Tensor(array)  # tf.string stays on the host
    else:
        data = device.asarray(array)
    if dtype is not None and data.dtype != dtype and dtypes.kind(data.dtype) == "f":
        data = data.astype(dtype)
    return Tensor._wrap(data, device)


def sparse_on_device(sp: SparseTensor, device, dtype=None) -> SparseTensor:
    """``sp`` with its values on ``device`` (float values cast to ``dtype``); itself if it
    is there already."""
    values = sp.values
    data = values._data if values._device is device else device.asarray(values.numpy())
    if dtype is not None and data.dtype != dtype and dtypes.kind(data.dtype) == "f":
        data = data.astype(dtype)
    if data is values._data:
        return sp
    return SparseTensor(sp.indices.numpy(), Tensor._wrap(data, device), tuple(sp.shape))


def ragged_on_device(rt, device, dtype=None):
    """``rt`` (a RaggedTensor) with its flat values and row splits on ``device`` (float
    values cast to ``dtype``); itself if it is there already."""
    flat = rt.flat_values
    if flat._data.dtype.kind == "O":
        return rt  # tf.string stays on the host
    data = flat._data if flat._device is device else device.asarray(flat.numpy())
    if dtype is not None and data.dtype != dtype and dtypes.kind(data.dtype) == "f":
        data = data.astype(dtype)
    if data is flat._data:
        return rt
    result = Tensor._wrap(data, device)
    for splits in reversed(rt.nested_row_splits):
        splits_data = device.asarray(splits.numpy())
        result = type(rt)(result, Tensor._wrap(splits_data, device), _internal=True)
    return result


def _take(array, index):
    if array is None:
        return None
    if isinstance(array, SparseTensor):
        if not isinstance(index, (slice, np.ndarray)):  # a shuffled order kept on the device
            index = array.values._device.to_host(index)
        return take_rows(array, index)
    if isinstance(array, Tensor):
        data = array._data
        if isinstance(index, np.ndarray) and array._device.xp is not np:
            index = array._device.asarray(index)
        elif data.dtype.kind == "O" and not isinstance(index, (slice, np.ndarray)):
            index = np.asarray(index.get() if hasattr(index, "get") else index)  # host strings
        return Tensor._wrap(data[index], array._device)
    return array[index]


def _lists_to_tuples(structure):
    """``structure`` with its lists (at any depth) as tuples; dicts keep their keys."""
    if isinstance(structure, list):
        return tuple(_lists_to_tuples(v) for v in structure)
    if isinstance(structure, tuple) and not hasattr(structure, "_fields"):
        return tuple(_lists_to_tuples(v) for v in structure)
    if isinstance(structure, dict):
        return type(structure)((k, _lists_to_tuples(v)) for k, v in structure.items())
    return structure
