"""Python operators and convenience methods of Tensor, installed in one place.

``tensor.py`` sits below the ops, so the ops bind themselves to the class here.
"""

from __future__ import annotations

import numpy as np

from .. import dtypes
from ..autodiff.function import Function
from ..backend import get_device
from ..tensor import TENSOR_EQUALITY, Tensor
from . import (  # noqa: F401
    _grad_ops,  # noqa: F401  (registers the recorded backward namespace)
    bitwise,
    creation,
    indexing,
    linalg,
    math,
    reduce,
    shape,
    unary,
    variable_ops,
)


class ToDevice(Function):
    """A copy on another device; gradients flow back to the source device."""

    def __init__(self, target) -> None:
        self.target = target

    def output_device(self, device):
        return self.target

    def forward(self, x):
        return self.target.asarray(self.device.to_host(x))

    def backward(self, F, g):
        if F.tensors:
            return (ToDevice(self.device)(g),)
        return (self.device.asarray(self.target.to_host(g)),)


def to(self: Tensor, device) -> Tensor:
    """This tensor on ``device`` (``self`` where it is there already).

    A tf.string tensor stays on the host whatever ``device`` says, as in TensorFlow,
    where string tensors have no GPU kernels.
    """
    target = get_device(device)
    if target is self._device or self._data.dtype is _OBJECT:
        return self
    return ToDevice(target)(self)


_OBJECT = np.dtype(object)  # a tf.string tensor's array dtype


_FROM_NUMPY = object()  # the default of ``out``: NumPy's functions always pass ``out=``


def _reduction(op, numpy_name: str):
    """``t.sum(axis, keepdims)`` and the like. ``np.sum(t)`` / ``np.min(t)`` / ``np.mean(t)``
    call these too, always passing ``out`` (None): then NumPy computes it on the tensor's
    values and returns a NumPy value, as ``np.min`` of a TensorFlow tensor does (a
    ``np.float32``, not a tensor)."""

    def method(self, axis=None, keepdims=False, *, dtype=None, out=_FROM_NUMPY, **numpy_kwargs):
        if out is not _FROM_NUMPY or dtype is not None or numpy_kwargs:
            out = None if out is _FROM_NUMPY else out
            if dtype is not None:  # np.min / np.max take no dtype
                numpy_kwargs["dtype"] = dtype
            values = getattr(np, numpy_name)
            return values(self.numpy(), axis=axis, out=out, keepdims=keepdims, **numpy_kwargs)
        return op(self, axis, keepdims)

    method.__name__ = numpy_name
    return method


def _broadcastable(a: tuple, b: tuple) -> bool:
    if len(a) < len(b):
        a, b = b, a
    return all(
        x is None or y is None or x == y or x == 1 or y == 1
        for x, y in zip(reversed(a), reversed(b))
    )


def _equality(fn, unequal: bool):
    """``==`` / ``!=`` as TensorFlow's ``tensor_equals``: never equal to None; elementwise
    against an operand that broadcasts; a scalar bool (False for ``==``) against one of a
    shape that does not (TF's ``incompatible_shape_error=False``), not an error."""

    def method(self, other):
        if not TENSOR_EQUALITY[0]:  # tf.compat.v1.disable_tensor_equality()
            return (self is not other) if unequal else (self is other)
        if other is None:
            return unequal
        if type(other).__name__ == "RaggedTensor":
            return NotImplemented  # RaggedTensor.__eq__ compares (or answers False)
        try:
            other_shape = tuple(other.shape) if isinstance(other, Tensor) else np.shape(other)
        except ValueError:  # a nested list of uneven rows: fn's conversion error says so
            other_shape = None
        if other_shape is not None and not _broadcastable(tuple(self.shape), other_shape):
            return creation.constant(unequal)
        return fn(self, other)

    method.__name__ = "__ne__" if unequal else "__eq__"
    return method


def _swap(fn):
    return lambda self, other: fn(other, self)


