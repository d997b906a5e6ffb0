"""``tf.concat`` / ``tf.stack`` of RaggedTensors and ``tf.ragged.boolean_mask``."""

from __future__ import annotations

import numpy as np

from ..ops._common import as_tensor
from ..ops.indexing import gather
from ..ops.shape import concat as dense_concat
from ..tensor import Tensor
from .ragged_tensor import RaggedTensor, _error


def _as_ragged(value, op) -> RaggedTensor:
    if isinstance(value, RaggedTensor):
        return value
    t = as_tensor(value)
    if t.ndim < 2:
        raise _error(op, f"cannot join a tensor of shape {tuple(t.shape)} with RaggedTensors")
    return RaggedTensor.from_tensor(t)


def _concat_values(parts):
    if isinstance(parts[0], RaggedTensor):
        return concat(parts, 0)
    return dense_concat(parts, 0)


def concat(values, axis):
    """Join along ``axis``: 0 appends rows, 1 joins each row's values (ragged_rank 1)."""
    op = "concat"
    rts = [_as_ragged(v, op) for v in values]
    if not rts:
        raise _error(op, "expected at least one tensor")
    rank = rts[0].ndim
    if any(r.ndim != rank for r in rts) or any(r.ragged_rank != rts[0].ragged_rank for r in rts):
        raise _error(
            op,
            f"ranks differ: {[r.ndim for r in rts]} (ragged ranks {[r.ragged_rank for r in rts]})",
        )
    axis = int(axis) % rank if -rank <= int(axis) < rank else None
    if axis is None:
        raise _error(op, f"axis out of range for rank {rank}")
    device = rts[0]._row_splits._device
    if axis == 0:
        splits, offset = [np.zeros(1, np.int64)], 0
        for r in rts:
            s = device.to_host(r._row_splits._data)
            splits.append(s[1:] + offset)
            offset += int(s[-1])
        return RaggedTensor.from_row_splits(
            _concat_values([r._values for r in rts]), np.concatenate(splits), validate=False
        )
    if axis == 1 and rts[0].ragged_rank == 1:
        n = rts[0].nrows_int()
        if any(r.nrows_int() != n for r in rts):
            raise _error(op, f"row counts differ: {[r.nrows_int() for r in rts]}")
        # value order: row 0 of each input, then row 1 of each input, ...: a stable sort of
        # the key (row * k + input) over the inputs' values laid end to end
        lengths = np.stack([device.to_host(r.row_lengths()._data) for r in rts])  # [k, n]
        keys = np.concatenate(
            [device.to_host(r.value_rowids()._data) * len(rts) + k for k, r in enumerate(rts)]
        )
        order = np.argsort(keys, kind="stable").astype(np.int64)
        joined = dense_concat([r.values for r in rts], 0)
        values = gather(joined, Tensor._wrap(device.asarray(order), device))
        return RaggedTensor.from_row_lengths(values, lengths.sum(axis=0), validate=False)
    if axis > rts[0].ragged_rank:
        for r in rts[1:]:
            from .math import _same_partition

            _same_partition(rts[0], r, op)
        inner = axis - rts[0].ragged_rank
        return rts[0].with_flat_values(dense_concat([r.flat_values for r in rts], inner))
    raise _error(
        op,
        f"axis {axis} of RaggedTensors with ragged_rank {rts[0].ragged_rank} is "
        "not supported; join along 0, 1 (ragged_rank 1) or a uniform inner axis",
    )


def stack(values, axis=0):
    """Stack along a new axis 0 (the result has one more ragged dimension) or axis 1."""
    op = "stack"
    rts = [_as_ragged(v, op) for v in values]
    if not rts:
        raise _error(op, "expected at least one tensor")
    if axis == 0:
        joined = concat(rts, 0)
        counts = [r.nrows_int() for r in rts]
        return RaggedTensor.from_row_lengths(joined, np.asarray(counts, np.int64), validate=False)
    if axis == 1:
        n = rts[0].nrows_int()
        if any(r.nrows_int() != n for r in rts):
            raise _error(op, f"row counts differ: {[r.nrows_int() for r in rts]}")
        k = len(rts)
        interleaved = concat([r for r in rts], 0)  # rows of input 0, then input 1, ...
        order = np.arange(n * k).reshape(k, n).T.reshape(-1)
        from .indexing import _take_rows

        rows = _take_rows(interleaved, order.astype(np.int64))
        return RaggedTensor.from_uniform_row_length(rows, k)
    raise _error(op, f"axis {axis}: gpuflow stacks RaggedTensors along axis 0 or 1")


