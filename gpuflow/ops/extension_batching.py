"""Slicing a batched ExtensionType into its elements and stacking elements back
(``tf.map_fn`` over a ``BatchableExtensionType``): each tensor field sliced or stacked
along axis 0, each ``tf.TensorShape`` field losing or gaining that axis (TensorFlow's
batch encoding keeps a shape field as the batch shape), other Python values kept."""

from __future__ import annotations

import collections.abc

from ..extension_type import ExtensionType, ImmutableDict
from ..tensor import Tensor
from ..tensor_shape import TensorShape


def element(value: ExtensionType, index: int) -> ExtensionType:
    """Element ``index`` of the batched ``value``."""
    return _rebuild(value, lambda field: _slice(field, index))


def stack_elements(values: list) -> ExtensionType:
    """The ExtensionType values (of one type) stacked into one batched value."""
    from .shape import stack

    first = values[0]
    if any(type(v) is not type(first) for v in values):
        kinds = sorted({type(v).__name__ for v in values})
        raise TypeError(f"map_fn: fn returned values of different types {kinds}")
    fields = list(zip(*(v._values() for v in values)))
    parts = iter(fields)
    return _rebuild(first, lambda _: _stack_field(next(parts), stack))


def _rebuild(value, make):
    new = object.__new__(type(value))
    for name, field in zip(value._tf_extension_type_fields, value._values()):
        object.__setattr__(new, name, make(field))
    return new


def _slice(field, index):
    if isinstance(field, Tensor):
        return field[index]
    if isinstance(field, ExtensionType):
        return element(field, index)
    if isinstance(field, TensorShape):
        return TensorShape(list(field)[1:]) if field.rank else field
    if isinstance(field, tuple):
        return tuple(_slice(f, index) for f in field)
    if isinstance(field, collections.abc.Mapping):
        return ImmutableDict((k, _slice(v, index)) for k, v in field.items())
    return field


def _stack_field(column: tuple, stack):
    first = column[0]
    if isinstance(first, Tensor):
        return stack(list(column))
    if isinstance(first, ExtensionType):
        return stack_elements(list(column))
    if isinstance(first, TensorShape):
        return TensorShape([len(column)] + list(first)) if first.rank is not None else first
    if isinstance(first, tuple):
        return tuple(_stack_field(c, stack) for c in zip(*column))
    if isinstance(first, collections.abc.Mapping):
        return ImmutableDict((k, _stack_field(tuple(c[k] for c in column), stack)) for k in first)
    return first
