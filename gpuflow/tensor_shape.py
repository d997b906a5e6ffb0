"""``tf.TensorShape``: a tuple of dimensions (None for an unknown size), or an unknown
rank (``TensorShape(None)``), with TensorFlow's methods."""

from __future__ import annotations


class Dimension:
    """One dimension of a shape (``tf.compat.v1.Dimension``): its ``value``, None when
    unknown; arithmetic and comparisons with an unknown one give unknown (None)."""

    __slots__ = ("_value",)

    def __init__(self, value) -> None:
        value = getattr(value, "value", value)
        if value is not None:
            if int(value) != value or int(value) < 0:
                raise ValueError(f"Dimension {value} must be >= 0")
            value = int(value)
        self._value = value

    @property
    def value(self):
        return self._value

    def __repr__(self) -> str:
        return f"Dimension({self._value})"

    def __str__(self) -> str:
        return "?" if self._value is None else str(self._value)

    def __int__(self) -> int:
        return self._value

    __index__ = __int__

    def __hash__(self) -> int:
        return hash(self._value)

    def is_compatible_with(self, other) -> bool:
        other = getattr(other, "value", other)
        return self._value is None or other is None or self._value == other

    def assert_is_compatible_with(self, other) -> None:
        if not self.is_compatible_with(other):
            raise ValueError(f"Dimensions {self} and {Dimension(other)} are not compatible")

    def merge_with(self, other) -> Dimension:
        other = Dimension(other)
        self.assert_is_compatible_with(other)
        return Dimension(self._value if self._value is not None else other.value)

    def _known(self, other, fn):
        other = getattr(other, "value", other)
        if self._value is None or other is None:
            return None
        return fn(self._value, other)


def _dimension_operator(fn, swap=False, wrap=True):
    def method(self, other):
        result = self._known(other, (lambda a, b: fn(b, a)) if swap else fn)
        return Dimension(result) if wrap else result

    return method


for _name, _fn in (
    ("add", lambda a, b: a + b),
    ("sub", lambda a, b: a - b),
    ("mul", lambda a, b: a * b),
    ("floordiv", lambda a, b: a // b),
    ("mod", lambda a, b: a % b),
):
    setattr(Dimension, f"__{_name}__", _dimension_operator(_fn))
    setattr(Dimension, f"__r{_name}__", _dimension_operator(_fn, swap=True))
for _name, _fn in (
    ("eq", lambda a, b: a == b),
    ("ne", lambda a, b: a != b),
    ("lt", lambda a, b: a < b),
    ("le", lambda a, b: a <= b),
    ("gt", lambda a, b: a > b),
    ("ge", lambda a, b: a >= b),
):
    setattr(Dimension, f"__{_name}__", _dimension_operator(_fn, wrap=False))


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
        dims = (getattr(d, "value", d) for d in dims)  # Dimension objects too
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
        """The dimensions as ``Dimension`` objects (``shape.dims[0].value``), as TensorFlow."""
        return [Dimension(d) for d in self]

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

    def with_rank_at_least(self, rank: int) -> "TensorShape":
        if self.rank is not None and self.rank < rank:
            raise ValueError(f"Shape {self} must have rank at least {rank}")
        return self

    def with_rank_at_most(self, rank: int) -> "TensorShape":
        if self.rank is not None and self.rank > rank:
            raise ValueError(f"Shape {self} must have rank at most {rank}")
        return self

    def assert_has_rank(self, rank: int) -> None:
        if self.rank not in (None, rank):
            raise ValueError(f"Shape {self} must have rank {rank}")

    def assert_same_rank(self, other) -> None:
        other = _as_shape(other)
        if self.rank is not None and other.rank is not None and self.rank != other.rank:
            raise ValueError(f"Shapes {self} and {other} must have the same rank")

    def assert_is_fully_defined(self) -> None:
        if not self.is_fully_defined():
            raise ValueError(f"Shape {self} is not fully defined")

    def most_specific_compatible_shape(self, other) -> "TensorShape":
        """The sizes both shapes agree on, None elsewhere; unknown rank if the ranks differ."""
        other = _as_shape(other)
        if self.rank is None or other.rank is None or self.rank != other.rank:
            return TensorShape(None)
        return TensorShape([a if a is not None and a == b else None for a, b in zip(self, other)])

    def is_subtype_of(self, other) -> bool:
        """True when ``other`` can stand for this shape (its known sizes equal this one's)."""
        if not isinstance(other, TensorShape):
            return False
        if other.rank is None:
            return True
        if self.rank != other.rank:
            return False
        return all(o is None or s == o for s, o in zip(self, other))

    def most_specific_common_supertype(self, others) -> "TensorShape | None":
        """The most specific shape every one of ``self`` and ``others`` is a subtype of."""
        if not all(isinstance(o, TensorShape) for o in others):
            return None
        result = self
        for other in others:
            result = result.most_specific_compatible_shape(other)
        return result

    # TensorFlow's sequence behaviour: slices and sums are shapes, comparisons convert lists
    def __getitem__(self, key):
        if isinstance(key, slice):
            return TensorShape(tuple.__getitem__(self, key))
        return tuple.__getitem__(self, key)

    def __add__(self, other) -> "TensorShape":
        return self.concatenate(other)

    def __radd__(self, other) -> "TensorShape":
        return _as_shape(other).concatenate(self)

    def __eq__(self, other) -> bool:
        if not isinstance(other, (tuple, list)):
            return NotImplemented
        if isinstance(other, _UnknownShape):
            return False
        return tuple.__eq__(self, tuple(other))

    def __ne__(self, other) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = tuple.__hash__

    def __repr__(self) -> str:
        return f"TensorShape({list(self)})"

    def __str__(self) -> str:  # TensorFlow prints shapes as tuples: (2, None), (3,)
        return tuple.__repr__(self)

    def __reduce__(self):
        return TensorShape, (list(self),)


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

    def __getitem__(self, key):
        if isinstance(key, slice):
            if key.step is not None:
                raise ValueError("TensorShape: steps are not handled on a shape of unknown rank")
            start = 0 if key.start is None else key.start
            if key.stop is None or start < 0 or key.stop < 0:
                return TensorShape(None)
            return TensorShape([None] * max(key.stop - start, 0))
        return None

    def __eq__(self, other) -> bool:
        return isinstance(other, _UnknownShape)

    def __ne__(self, other) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return hash("<unknown TensorShape>")

    def __reduce__(self):
        return TensorShape, (None,)

    def __repr__(self) -> str:
        return "TensorShape(None)"

    def __str__(self) -> str:
        return "<unknown>"


def _as_shape(value) -> TensorShape:
    if isinstance(value, TensorShape):
        return value
    return TensorShape(value)
