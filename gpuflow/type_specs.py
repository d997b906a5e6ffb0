"""``tf.TypeSpec`` and the specs of TensorFlow's composite values: ``SparseTensorSpec``,
``IndexedSlicesSpec``, ``TensorArraySpec``, ``NoneTensorSpec``, ``OptionalSpec``, and
``tf.type_spec_from_value``. ``TensorSpec`` and ``RaggedTensorSpec`` (gpuflow/tensor_spec.py)
count as TypeSpecs too (``isinstance(spec, tf.TypeSpec)``).

A spec describes a value without holding it: its shape (``None`` for an unknown
dimension), dtype and the type of value it stands for (``value_type``)."""

from __future__ import annotations

import abc

import numpy as np

from . import dtypes
from .tensor_shape import TensorShape
from .tensor_spec import RaggedTensorSpec, TensorSpec, _as_shape, shapes_compatible


def _shape(shape, where):
    """``shape`` as a TensorShape (``TensorShape(None)`` for an unknown rank)."""
    return TensorShape(_as_shape(shape, where))


def _show(shape) -> str:
    return "None" if shape.rank is None else str(list(shape))


class TypeSpec(abc.ABC):
    """Base class of value specs. Subclasses give ``value_type`` and the fields that
    ``==`` compares (``_fields``); ``is_compatible_with`` checks dtype and shape."""

    @property
    @abc.abstractmethod
    def value_type(self):
        """The Python type of the values this spec describes."""

    def _fields(self) -> tuple:
        return ()

    def __eq__(self, other) -> bool:
        return type(other) is type(self) and self._fields() == other._fields()

    def __ne__(self, other) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash((type(self).__name__,) + tuple(repr(f) for f in self._fields()))

    def is_compatible_with(self, spec_or_value) -> bool:
        """Same kind, same dtype, shapes that agree where both are known."""
        other = spec_or_value
        if not isinstance(other, TypeSpec):
            try:
                other = type_spec_from_value(other)
            except TypeError:
                return False
        if type(other) is not type(self):
            return False
        if getattr(self, "dtype", None) != getattr(other, "dtype", None):
            return False
        shape, theirs = getattr(self, "shape", None), getattr(other, "shape", None)
        if shape is None or theirs is None or shape.rank is None or theirs.rank is None:
            return True
        return shapes_compatible(tuple(shape), tuple(theirs))

    def most_specific_common_supertype(self, others):
        """The spec with each dimension kept where all agree (None elsewhere), or None when
        the kinds or dtypes differ."""
        result = self
        for other in others:
            if type(other) is not type(result) or getattr(other, "dtype", None) != getattr(
                result, "dtype", None
            ):
                return None
            result = result._with_shape(_common_shape(result.shape, other.shape))
        return result

    def _with_shape(self, shape):
        return self


TypeSpec.register(TensorSpec)
TypeSpec.register(RaggedTensorSpec)


def _common_shape(a, b):
    if a.rank is None or b.rank is None or a.rank != b.rank:
        return TensorShape(None)
    return TensorShape([x if x == y else None for x, y in zip(a, b)])


class SparseTensorSpec(TypeSpec):
    """Describes a ``tf.SparseTensor``: its dense shape and dtype."""

    __slots__ = ("_shape", "_dtype")

    def __init__(self, shape=None, dtype=dtypes.float32) -> None:
        self._shape = _shape(shape, "SparseTensorSpec")
        self._dtype = dtypes.as_dtype(dtype, "SparseTensorSpec(dtype=...)")

    @property
    def value_type(self):
        from .sparse import SparseTensor

        return SparseTensor

    shape = property(lambda self: self._shape)
    dtype = property(lambda self: self._dtype)

    def _fields(self):
        return (self._shape, self._dtype)

    def _with_shape(self, shape):
        return SparseTensorSpec(shape, self._dtype)

    @classmethod
    def from_value(cls, value) -> "SparseTensorSpec":
        return cls(value.shape, value.dtype)

    def __repr__(self) -> str:
        return f"SparseTensorSpec(TensorShape({_show(self._shape)}), tf.{self._dtype.name})"


class IndexedSlicesSpec(TypeSpec):
    """Describes a ``tf.IndexedSlices``: dense shape, values dtype, indices dtype, dense
    shape dtype and the indices' shape."""

    __slots__ = ("_shape", "_dtype", "_indices_dtype", "_dense_shape_dtype", "_indices_shape")

    def __init__(
        self,
        shape=None,
        dtype=dtypes.float32,
        indices_dtype=dtypes.int64,
        dense_shape_dtype=None,
        indices_shape=None,
    ) -> None:
        self._shape = _shape(shape, "IndexedSlicesSpec")
        self._dtype = dtypes.as_dtype(dtype)
        self._indices_dtype = dtypes.as_dtype(indices_dtype)
        self._dense_shape_dtype = (
            None if dense_shape_dtype is None else dtypes.as_dtype(dense_shape_dtype)
        )
        self._indices_shape = _shape([None] if indices_shape is None else indices_shape, "x")

    @property
    def value_type(self):
        from .indexed_slices import IndexedSlices

        return IndexedSlices

    shape = property(lambda self: self._shape)
    dtype = property(lambda self: self._dtype)

    def _fields(self):
        return (
            self._shape,
            self._dtype,
            self._indices_dtype,
            self._dense_shape_dtype,
            self._indices_shape,
        )

    def _with_shape(self, shape):
        return IndexedSlicesSpec(
            shape, self._dtype, self._indices_dtype, self._dense_shape_dtype, self._indices_shape
        )

    def __repr__(self) -> str:
        ds = "None" if self._dense_shape_dtype is None else f"tf.{self._dense_shape_dtype.name}"
        return (
            f"IndexedSlicesSpec(TensorShape({_show(self._shape)}), tf.{self._dtype.name}, "
            f"tf.{self._indices_dtype.name}, {ds}, TensorShape({_show(self._indices_shape)}))"
        )


