"""Elementwise math on RaggedTensors: operators, broadcasting with dense tensors,
``tf.ragged.map_flat_values``."""

from __future__ import annotations

import numpy as np

from ..errors import InvalidArgumentError
from ..ops import math as m
from ..ops._common import as_tensor
from ..ops.indexing import gather
from ..ops.shape import reshape
from ..tensor import Tensor
from .ragged_tensor import RaggedTensor, _error


def _same_partition(a: RaggedTensor, b: RaggedTensor, op: str) -> None:
    sa, sb = a.nested_row_splits, b.nested_row_splits
    if len(sa) != len(sb) or any(
        x.shape != y.shape or not bool((x._data == y._data).all()) for x, y in zip(sa, sb)
    ):
        raise _error(
            op,
            f"RaggedTensors with different row lengths: "
            f"{a.row_lengths().numpy().tolist()} and "
            f"{b.row_lengths().numpy().tolist()}",
        )


_TAKES_FLOAT = "biuf"  # the kinds of list / array operand that take float values' dtype


def _dense_operand(rt: RaggedTensor, other, op: str) -> Tensor:
    """``other`` (scalar or dense) as a tensor that lines up with ``rt.flat_values``."""
    flat = rt.flat_values
    if isinstance(other, (bool, int, float, complex, np.generic)):
        return other  # a scalar takes the values' dtype in the op (rt * 2.0 on float64 values)
    if not isinstance(other, Tensor) and np.asarray(other).dtype.kind in _TAKES_FLOAT:
        # a list or NumPy array converts to float values' dtype, as TensorFlow's dtype hint
        dense = as_tensor(other, device=flat._device, dtype=flat.dtype)
    else:
        dense = as_tensor(other, device=flat._device)
    inner_rank = flat.ndim - 1
    if dense.ndim <= inner_rank:  # broadcasts against the uniform inner axes only
        return dense
    outer = dense.ndim - inner_rank  # its axes that line up with rows and ragged axes
    if dense.ndim <= rt.ndim and all(n == 1 for n in dense.shape[:outer]):
        # size 1 along the rows and ragged axes: the same inner block for every value
        return reshape(dense, [1] + list(dense.shape[outer:]))
    if (
        rt.ragged_rank == 1
        and dense.ndim == rt.ndim
        and dense.shape[1] == 1
        and dense.shape[0] in (1, rt.nrows_int())
    ):
        # one value per row, broadcast along the ragged axis: repeat it for each value
        rows = (
            rt.value_rowids()._data
            if dense.shape[0] > 1
            else flat._device.xp.zeros(flat.shape[0], dtype=np.int64)
        )
        picked = gather(dense, Tensor._wrap(rows, flat._device))
        return reshape(picked, [flat.shape[0]] + list(dense.shape[2:]))
    if (
        rt.ragged_rank == 1
        and dense.ndim == rt.ndim
        and dense.shape[0] == rt.nrows_int()
        and bool((rt.row_lengths()._data == dense.shape[1]).all())
    ):
        # every row as long as the dense tensor's: its rows, one after another
        return reshape(dense, [flat.shape[0]] + list(dense.shape[2:]))
    raise _error(
        op,
        f"cannot broadcast a dense tensor of shape {tuple(dense.shape)} to a "
        f"RaggedTensor of shape {tuple(rt.shape)}; use a scalar, inner dims "
        f"{tuple(flat.shape[1:])}, or shape [nrows, 1, ...]",
    )


def _lines_up(rt: RaggedTensor, other) -> bool:
    """Whether ``other`` broadcasts against ``rt`` (``==`` is False when it does not)."""
    if other is None:
        return False
    try:
        if isinstance(other, RaggedTensor):
            _same_partition(rt, other, "RaggedTensor.__eq__")
        else:
            _dense_operand(rt, other, "RaggedTensor.__eq__")
    except InvalidArgumentError:
        return False
    return True


def _binary(fn, name: str, reflected: bool = False):
    def method(self, other):
        op = f"RaggedTensor.{name}"
        if isinstance(other, RaggedTensor):
            _same_partition(self, other, op)
            operand = other.flat_values
        else:
            operand = _dense_operand(self, other, op)
        a, b = (operand, self.flat_values) if reflected else (self.flat_values, operand)
        return self.with_flat_values(fn(a, b))

    method.__name__ = name
    return method


_BINARY = {
    "add": m.add,
    "sub": m.subtract,
    "mul": m.multiply,
    "truediv": m.divide,
    "pow": m.pow,
    "floordiv": m.floordiv,
    "mod": m.floormod,
}
_COMPARE = {"lt": m.less, "le": m.less_equal, "gt": m.greater, "ge": m.greater_equal}


def install(cls) -> None:
    """Give ``cls`` (RaggedTensor) its arithmetic and comparison operators."""
    for name, fn in _BINARY.items():
        setattr(cls, f"__{name}__", _binary(fn, f"__{name}__"))
        setattr(cls, f"__r{name}__", _binary(fn, f"__r{name}__", reflected=True))
    for name, fn in _COMPARE.items():
        setattr(cls, f"__{name}__", _binary(fn, f"__{name}__"))
    # as TensorFlow: == and != compare value by value; operands that do not broadcast
    # together (and None) are simply not equal, so a RaggedTensor is unhashable
    eq, ne = _binary(m.equal, "__eq__"), _binary(m.not_equal, "__ne__")
    cls.__eq__ = lambda self, other: eq(self, other) if _lines_up(self, other) else False
    cls.__ne__ = lambda self, other: ne(self, other) if _lines_up(self, other) else True
    cls.__hash__ = _unhashable
    cls.__neg__ = lambda self: self.with_flat_values(m.negative(self.flat_values))
    cls.__abs__ = lambda self: self.with_flat_values(m.abs(self.flat_values))


def _unhashable(self):
    raise TypeError("RaggedTensor is unhashable.")


def map_flat_values(op, *args, **kwargs):
    """Apply ``op`` to the flat values of the RaggedTensors among the arguments.

    Every RaggedTensor argument must have the same row partition; ``op`` must return one
    value per flat value (its first axis), which gets that partition back.

    Example:
        >>> tf.ragged.map_flat_values(tf.math.square, rt)
    """
    found: list[RaggedTensor] = []

    def replace(value):
        if isinstance(value, RaggedTensor):
            found.append(value)
            return value.flat_values
        if isinstance(value, (list, tuple)):
            return type(value)(replace(v) for v in value)
        if isinstance(value, dict):
            return {k: replace(v) for k, v in value.items()}
        return value

    new_args = [replace(a) for a in args]
    new_kwargs = {k: replace(v) for k, v in kwargs.items()}
    if not found:
        raise _error("ragged.map_flat_values", "expected at least one RaggedTensor argument")
    for other in found[1:]:
        _same_partition(found[0], other, "ragged.map_flat_values")
    out = op(*new_args, **new_kwargs)
    out = as_tensor(out)
    if out.ndim == 0 or out.shape[0] != found[0].flat_values.shape[0]:
        raise _error(
            "ragged.map_flat_values",
            f"op returned shape {tuple(out.shape)}; expected one row per flat value "
            f"({found[0].flat_values.shape[0]})",
        )
    return found[0].with_flat_values(out)
