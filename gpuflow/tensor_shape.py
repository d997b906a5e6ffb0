"""``tf.TensorShape``: the sizes of a tensor's dimensions (None for an unknown size), or an
unknown rank (``TensorShape(None)``), with TensorFlow's methods. Not a tuple, as TensorFlow's:
``"%s" % shape`` formats it as one value and ``isinstance(shape, tuple)`` is False; gpuflow's
own code converts with ``tuple(shape)`` where it needs one."""

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


class TensorShape:
    """The dimensions of a tensor (``None`` for an unknown size), or an unknown rank
    (``TensorShape(None)``), with TensorFlow's methods. As TensorFlow's, it is not a tuple:
    it indexes, iterates, compares equal to lists and tuples and converts with ``tuple()``
    or ``as_list()``; ``len``, iteration and ``as_list`` raise ValueError on an unknown
    rank."""

    __slots__ = ("_dims",)

    def __init__(self, dims=()) -> None:
        if isinstance(dims, TensorShape):
            self._dims = dims._dims
        elif dims is None:
            self._dims = None
        elif isinstance(dims, (tuple, list)):
            self._dims = tuple(_dimension_value(d) for d in dims)
        else:
            try:
                items = iter(dims)
            except TypeError:  # a single dimension, as TensorFlow: TensorShape(3)
                self._dims = (_dimension_value(dims),)
                return
            dims_seen = []
            for d in items:
                try:
                    dims_seen.append(_dimension_value(d))
                except TypeError as e:
                    raise TypeError(
                        f"Failed to convert {dims!r} to a shape: {d!r} could not be converted "
                        "to a dimension. A shape should either be single dimension (e.g. 10), "
                        "or an iterable of dimensions (e.g. [1, 10, None])."
                    ) from e
            self._dims = tuple(dims_seen)

    @classmethod
    def _of_array(cls, shape: tuple) -> TensorShape:
        """The shape of an array (a tuple of ints >= 0), without checking each size."""
        out = object.__new__(cls)
        out._dims = tuple(shape)
        return out

    def as_list(self) -> list:
        if self._dims is None:
            raise ValueError("as_list() is not defined on an unknown TensorShape.")
        return list(self._dims)

    @property
    def rank(self) -> int | None:
        return None if self._dims is None else len(self._dims)

    @property
    def ndims(self) -> int | None:
        return self.rank

    @property
    def dims(self) -> list | None:
        """The dimensions as ``Dimension`` objects (``shape.dims[0].value``), as TensorFlow."""
        return None if self._dims is None else [Dimension(d) for d in self._dims]

    def is_fully_defined(self) -> bool:
        return self._dims is not None and all(d is not None for d in self._dims)

    def num_elements(self) -> int | None:
        """The number of elements, or None when a size (or the rank) is unknown."""
        if not self.is_fully_defined():
            return None
        n = 1
        for d in self._dims:
            n *= d
        return n

    def is_compatible_with(self, other) -> bool:
        """Same rank and equal sizes where both are known (``None`` matches any size)."""
        other = as_shape(other)
        if self._dims is None or other._dims is None:
            return True
        return len(other._dims) == len(self._dims) and all(
            a is None or b is None or a == b for a, b in zip(self._dims, other._dims)
        )

    def assert_is_compatible_with(self, other) -> None:
        """ValueError naming both shapes unless :meth:`is_compatible_with`."""
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {other} are incompatible")

    def merge_with(self, other) -> TensorShape:
        """The shape with every size either shape knows (ValueError if they disagree)."""
        other = as_shape(other)
        if self._dims is None:
            return other
        if other._dims is None:
            return self
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {other} are not compatible")
        return TensorShape([a if a is not None else b for a, b in zip(self._dims, other._dims)])

    def concatenate(self, other) -> TensorShape:
        other = as_shape(other)
        if self._dims is None or other._dims is None:
            return TensorShape(None)
        return TensorShape._of_array(self._dims + other._dims)

    def with_rank(self, rank: int) -> TensorShape:
        """This shape if its rank is ``rank`` (an unknown rank becomes ``rank`` Nones)."""
        if self._dims is None:
            return TensorShape([None] * rank)
        if len(self._dims) != rank:
            raise ValueError(f"Shape {self} must have rank {rank}")
        return self

    def with_rank_at_least(self, rank: int) -> TensorShape:
        if self._dims is not None and len(self._dims) < rank:
            raise ValueError(f"Shape {self} must have rank at least {rank}")
        return self

    def with_rank_at_most(self, rank: int) -> TensorShape:
        if self._dims is not None and len(self._dims) > rank:
            raise ValueError(f"Shape {self} must have rank at most {rank}")
        return self

    def assert_has_rank(self, rank: int) -> None:
        if self.rank not in (None, rank):
            raise ValueError(f"Shape {self} must have rank {rank}")

    def assert_same_rank(self, other) -> None:
        other = as_shape(other)
        if self.rank is not None and other.rank is not None and self.rank != other.rank:
            raise ValueError(f"Shapes {self} and {other} must have the same rank")

    def assert_is_fully_defined(self) -> None:
        if not self.is_fully_defined():
            raise ValueError(f"Shape {self} is not fully defined")

    def most_specific_compatible_shape(self, other) -> TensorShape:
        """The sizes both shapes agree on, None elsewhere; unknown rank if the ranks differ."""
        other = as_shape(other)
        if self._dims is None or other._dims is None or len(self._dims) != len(other._dims):
            return TensorShape(None)
        return TensorShape(
            [a if a is not None and a == b else None for a, b in zip(self._dims, other._dims)]
        )

    def is_subtype_of(self, other) -> bool:
        """True when ``other`` can stand for this shape (its known sizes equal this one's)."""
        if not isinstance(other, TensorShape):
            return False
        if other._dims is None:
            return True
        if self._dims is None or len(self._dims) != len(other._dims):
            return False
        return all(o is None or s == o for s, o in zip(self._dims, other._dims))

    def most_specific_common_supertype(self, others) -> TensorShape | None:
        """The most specific shape every one of ``self`` and ``others`` is a subtype of."""
        if not all(isinstance(o, TensorShape) for o in others):
            return None
        result = self
        for other in others:
            result = result.most_specific_compatible_shape(other)
        return result

    def as_proto(self):
        """This shape as a ``TensorShapeProto`` (-1 for an unknown size)."""
        from .io.protos import TensorShapeProto

        if self._dims is None:
            return TensorShapeProto(unknown_rank=True)
        return TensorShapeProto(
            dim=[TensorShapeProto.Dim(size=-1 if d is None else d) for d in self._dims]
        )

    # TensorFlow's sequence behaviour: ints index, slices and sums are shapes
    def __len__(self) -> int:
        if self._dims is None:
            raise ValueError("Cannot take the length of shape with unknown rank.")
        return len(self._dims)

    def __bool__(self) -> bool:
        return self._dims is not None

    def __iter__(self):
        if self._dims is None:
            raise ValueError("Cannot iterate over a shape with unknown rank.")
        return iter(self._dims)

    def __getitem__(self, key):
        if self._dims is not None:
            if isinstance(key, slice):
                return TensorShape._of_array(self._dims[key])
            return self._dims[key]
        if not isinstance(key, slice):
            return None
        if key.step is not None:
            raise ValueError("Steps are not yet handled")
        start = 0 if key.start is None else key.start
        if key.stop is None or start < 0 or key.stop < 0:
            return TensorShape(None)
        return TensorShape([None] * max(key.stop - start, 0))

    def __add__(self, other) -> TensorShape:
        return self.concatenate(other)

    def __radd__(self, other) -> TensorShape:
        return as_shape(other).concatenate(self)

    def __eq__(self, other) -> bool:
        try:
            other = as_shape(other)
        except TypeError:  # not a shape: unequal; a negative size raises, as TF's
            return NotImplemented
        return self._dims == other._dims

    def __ne__(self, other) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return hash(self._dims)

    def __repr__(self) -> str:
        return "TensorShape(None)" if self._dims is None else f"TensorShape({list(self._dims)})"

    def __str__(self) -> str:  # TensorFlow prints shapes as tuples: (2, None), (3,)
        if self._dims is None:
            return "<unknown>"
        if len(self._dims) == 1:
            return f"({self._dims[0]},)"
        return "(" + ", ".join(str(d) for d in self._dims) + ")"

    def __reduce__(self):
        return TensorShape, (None if self._dims is None else list(self._dims),)


def _dimension_value(d):
    """One size of a shape as an int (or None), with TensorFlow's errors: ValueError for a
    negative size, TypeError for what is not an integer (2.5, "a")."""
    if d is None or isinstance(d, int) and not isinstance(d, bool) and d >= 0:
        return d
    if isinstance(d, Dimension):
        return d.value
    try:
        value = int(d.__index__())
    except (AttributeError, TypeError):
        raise TypeError(
            "Dimension value must be integer or None or have an __index__ method, "
            f"got value {d!r} with type {type(d)!r}"
        ) from None
    if value < 0:
        raise ValueError(f"Dimension {value} must be >= 0")
    return value


def as_shape(value) -> TensorShape:
    """``value`` as a TensorShape (itself when it is one), as ``tf.compat.v1...as_shape``."""
    if isinstance(value, TensorShape):
        return value
    return TensorShape(value)


_as_shape = as_shape