class TensorArraySpec(TypeSpec):
    """Describes a ``tf.TensorArray``: element shape, dtype, ``dynamic_size``,
    ``infer_shape``."""

    __slots__ = ("_element_shape", "_dtype", "_dynamic_size", "_infer_shape")

    def __init__(
        self, element_shape=None, dtype=dtypes.float32, dynamic_size=False, infer_shape=True
    ) -> None:
        self._element_shape = _shape(element_shape, "TensorArraySpec")
        self._dtype = dtypes.as_dtype(dtype)
        self._dynamic_size = bool(dynamic_size)
        self._infer_shape = bool(infer_shape)

    @property
    def value_type(self):
        from .tensor_array import TensorArray

        return TensorArray

    element_shape = property(lambda self: self._element_shape)
    shape = element_shape
    dtype = property(lambda self: self._dtype)
    dynamic_size = property(lambda self: self._dynamic_size)

    def _fields(self):
        return (self._element_shape, self._dtype, self._dynamic_size, self._infer_shape)

    def _with_shape(self, shape):
        return TensorArraySpec(shape, self._dtype, self._dynamic_size, self._infer_shape)

    def __repr__(self) -> str:
        return (
            f"TensorArraySpec(TensorShape({_show(self._element_shape)}), tf.{self._dtype.name}, "
            f"{self._dynamic_size}, {self._infer_shape})"
        )


class NoneTensorSpec(TypeSpec):
    """The spec of ``None`` inside a structure of tensors."""

    __slots__ = ()

    @property
    def value_type(self):
        return type(None)

    def is_compatible_with(self, spec_or_value) -> bool:
        return spec_or_value is None or isinstance(spec_or_value, NoneTensorSpec)

    def __repr__(self) -> str:
        return "NoneTensorSpec()"


class OptionalSpec(TypeSpec):
    """The spec of an optional value (``tf.experimental.Optional``) of ``element_spec``."""

    __slots__ = ("_element_spec",)

    def __init__(self, element_spec) -> None:
        self._element_spec = element_spec

    @property
    def value_type(self):
        return type(None)  # gpuflow has no Optional value type; the spec stands alone

    element_spec = property(lambda self: self._element_spec)

    def is_compatible_with(self, spec_or_value) -> bool:
        """An Optional (``has_value`` / ``get_value`` and an ``element_spec``; data/optional.py
        imports this module) or OptionalSpec whose elements fit ``element_spec``."""
        from . import nest

        other = getattr(spec_or_value, "element_spec", None)
        optional = hasattr(spec_or_value, "has_value") and hasattr(spec_or_value, "get_value")
        if other is None or not (optional or isinstance(spec_or_value, OptionalSpec)):
            return False
        try:
            nest.assert_same_structure(self._element_spec, other)
        except (TypeError, ValueError):
            return False
        return all(
            a.is_compatible_with(b)
            for a, b in zip(nest.flatten(self._element_spec), nest.flatten(other))
        )

    def _fields(self):
        return (self._element_spec,)

    def __repr__(self) -> str:
        return f"OptionalSpec({self._element_spec!r},)"


def type_spec_from_value(value) -> TypeSpec:
    """The TypeSpec describing ``value``: a TensorSpec for a tensor (or anything that
    converts to one), SparseTensorSpec, RaggedTensorSpec, IndexedSlicesSpec,
    TensorArraySpec, NoneTensorSpec for None, ``X.Spec`` for an ExtensionType.

    Raises:
        TypeError: for values of no tensor kind.
    """
    from .indexed_slices import IndexedSlices
    from .ragged import RaggedTensor
    from .sparse import SparseTensor
    from .tensor import Tensor
    from .tensor_array import TensorArray

    if value is None:
        return NoneTensorSpec()
    extension_spec = getattr(type(value), "_type_spec", None)  # a tf.experimental.ExtensionType
    if extension_spec is not None:
        return value._type_spec
    if isinstance(value, Tensor):
        return TensorSpec(tuple(value.shape), value.dtype)
    if isinstance(value, SparseTensor):
        return SparseTensorSpec.from_value(value)
    if isinstance(value, RaggedTensor):
        shape = (
            [value.shape[0]]
            + [None] * value.ragged_rank
            + list(value.shape[value.ragged_rank + 1 :])
        )
        return RaggedTensorSpec(shape, value.dtype, value.ragged_rank, value.row_splits.dtype)
    if isinstance(value, IndexedSlices):
        dense = value.dense_shape
        shape = None if dense is None else [int(n) for n in np.asarray(dense.numpy())]
        return IndexedSlicesSpec(
            shape,
            value.values.dtype,
            value.indices.dtype,
            None if dense is None else dense.dtype,
            tuple(value.indices.shape),
        )
    if isinstance(value, TensorArray):
        return TensorArraySpec(None, value.dtype, False, True)
    try:
        from .ops._common import as_tensor

        t = as_tensor(value)
    except (TypeError, ValueError):
        raise TypeError(
            f"Could not build a TypeSpec for {value!r} of unsupported type {type(value)}."
        ) from None
    return TensorSpec(tuple(t.shape), t.dtype)


__all__ = [
    "IndexedSlicesSpec",
    "NoneTensorSpec",
    "OptionalSpec",
    "SparseTensorSpec",
    "TensorArraySpec",
    "TypeSpec",
    "type_spec_from_value",
]
