"""``tf.sparse.map_values``, ``tf.sparse.transpose`` and ``tf.sparse.expand_dims``: ops
that keep the entries and change only their values or their index layout."""

from __future__ import annotations

import numpy as np

from .. import nest
from ..errors import InvalidArgumentError
from .ops import _check, _take, reorder
from .sparse_tensor import SparseTensor


def map_values(op, *args, **kwargs):
    """``op`` applied to the values of the SparseTensors among ``args`` / ``kwargs`` (other
    arguments are passed as they are): a SparseTensor with the same entries.

    Raises:
        ValueError: no SparseTensor among the arguments.
        InvalidArgumentError: SparseTensors whose indices or dense shapes differ.
    """
    found = [
        x
        for x in nest.flatten((args, kwargs), expand_composites=False)
        if isinstance(x, SparseTensor)
    ]
    if not found:
        raise ValueError("sparse.map_values: No SparseTensor in argument list of map_values")
    first = found[0]
    for other in found[1:]:
        same_shape = tuple(other.shape) == tuple(first.shape)
        if not same_shape or not np.array_equal(other.indices.numpy(), first.indices.numpy()):
            raise InvalidArgumentError(
                None,
                "sparse.map_values",
                "sparse.map_values: SparseTensors to map_values must have the same indices "
                "and dense_shape",
            )

    def values_of(x):
        return x.values if isinstance(x, SparseTensor) else x

    new_args = [values_of(a) for a in args]
    new_kwargs = {k: values_of(v) for k, v in kwargs.items()}
    return SparseTensor._trusted(first.indices._data, op(*new_args, **new_kwargs), first.shape)


def transpose(sp_input, perm=None, name=None) -> SparseTensor:
    """The SparseTensor with its axes permuted (default: reversed), entries in row-major
    order, as ``tf.transpose`` of its dense tensor."""
    op = "sparse.transpose"
    sp = _check(sp_input, op)
    rank = len(sp.shape)
    if perm is None:
        perm = list(range(rank - 1, -1, -1))
    if hasattr(perm, "numpy"):
        perm = perm.numpy().tolist()
    perm = [int(p) for p in perm]
    if sorted(perm) != list(range(rank)):
        raise InvalidArgumentError(
            None, op, f"{op}: perm must be a permutation of 0..{rank - 1}, received {perm}"
        )
    indices = sp.indices._data[:, perm]
    shape = [sp.shape[p] for p in perm]
    moved = SparseTensor._trusted(indices, sp.values, shape)
    return reorder(moved)


def expand_dims(sp_input, axis=None, name=None) -> SparseTensor:
    """The SparseTensor with a new axis of size 1 at ``axis`` (negative: from the end)."""
    op = "sparse.expand_dims"
    sp = _check(sp_input, op)
    rank = len(sp.shape)
    axis = -1 if axis is None else int(axis)
    if not -rank - 1 <= axis <= rank:
        raise InvalidArgumentError(
            None, op, f"{op}: axis {axis} is out of range for a SparseTensor of rank {rank}"
        )
    axis = axis % (rank + 1)
    xp = sp.values._device.xp
    data = sp.indices._data
    zeros = xp.zeros((data.shape[0], 1), dtype=data.dtype)
    indices = xp.concatenate([data[:, :axis], zeros, data[:, axis:]], axis=1)
    shape = list(sp.shape[:axis]) + [1] + list(sp.shape[axis:])
    order = xp.arange(data.shape[0])
    return SparseTensor._trusted(indices, _take(sp.values, order), shape)
