"""``tf.TensorShape``: a tuple of dimensions (None for an unknown size), or an unknown
rank (``TensorShape(None)``), with TensorFlow's methods."""

from __future__ import annotations


class TensorShape(tuple):
    """A tuple of dimensions, with TensorFlow's ``as_list()``, ``rank`` and compatibility
    checks. ``TensorShape(None)`` is a shape of unknown rank (compatible with any)."""

    __slots__ = ()

    def __new__(cls, dims=()):
        if dims is None or isinstance(dims, _UnknownShape):
            return tuple.__new__(_UnknownShape)
        if isinstance(dims, int):
            raise TypeError(
                f"TensorShape: expected a list of dimensions or None, received the int {dims}; "
                f"write TensorShape([{dims}])"
            )
        return tuple.__new__(cls, (None if d is None else int(d) for d in dims))

    def as_list(self) -> list:
        return list(self)

    @property
    def rank(self) -> int | None:
        return len(self)

    @property
    def ndims(self) -> int | None:
        return self.rank

    @property
    def dims(self) -> list | None:
        return list(self)

    def is_fully_defined(self) -> bool:
        return self.rank is not None and all(d is not None for d in self)

    def num_elements(self) -> int | None:
        """The number of elements, or None when a size (or the rank) is unknown."""
        if not self.is_fully_defined():
            return None
        n = 1
        for d in self:
            n *= d
        return n

    def is_compatible_with(self, other) -> bool:
        """Same rank and equal sizes where both are known (``None`` matches any size)."""
        other = _as_shape(other)
        if self.rank is None or other.rank is None:
            return True
        return len(other) == len(self) and all(
            a is None or b is None or a == b for a, b in zip(self, other)
        )

    def assert_is_compatible_with(self, other) -> None:
        """ValueError naming both shapes unless :meth:`is_compatible_with`."""
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {_as_shape(other)} are incompatible")

    def merge_with(self, other) -> "TensorShape":
        """The shape with every size either shape knows (ValueError if they disagree)."""
        other = _as_shape(other)
        self.assert_is_compatible_with(other)
        if self.rank is None:
            return other
        if other.rank is None:
            return self
        return TensorShape([a if a is not None else b for a, b in zip(self, other)])

    def concatenate(self, other) -> "TensorShape":
        other = _as_shape(other)
        if self.rank is None or other.rank is None:
            return TensorShape(None)
        return TensorShape(list(self) + list(other))

    def with_rank(self, rank: int) -> "TensorShape":
        """This shape if its rank is ``rank`` (an unknown rank becomes ``rank`` Nones)."""
        if self.rank is None:
            return TensorShape([None] * rank)
        if self.rank != rank:
            raise ValueError(f"Shape {self} must have rank {rank}")
        return self


class _UnknownShape(TensorShape):
    """``TensorShape(None)``: nothing is known, not even the rank."""

    __slots__ = ()

    def as_list(self) -> list:
        raise ValueError("as_list() is not defined on an unknown TensorShape.")

    @property
    def rank(self) -> None:
        return None

    @property
    def dims(self) -> None:
        return None

    def __eq__(self, other) -> bool:
        return isinstance(other, _UnknownShape)

    def __ne__(self, other) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return hash("<unknown TensorShape>")

    def __repr__(self) -> str:
        return "TensorShape(None)"

    def __str__(self) -> str:
        return "<unknown>"


def _as_shape(value) -> TensorShape:
    if isinstance(value, TensorShape):
        return value
    return TensorShape(value)
