"""Assorted top-level TensorFlow ops: ``realdiv``, ``reverse_sequence``,
``unique_with_counts``, ``dynamic_partition``, ``dynamic_stitch``, ``unravel_index``,
``timestamp`` and ``get_static_value``.

The ones that move values (reverse_sequence, dynamic_partition, dynamic_stitch) are one
differentiable gather (``getitem``) whose integer index is worked out on the host, so
their gradients flow under ``GradientTape`` as in TensorFlow; as that index depends on
tensor values, inside ``gpuflow.function`` they raise OperatorNotAllowedInGraphError.
unique_with_counts, unravel_index and timestamp run as one host step there.
"""

from __future__ import annotations

import time
from collections import namedtuple

import numpy as np

from .. import dtypes
from .._tracing import host_call
from ..errors import OperatorNotAllowedInGraphError
from ..tensor import Tensor, Variable
from ._common import as_int, as_tensor, invalid_argument, invalid_type, unsupported_dtype


def _wrap(array, like: Tensor) -> Tensor:
    return Tensor._wrap(like._device.asarray(array), like._device)


def _int_values(value, op, name) -> np.ndarray:
    t = as_tensor(value)
    if not dtypes.is_integer(t.dtype):
        raise unsupported_dtype(
            op, f"{name} must be an integer tensor, received dtype {t.dtype.name}"
        )
    return t.numpy()


def realdiv(x, y, name=None) -> Tensor:
    """``x / y`` for real (float) tensors; integer tensors are refused, as TF has no
    RealDiv kernel for them."""
    from .math import divide

    a, b = as_tensor(x), as_tensor(y)
    for t in (a, b):
        if not dtypes.is_floating(t.dtype) and t.dtype.kind != "c":
            raise unsupported_dtype(
                "realdiv", f"expected float or complex tensors, received dtype {t.dtype.name}"
            )
    return divide(a, b)


def reverse_sequence(input, seq_lengths, seq_axis=None, batch_axis=None, name=None) -> Tensor:  # noqa: A002
    """Reverse the first ``seq_lengths[b]`` elements along ``seq_axis`` of every slice ``b``
    along ``batch_axis`` (default 0); the rest stay in place. Differentiable in ``input``."""
    from .indexing import getitem

    op = "reverse_sequence"
    x = as_tensor(input)
    if seq_axis is None:
        raise invalid_type(op, "Expected int for argument 'seq_axis' not None.")
    seq_axis = as_int(op, "seq_axis", seq_axis)
    batch_axis = 0 if batch_axis is None else as_int(op, "batch_axis", batch_axis)
    if seq_axis < 0:
        seq_axis += x.ndim
    if batch_axis < 0:
        batch_axis += x.ndim
    if not (0 <= seq_axis < x.ndim and 0 <= batch_axis < x.ndim) or seq_axis == batch_axis:
        raise invalid_argument(
            op,
            f"seq_axis and batch_axis must be different axes of the input of rank {x.ndim}, "
            f"received seq_axis={seq_axis}, batch_axis={batch_axis}",
        )
    lengths = _int_values(seq_lengths, op, "seq_lengths").reshape(-1)
    if lengths.shape[0] != x.shape[batch_axis]:
        raise invalid_argument(
            op,
            f"len(seq_lengths) ({lengths.shape[0]}) != input.dims({batch_axis}) "
            f"({x.shape[batch_axis]})",
        )
    n = x.shape[seq_axis]
    if lengths.size and (lengths.min() < 0 or lengths.max() > n):
        raise invalid_argument(
            op, f"seq_lengths must be in [0, {n}] (input.dims({seq_axis})), received {lengths}"
        )
    positions = np.arange(n)[None, :]
    lens = lengths[:, None]
    source = np.where(positions < lens, lens - 1 - positions, positions)  # [batch, seq]
    index = []
    for axis in range(x.ndim):
        shape = [1] * x.ndim
        if axis == seq_axis:
            shape[batch_axis], shape[seq_axis] = source.shape
            ordered = source if batch_axis < seq_axis else source.T
            index.append(ordered.reshape(shape))
        else:
            shape[axis] = x.shape[axis]
            index.append(np.arange(x.shape[axis]).reshape(shape))
    return getitem(x, tuple(index))


UniqueWithCounts = namedtuple("UniqueWithCounts", ["y", "idx", "count"])


@host_call(effect=False)  # not differentiable: one host step when traced
def unique_with_counts(x, out_idx="int32", name=None) -> UniqueWithCounts:
    """``(y, idx, count)``: the distinct values of 1-D ``x`` in order of first appearance,
    each element's position in ``y``, and how often each value occurs."""
    from .sorting import unique

    t = as_tensor(x)
    if t.ndim != 1:
        raise invalid_argument(
            "unique_with_counts", f"expected a 1-D tensor, received shape {tuple(t.shape)}"
        )
    dt = dtypes.as_dtype(out_idx, "unique_with_counts")
    if not dt.is_integer:
        raise invalid_type("unique_with_counts", f"out_idx must be int32 or int64, received {dt}")
    y, idx = unique(t, out_idx=dt)
    counts = np.bincount(idx.numpy(), minlength=y.shape[0]).astype(dt)
    return UniqueWithCounts(y, idx, _wrap(counts, t))


