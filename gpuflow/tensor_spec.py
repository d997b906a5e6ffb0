"""``gpuflow.TensorSpec``: the shape and dtype a tensor is expected to have (``tf.TensorSpec``).

Dimensions may be ``None`` (any size). Datasets describe their elements with TensorSpecs
(``Dataset.element_spec``), ``from_generator`` checks what a generator yields against them,
and ``gpuflow.function`` input signatures use them (one class for both: the data and graph
branches each had one).
"""

from __future__ import annotations

import numpy as np

from . import dtypes
from .tensor_shape import TensorShape


def _as_shape(shape, where: str) -> tuple | None:
    """``shape`` as a tuple of ints and Nones, or None for an unknown rank."""
    if shape is None or isinstance(shape, TensorShape) and shape.rank is None:
        return None
    if isinstance(shape, (int, np.integer)):
        shape = (shape,)
    try:
        dims = tuple(shape)
    except TypeError:
        raise TypeError(
            f"{where}: shape must be a list or tuple of ints and None, received {shape!r}"
        ) from None
    out = []
    for dim in dims:
        if dim is None or (
            isinstance(dim, (int, np.integer)) and not isinstance(dim, bool) and dim >= 0
        ):
            out.append(None if dim is None else int(dim))
        else:
            raise ValueError(
                f"{where}: dimensions must be non-negative ints or None, received shape {shape!r}"
            )
    return tuple(out)


class TensorSpec:
    """Describes a tensor: its shape (``None`` for a dimension of any size), dtype and name.

    Args:
        shape: a list or tuple of ints and ``None``; ``None`` for an unknown rank.
        dtype: the dtype (default float32).
        name: an optional name.

    Example:
        >>> spec = gpuflow.TensorSpec(shape=(None, 784), dtype=gpuflow.float32)
        >>> spec.is_compatible_with(gpuflow.zeros([32, 784]))
        True
    """

    __slots__ = ("_shape", "_dtype", "_name")

    def __init__(self, shape, dtype=dtypes.float32, name: str | None = None) -> None:
        self._shape = TensorShape(_as_shape(shape, "TensorSpec"))
        self._dtype = dtypes.as_dtype(dtype, "TensorSpec(dtype=...)")
        self._name = name

    @classmethod
    def from_tensor(cls, tensor, name: str | None = None) -> "TensorSpec":
        """The spec of ``tensor`` (a Tensor or NumPy array): its exact shape and dtype."""
        return cls(
            tuple(tensor.shape),
            tensor.dtype,
            name if name is not None else getattr(tensor, "name", None),
        )

    @classmethod
    def from_spec(cls, spec: "TensorSpec", name: str | None = None) -> "TensorSpec":
        return cls(spec.shape, spec.dtype, name if name is not None else spec.name)

    @property
    def shape(self):
        """A TensorShape (its sizes, None where unknown; ``TensorShape(None)`` when the rank
        is unknown, as TensorFlow's)."""
        return self._shape

    @property
    def dtype(self) -> np.dtype:
        return self._dtype

    @property
    def name(self) -> str | None:
        return self._name

    def is_compatible_with(self, spec_or_value) -> bool:
        """Whether a spec, Tensor or array fits this spec: same dtype, and shapes agree
        wherever both dimensions are known."""
        other_shape = getattr(spec_or_value, "shape", None)
        other_dtype = getattr(spec_or_value, "dtype", None)
        if other_dtype is None:
            value = np.asarray(spec_or_value)
            other_shape, other_dtype = value.shape, value.dtype
        if np.dtype(other_dtype) != self._dtype:
            return False
        return shapes_compatible(self._shape, other_shape)

    def most_specific_compatible_shape(self, other: "TensorSpec"):
        """The shape that keeps each dimension both specs agree on (None where they differ)."""
        if (
            self._shape.rank is None
            or other.shape.rank is None
            or len(self._shape) != len(other.shape)
        ):
            return None
        return tuple(a if a == b else None for a, b in zip(self._shape, other.shape))

    def __eq__(self, other) -> bool:
        return (
            isinstance(other, TensorSpec)
            and self._shape == other.shape
            and self._dtype == other.dtype
            and self._name == other.name
        )

    def __hash__(self) -> int:
        return hash((self._shape, self._dtype, self._name))

    def __repr__(self) -> str:
        shape = "<unknown>" if self._shape.rank is None else tuple(self._shape)
        return f"TensorSpec(shape={shape}, dtype=tf.{self._dtype.name}, name={self._name!r})"