def _logical_or_bitwise(logical, bitwise_fn):
    """TensorFlow's ``&``, ``|``, ``^``, ``~``: the logical op on bool tensors, the
    bitwise one on integer tensors (``tf.constant(6) & 3`` is 2)."""

    def method(*operands):
        tensor = next((x for x in operands if isinstance(x, Tensor)), None)
        if tensor is not None and tensor.dtype.kind in "iu":
            return bitwise_fn(*operands)
        return logical(*operands)

    method.__name__ = getattr(logical, "__name__", "operator")
    return method


def _multiply(x, y):
    """TensorFlow's ``*`` operator: with a bool tensor operand, both cast to int32,
    multiplied and cast back to bool (``tf.constant([True]) * tf.constant([False])`` is
    ``[False]``); ``tf.multiply`` itself refuses bool."""
    if any(isinstance(v, Tensor) and v.dtype.kind == "b" for v in (x, y)):
        int32, bool_ = dtypes.int32, dtypes.bool_
        return math.cast(math.multiply(math.cast(x, int32), math.cast(y, int32)), bool_)
    return math.multiply(x, y)


_AND = _logical_or_bitwise(math.logical_and, bitwise.bitwise_and)
_OR = _logical_or_bitwise(math.logical_or, bitwise.bitwise_or)
_XOR = _logical_or_bitwise(math.logical_xor, bitwise.bitwise_xor)

_METHODS = {
    "__add__": math.add,
    "__radd__": _swap(math.add),
    "__sub__": math.subtract,
    "__rsub__": _swap(math.subtract),
    "__mul__": _multiply,
    "__rmul__": _swap(_multiply),
    "__truediv__": math.divide,
    "__rtruediv__": _swap(math.divide),
    "__pow__": math.pow,
    "__rpow__": _swap(math.pow),
    "__matmul__": linalg.matmul,
    "__rmatmul__": _swap(linalg.matmul),
    "__floordiv__": math.floordiv,
    "__rfloordiv__": _swap(math.floordiv),
    "__mod__": math.floormod,
    "__rmod__": _swap(math.floormod),
    "__and__": _AND,
    "__rand__": _swap(_AND),
    "__or__": _OR,
    "__ror__": _swap(_OR),
    "__xor__": _XOR,
    "__rxor__": _swap(_XOR),
    "__invert__": _logical_or_bitwise(unary.logical_not, bitwise.invert),
    "__neg__": unary.negative,
    "__abs__": unary.abs,
    "__lt__": math.less,
    "__le__": math.less_equal,
    "__gt__": math.greater,
    "__ge__": math.greater_equal,
    # as TensorFlow: a tensor is never equal to None (other operands compare elementwise)
    "__eq__": _equality(math.equal, False),
    "__ne__": _equality(math.not_equal, True),
    "__getitem__": indexing.getitem,
    "to": to,
    "reshape": lambda self, *s: shape.reshape(self, s[0] if len(s) == 1 else s),
    "T": property(lambda self: shape.transpose(self)),
    "sum": _reduction(reduce.reduce_sum, "sum"),
    "mean": _reduction(reduce.reduce_mean, "mean"),
    "max": _reduction(reduce.reduce_max, "max"),
    "min": _reduction(reduce.reduce_min, "min"),
    "astype": lambda self, dtype: math.cast(self, dtype),
    "cpu": lambda self: to(self, "cpu"),
}


def _deferring(fn):
    """A binary operator that gives way (NotImplemented) to a TF 1 graph tensor on the
    right (``W * x``, x a tf.compat.v1.placeholder), whose reflected operator records it."""

    def method(self, other):
        try:
            return fn(self, other)
        except (TypeError, NotImplementedError):  # a graph tensor refuses conversion so
            if getattr(type(other), "_symbolic_kind", None) == "v1":
                return NotImplemented
            raise

    method.__name__ = getattr(fn, "__name__", "operator")
    return method


_BINARY = frozenset(
    n
    for n in _METHODS
    if n.startswith("__")
    and n not in ("__invert__", "__neg__", "__abs__", "__getitem__", "__eq__", "__ne__")
)


def install() -> None:
    for name, fn in _METHODS.items():
        setattr(Tensor, name, _deferring(fn) if name in _BINARY else fn)


install()
