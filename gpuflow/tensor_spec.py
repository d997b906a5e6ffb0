"""``tf.TensorSpec``: the shape (None for any size) and dtype a tensor argument must have."""
from __future__ import annotations

from . import dtypes
from .tensor import Tensor, TensorShape


class TensorSpec:
    """Describes a tensor: ``shape`` (a tuple; ``None`` dimensions match any size, ``None``
    as the whole shape matches any rank), ``dtype`` and an optional ``name``.

    Args:
        shape: tuple/list of ints or None, or None (unknown rank).
        dtype: a dtype (default float32, as TensorFlow).
        name: an optional name.
    """

    __slots__ = ("_shape", "_dtype", "_name")

    def __init__(self, shape, dtype=dtypes.float32, name: str | None = None) -> None:
        if shape is not None:
            try:
                shape = tuple(None if d is None else int(d) for d in shape)
            except (TypeError, ValueError):
                raise TypeError(f"TensorSpec: shape must be a tuple of ints or None, received "
                                f"{shape!r}") from None
        self._shape = shape
        self._dtype = dtypes.as_dtype(dtype, "TensorSpec(dtype=...)")
        self._name = name

    @property
    def shape(self):
        return None if self._shape is None else TensorShape(self._shape)

    @property
    def dtype(self):
        return self._dtype

    @property
    def name(self):
        return self._name

    @classmethod
    def from_tensor(cls, tensor, name: str | None = None) -> "TensorSpec":
        """The spec of ``tensor`` (its exact shape and dtype)."""
        if not isinstance(tensor, Tensor):
            raise TypeError(f"TensorSpec.from_tensor: expected a Tensor, received "
                            f"{type(tensor).__name__}")
        return cls(tuple(tensor.shape), tensor.dtype, name if name is not None else tensor.name)

    def is_compatible_with(self, spec_or_tensor) -> bool:
        """Whether a tensor (or spec) fits: same dtype, same rank, equal known dimensions."""
        if isinstance(spec_or_tensor, TensorSpec):
            other_shape, other_dtype = spec_or_tensor._shape, spec_or_tensor._dtype
        elif isinstance(spec_or_tensor, Tensor):
            other_shape, other_dtype = tuple(spec_or_tensor.shape), spec_or_tensor.dtype
        else:
            return False
        if other_dtype != self._dtype:
            return False
        if self._shape is None or other_shape is None:
            return True
        return len(self._shape) == len(other_shape) and all(
            a is None or b is None or a == b for a, b in zip(self._shape, other_shape))

    def __eq__(self, other) -> bool:
        return (isinstance(other, TensorSpec) and self._shape == other._shape
                and self._dtype == other._dtype and self._name == other._name)

    def __hash__(self) -> int:
        return hash((self._shape, self._dtype.name, self._name))

    def __repr__(self) -> str:
        shape = "<unknown>" if self._shape is None else f"{tuple(self._shape)}"
        return f"TensorSpec(shape={shape}, dtype=tf.{self._dtype.name}, name={self._name!r})"