def shapes_compatible(shape, other) -> bool:
    """Whether two shapes (tuples with None for unknown dims, or None / an unknown-rank
    TensorShape) can describe one value."""
    if shape is None or other is None:
        return True
    if getattr(shape, "rank", 0) is None or getattr(other, "rank", 0) is None:
        return True
    shape = tuple(shape)
    other = tuple(other)
    if len(shape) != len(other):
        return False
    return all(a is None or b is None or a == b for a, b in zip(shape, other))


class RaggedTensorSpec:
    """Describes a RaggedTensor (``tf.RaggedTensorSpec``): shape (None for ragged and
    unknown dimensions), dtype, ragged rank and row-splits dtype.

    Args:
        shape: a list or tuple of ints and ``None``, or None for an unknown rank.
        dtype: the values' dtype (default float32).
        ragged_rank: the number of ragged dimensions (default ``rank - 1``).
        row_splits_dtype: the row partition's dtype (default int64).
    """

    __slots__ = ("_shape", "_dtype", "_ragged_rank", "_row_splits_dtype")

    def __init__(
        self, shape=None, dtype=dtypes.float32, ragged_rank=None, row_splits_dtype=dtypes.int64
    ) -> None:
        dims = _as_shape(shape, "RaggedTensorSpec")
        self._shape = TensorShape(dims)
        self._dtype = dtypes.as_dtype(dtype, "RaggedTensorSpec(dtype=...)")
        if ragged_rank is None:
            if dims is None:
                raise ValueError(
                    "RaggedTensorSpec: give ragged_rank when the shape's rank is unknown"
                )
            ragged_rank = len(dims) - 1
        self._ragged_rank = int(ragged_rank)
        self._row_splits_dtype = dtypes.as_dtype(
            row_splits_dtype, "RaggedTensorSpec(row_splits_dtype=...)"
        )

    @property
    def shape(self):
        return self._shape

    @property
    def dtype(self) -> np.dtype:
        return self._dtype

    @property
    def ragged_rank(self) -> int:
        return self._ragged_rank

    @property
    def row_splits_dtype(self) -> np.dtype:
        return self._row_splits_dtype

    @property
    def value_type(self):
        """The class of the values this spec describes (``tf.RaggedTensor``)."""
        from .ragged.ragged_tensor import RaggedTensor

        return RaggedTensor

    def is_compatible_with(self, spec_or_value) -> bool:
        """Whether a RaggedTensor (or RaggedTensorSpec) fits: same dtype and ragged rank,
        and a shape that agrees wherever both know a dimension."""
        other = spec_or_value
        if not isinstance(other, RaggedTensorSpec):
            if not isinstance(other, self.value_type):
                return False
            if other.dtype != self._dtype or other.ragged_rank != self._ragged_rank:
                return False
            shape = other.shape
        else:
            if other.dtype != self._dtype or other.ragged_rank != self._ragged_rank:
                return False
            shape = other.shape
        if self._shape.rank is None or shape is None or shape.rank is None:
            return True
        return shapes_compatible(tuple(self._shape), tuple(shape))

    def __eq__(self, other) -> bool:
        return (
            isinstance(other, RaggedTensorSpec)
            and self._shape == other.shape
            and self._dtype == other.dtype
            and self._ragged_rank == other.ragged_rank
            and self._row_splits_dtype == other.row_splits_dtype
        )

    def __hash__(self) -> int:
        return hash((self._shape, self._dtype, self._ragged_rank, self._row_splits_dtype))

    def __repr__(self) -> str:
        shape = "<unknown>" if self._shape.rank is None else list(self._shape)
        return (
            f"RaggedTensorSpec(TensorShape({shape}), tf.{self._dtype.name}, "
            f"{self._ragged_rank}, tf.{self._row_splits_dtype.name})"
        )