def boolean_mask(data, mask, name=None):
    """Keep the entries of ``data`` where ``mask`` is True, as rows of a RaggedTensor.

    A mask of rank 1 keeps whole rows; a mask of rank 2 over a dense (or ragged) ``data``
    keeps, in each row, the positions where it is True.
    """
    op = "ragged.boolean_mask"
    if isinstance(mask, RaggedTensor):
        if not isinstance(data, RaggedTensor):
            raise _error(op, "a ragged mask needs ragged data")
        from .math import _same_partition

        _same_partition(data, mask, op)
        keep = mask.flat_values._data.astype(bool)
        device = data.flat_values._device
        kept = device.xp.nonzero(keep)[0]
        rows = data.value_rowids()._data[kept]
        lengths = (
            device.xp.bincount(rows, minlength=data.nrows_int())
            if len(rows)
            else device.xp.zeros(data.nrows_int(), np.int64)
        )
        values = gather(data.values, Tensor._wrap(kept, device))
        return RaggedTensor.from_row_lengths(values, device.to_host(lengths), validate=False)
    m = as_tensor(mask)
    if m.dtype != np.bool_:
        raise TypeError(f"{op}: mask must be bool, received {m.dtype.name}")
    if isinstance(data, RaggedTensor):
        if m.ndim != 1 or m.shape[0] != data.nrows_int():
            raise _error(op, f"mask of shape {tuple(m.shape)} for {data.nrows_int()} rows")
        from .indexing import _take_rows

        return _take_rows(data, np.nonzero(m.numpy())[0].astype(np.int64))
    x = as_tensor(data)
    if tuple(x.shape[: m.ndim]) != tuple(m.shape):
        raise _error(
            op,
            f"mask shape {tuple(m.shape)} does not match the leading axes of data "
            f"shape {tuple(x.shape)}",
        )
    device = x._device
    host = m.numpy()
    if m.ndim == 1:
        return gather(x, Tensor._wrap(device.asarray(np.nonzero(host)[0]), device))
    if m.ndim != 2:
        raise _error(op, f"mask of rank {m.ndim}: gpuflow supports rank 1 and 2")
    from ..ops.shape import reshape

    flat = reshape(x, [-1] + list(x.shape[2:]))
    kept = np.nonzero(host.reshape(-1))[0]
    values = gather(flat, Tensor._wrap(device.asarray(kept), device))
    return RaggedTensor.from_row_lengths(values, host.sum(axis=1).astype(np.int64), validate=False)


def ragged_stack(values, axis=0):
    """``tf.ragged.stack``: stack tensors of any shapes into one RaggedTensor.

    As in TensorFlow, a dense input of rank r >= 2 counts as a RaggedTensor of ragged_rank
    r - 1 (every axis may differ); rank-1 inputs become rows.
    """
    op = "ragged.stack"
    values = list(values)
    if not values:
        raise _error(op, "expected at least one tensor")
    if all(not isinstance(v, RaggedTensor) and as_tensor(v).ndim == 1 for v in values):
        return stack_rows(values, axis)
    rank = max(v.ndim if isinstance(v, RaggedTensor) else as_tensor(v).ndim for v in values)
    converted = [
        v
        if isinstance(v, RaggedTensor)
        else RaggedTensor.from_tensor(as_tensor(v), ragged_rank=max(rank - 1, 1))
        for v in values
    ]
    return stack(converted, axis)


def stack_rows(values, axis=0):
    """Rows of different lengths, one per tensor: ``[n, (len), inner...]``, ragged_rank 1.

    What ``Dataset.ragged_batch`` makes of a batch of elements whose first axis varies
    (the inner axes must agree).
    """
    op = "ragged.stack_rows"
    values = list(values)
    if not values:
        raise _error(op, "expected at least one tensor")
    if axis != 0:
        raise _error(op, f"axis {axis}: dense inputs stack along axis 0")
    tensors = [as_tensor(v) for v in values]
    if any(t.ndim == 0 for t in tensors):
        raise _error(op, "inputs must have rank >= 1 (each becomes a row)")
    inner = {tuple(t.shape[1:]) for t in tensors}
    if len(inner) > 1:
        raise _error(op, f"inputs differ beyond their first axis: {sorted(inner)}")
    lengths = np.asarray([t.shape[0] for t in tensors], np.int64)
    return RaggedTensor.from_row_lengths(dense_concat(tensors, 0), lengths, validate=False)


# The hooks gpuflow.concat / gpuflow.stack call on RaggedTensors; installed here, not
# defined in ragged_tensor.py, because this module imports that one.
RaggedTensor._concat = staticmethod(concat)
RaggedTensor._stack = staticmethod(stack)