def dynamic_partition(data, partitions, num_partitions, name=None) -> list:
    """Split ``data`` into ``num_partitions`` tensors: the slices where ``partitions``
    (an int tensor shaped like a prefix of ``data``) equals ``i`` go to output ``i``, in
    order. Differentiable in ``data``."""
    from .indexing import getitem

    op = "dynamic_partition"
    x = as_tensor(data)
    p = as_tensor(partitions)
    if not dtypes.is_integer(p.dtype):
        raise unsupported_dtype(
            op, f"partitions must be an integer tensor, received dtype {p.dtype.name}"
        )
    num = as_int(op, "num_partitions", num_partitions, minimum=1)
    if tuple(p.shape) != tuple(x.shape[: p.ndim]):
        raise invalid_argument(
            op,
            f"data.shape must start with partitions.shape, received data.shape "
            f"{tuple(x.shape)} and partitions.shape {tuple(p.shape)}",
        )
    rest = tuple(x.shape[p.ndim :])
    from .shape import reshape

    flat = reshape(x, (-1,) + rest)
    # a host step when traced: each call's own partitions
    return [getitem(flat, (i._data,)) for i in _partition_indices(p, num)]


@host_call(effect=False)
def _partition_indices(partitions: Tensor, num: int) -> list:
    """For each partition ``i`` in ``[0, num)``, the flat positions where it is chosen."""
    parts = partitions.numpy()
    if parts.size and (parts.min() < 0 or parts.max() >= num):
        raise invalid_argument(
            "dynamic_partition",
            f"partitions must be in [0, {num}), received values {np.unique(parts).tolist()}",
        )
    flat = parts.reshape(-1)
    device = partitions._device
    return [Tensor._wrap(device.asarray(np.flatnonzero(flat == i)), device) for i in range(num)]


def dynamic_stitch(indices, data, name=None) -> Tensor:
    """Interleave ``data`` into one tensor: ``out[indices[m][i]] = data[m][i]``; where an
    index repeats, the last write wins. Differentiable in ``data``."""
    from .indexing import getitem
    from .shape import concat, reshape

    op = "dynamic_stitch"
    if not isinstance(indices, (list, tuple)) or not isinstance(data, (list, tuple)):
        raise invalid_type(op, "indices and data must be lists of tensors")
    if len(indices) != len(data) or not indices:
        raise invalid_argument(
            op,
            f"indices and data must be non-empty lists of one length, received "
            f"{len(indices)} and {len(data)}",
        )
    index_arrays = [_int_values(i, op, "indices").astype(np.int64) for i in indices]
    tensors = [as_tensor(d) for d in data]
    rest = None
    pieces = []
    for m, (idx, d) in enumerate(zip(index_arrays, tensors)):
        if tuple(d.shape[: idx.ndim]) != idx.shape:
            raise invalid_argument(
                op,
                f"data[{m}].shape = {list(d.shape)} does not start with "
                f"indices[{m}].shape = {list(idx.shape)}",
            )
        tail = tuple(d.shape[idx.ndim :])
        if rest is None:
            rest = tail
        elif tail != rest:
            raise invalid_argument(
                op, f"data[{m}] has trailing shape {list(tail)}, expected {list(rest)}"
            )
        pieces.append(reshape(d, (-1,) + rest))
    flat_idx = np.concatenate([i.reshape(-1) for i in index_arrays])
    if flat_idx.size and flat_idx.min() < 0:
        raise invalid_argument(op, f"indices must be >= 0, received {flat_idx.min()}")
    size = int(flat_idx.max()) + 1 if flat_idx.size else 0
    source = np.full(size, -1, dtype=np.int64)
    source[flat_idx] = np.arange(flat_idx.size)  # later writes win, as in TF
    if (source < 0).any():
        missing = np.flatnonzero(source < 0).tolist()
        raise invalid_argument(
            op, f"indices {missing} are missing: every index in [0, {size}) must appear"
        )
    stacked = concat(pieces, 0) if len(pieces) > 1 else pieces[0]
    return getitem(stacked, (source,))


@host_call(effect=False, droppable=False)  # read the clock on every compiled call
def timestamp(name=None) -> Tensor:
    """Seconds since the epoch as a float64 scalar."""
    from .creation import constant

    return constant(time.time(), dtype="float64")


def get_static_value(tensor, partial=False):
    """The value of ``tensor`` as a NumPy array (eager tensors are always known); other
    Python values are returned unchanged, as TF's constant_value does. None for a
    ``tf.Variable`` (its value may change) and for a value only known when a compiled
    ``tf.function`` step runs, as TF."""
    if isinstance(tensor, Variable):
        return None
    if isinstance(tensor, Tensor):
        try:
            return tensor.numpy()
        except OperatorNotAllowedInGraphError:
            return None
    return tensor
