"""Python operators (``a + b``, ``a @ b``, ``-a``, ``a[i]``) on DTensors and DVariables:
the Tensor's operator, then the result's layout (:mod:`.propagate`)."""

from __future__ import annotations

from ...tensor import Tensor
from .layout import UNSHARDED, Layout
from .propagate import check_operands, with_layouts

_BINARY = {
    "__add__": "add",
    "__sub__": "subtract",
    "__mul__": "multiply",
    "__truediv__": "divide",
    "__floordiv__": "floordiv",
    "__mod__": "floormod",
    "__pow__": "pow",
    "__and__": "logical_and",
    "__or__": "logical_or",
    "__xor__": "logical_xor",
    "__lt__": "less",
    "__le__": "less_equal",
    "__gt__": "greater",
    "__ge__": "greater_equal",
    "__matmul__": "matmul",
    "__eq__": "equal",
    "__ne__": "not_equal",
}
_UNARY = {"__neg__": "negative", "__abs__": "abs", "__invert__": "logical_not"}


def _binary(dunder: str, name: str, reflected: bool):
    base = getattr(Tensor, dunder)

    def method(self, other):
        args = (other, self) if reflected else (self, other)
        if dunder not in ("__eq__", "__ne__") or other is not None:
            check_operands(name, args, {})
        out = base(self, other)
        if out is NotImplemented:
            return out
        return with_layouts(name, args, {}, out)

    method.__name__ = dunder
    return method


def _unary(dunder: str, name: str):
    base = getattr(Tensor, dunder)

    def method(self):
        return with_layouts(name, (self,), {}, base(self))

    method.__name__ = dunder
    return method


def _getitem(self, key):
    out = Tensor.__getitem__(self, key)
    layout = _indexed_layout(self._layout, key, out.ndim)
    if layout is None:
        return with_layouts("getitem", (self,), {}, out)
    from .tensor import DTensor

    return DTensor._of(out, layout)


def _indexed_layout(layout, key, rank: int):
    """``t[key]``'s layout for keys of whole slices (``:``) and integers: an axis taken
    whole keeps its sharding, an integer drops its axis; None for other keys."""
    if layout is None:
        return None
    key = key if isinstance(key, tuple) else (key,)
    if any(k is Ellipsis or k is None for k in key) or len(key) > layout.rank:
        return None
    specs = []
    for axis, spec in enumerate(layout.sharding_specs):
        k = key[axis] if axis < len(key) else slice(None)
        if isinstance(k, slice) and k == slice(None):
            specs.append(spec)
        elif isinstance(k, int) and not isinstance(k, bool):
            continue
        elif isinstance(k, slice):
            specs.append(UNSHARDED)
        else:
            return None
    return Layout(specs, layout.mesh) if len(specs) == rank else None


def install(cls) -> None:
    """Give ``cls`` (DTensor, DVariable) the layout-keeping operators."""
    for dunder, name in _BINARY.items():
        setattr(cls, dunder, _binary(dunder, name, False))
        reflected = "__r" + dunder[2:]
        if dunder not in ("__eq__", "__ne__") and hasattr(Tensor, reflected):
            setattr(cls, reflected, _binary(reflected, name, True))
    for dunder, name in _UNARY.items():
        setattr(cls, dunder, _unary(dunder, name))
    cls.__getitem__ = _getitem
