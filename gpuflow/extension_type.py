"""``tf.experimental.ExtensionType``: user classes whose annotated fields are tensors,
Python values and other extension types, as TensorFlow's "Extension types" guide shows.

The class body's annotations declare the fields; the generated ``__init__`` checks and
converts each value (a Tensor field takes anything ``tf.convert_to_tensor`` takes, a
``Tuple[int, ...]`` field a list, a ``Mapping`` field a dict), then runs ``__validate__``.
Instances are immutable outside the constructor, compare field by field, and have a
``Spec`` (``tf.type_spec_from_value``). With ``expand_composites=True`` ``tf.nest``
flattens an instance into its tensors, which is how ``tf.function`` traces them.
"""

from __future__ import annotations

import collections.abc
import typing

import numpy as np

from .dtypes import DType, as_dtype
from .tensor import Tensor, TensorShape
from .tensor_spec import TensorSpec

_MISSING = object()


class ImmutableDict(collections.abc.Mapping):
    """The read-only dict a ``Mapping`` field holds."""

    def __init__(self, *args, **kwargs) -> None:
        self._dict = dict(*args, **kwargs)

    def __getitem__(self, key):
        return self._dict[key]

    def __iter__(self):
        return iter(self._dict)

    def __len__(self) -> int:
        return len(self._dict)

    def __repr__(self) -> str:
        return f"ImmutableDict({self._dict!r})"


def _type_name(tp) -> str:
    return getattr(tp, "__name__", None) or repr(tp)


def _convert(value, tp, path: str):
    """``value`` checked against the field type ``tp`` and converted (TypeError if not)."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if tp is typing.Any:
        return value
    if tp is Tensor:
        if isinstance(value, Tensor):
            return value
        from .ops.creation import convert_to_tensor

        try:
            return convert_to_tensor(value)
        except (TypeError, ValueError):
            raise TypeError(f"{path}: expected a Tensor, got {type(value).__name__!r}") from None
    if origin is typing.Union:
        if value is None and type(None) in args:
            return None
        for option in args:  # the first option that takes the value, as TensorFlow
            if option is type(None):
                continue
            try:
                return _convert(value, option, path)
            except (TypeError, ValueError):
                pass
        names = ", ".join(_type_name(a) for a in args)
        raise TypeError(f"{path}: expected one of ({names}), got {type(value).__name__!r}")
    if origin is tuple:
        if not isinstance(value, (list, tuple)):
            raise TypeError(f"{path}: expected 'tuple', got {type(value).__name__!r}")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_convert(v, args[0], f"{path}[{i}]") for i, v in enumerate(value))
        if args and len(args) != len(value):
            raise TypeError(f"{path}: expected a tuple of length {len(args)}, got {len(value)}")
        if not args:
            return tuple(value)
        return tuple(_convert(v, t, f"{path}[{i}]") for i, (v, t) in enumerate(zip(value, args)))
    if origin is collections.abc.Mapping:
        if not isinstance(value, collections.abc.Mapping):
            raise TypeError(f"{path}: expected 'Mapping', got {type(value).__name__!r}")
        kt, vt = args or (typing.Any, typing.Any)
        return ImmutableDict(
            (_convert(k, kt, f"{path}"), _convert(v, vt, f"{path}[{k!r}]"))
            for k, v in value.items()
        )
    if tp is TensorShape:
        if isinstance(value, TensorShape):
            return value
        try:
            return TensorShape(value)
        except (TypeError, ValueError):
            raise TypeError(
                f"{path}: expected 'TensorShape', got {type(value).__name__!r}"
            ) from None
    if tp is DType:
        try:
            return as_dtype(value)
        except (TypeError, ValueError):
            raise TypeError(f"{path}: expected 'DType', got {type(value).__name__!r}") from None
    if tp is type(None):
        if value is not None:
            raise TypeError(f"{path}: expected 'NoneType', got {type(value).__name__!r}")
        return None
    if isinstance(tp, type):
        if tp is int and isinstance(value, (int, np.integer)):
            return value  # bool is an int, as in TensorFlow's check
        if isinstance(value, tp) and not (tp is float and isinstance(value, bool)):
            return value
        raise TypeError(f"{path}: expected {_type_name(tp)!r}, got {type(value).__name__!r}")
    raise TypeError(f"{path}: unsupported field type {tp!r}")


def _fields_of(cls) -> dict:
    """``{name: (type, default)}`` from the annotations of ``cls`` and its bases."""
    fields: dict = {}
    for klass in reversed(cls.__mro__):
        if not issubclass(klass, ExtensionType) or klass.__module__ == __name__:
            continue
        try:
            hints = typing.get_type_hints(klass, include_extras=False)
        except NameError as exc:
            raise TypeError(f"ExtensionType {cls.__name__}: cannot resolve a field type ({exc})")
        for name in klass.__dict__.get("__annotations__", {}):
            if name.startswith("_"):
                continue
            default = klass.__dict__.get(name, _MISSING)
            fields[name] = (hints[name], default)
    return fields


def _extract(value, out: list) -> None:
    if isinstance(value, (Tensor, ExtensionType)):
        out.append(value)
    elif isinstance(value, tuple):
        for v in value:
            _extract(v, out)
    elif isinstance(value, collections.abc.Mapping):
        for key in sorted(value):  # tf.nest's order, which tf.function's cache key follows
            _extract(value[key], out)


def _replace(value, parts):
    if isinstance(value, (Tensor, ExtensionType)):
        return next(parts)
    if isinstance(value, tuple):
        return tuple(_replace(v, parts) for v in value)
    if isinstance(value, collections.abc.Mapping):
        new = {key: _replace(value[key], parts) for key in sorted(value)}
        return ImmutableDict((key, new[key]) for key in value)
    return value


def _spec_of(value):
    if isinstance(value, Tensor):
        return TensorSpec.from_tensor(value)
    if isinstance(value, ExtensionType):
        return value._type_spec
    if isinstance(value, tuple):
        return tuple(_spec_of(v) for v in value)
    if isinstance(value, collections.abc.Mapping):
        return ImmutableDict((k, _spec_of(v)) for k, v in value.items())
    return value


def _equal(a, b):
    """Whether two field values are equal: a bool, or a scalar bool tensor for tensors."""
    from .ops.math import equal
    from .ops.reduce import reduce_all

    if isinstance(a, Tensor) and isinstance(b, Tensor):
        if tuple(a.shape) != tuple(b.shape) or a.dtype != b.dtype:
            return False
        return bool(reduce_all(equal(a, b)).numpy())
    if isinstance(a, ExtensionType):
        return type(a) is type(b) and all(_equal(x, y) for x, y in zip(a._values(), b._values()))
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, collections.abc.Mapping) and isinstance(b, collections.abc.Mapping):
        return set(a) == set(b) and all(_equal(a[k], b[k]) for k in a)
    return bool(a == b)


class ExtensionType:
    """Base class of user types made of tensors and Python values (``tf.experimental``).

    Example::

        class MaskedTensor(tf.experimental.ExtensionType):
            values: tf.Tensor
            mask: tf.Tensor

            def __validate__(self):
                self.values.shape.assert_is_compatible_with(self.mask.shape)
    """

    _tf_extension_type_fields: dict = {}
    __hash__ = None  # mutable-free but compared by value, unhashable as in TensorFlow

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__module__ == __name__:  # BatchableExtensionType: a base, no fields
            return
        cls._tf_extension_type_fields = _fields_of(cls)
        user_init = cls.__dict__.get("__init__")
        if user_init is None:
            cls.__init__ = _generated_init(cls)
        else:
            cls.__init__ = _wrapped_init(cls, user_init)
        user_spec = cls.__dict__.get("Spec")
        if user_spec is None or not issubclass(user_spec, ExtensionTypeSpec):
            # a nested `class Spec:` of the user's (properties, a constructor) becomes a
            # subclass of ExtensionTypeSpec, as TensorFlow does
            bases = (ExtensionTypeSpec,) if user_spec is None else (user_spec, ExtensionTypeSpec)
            cls.Spec = type(f"{cls.__name__}.Spec", bases, {"value_type": cls})
            cls.Spec.__qualname__ = f"{cls.__qualname__}.Spec"
            cls.Spec.__module__ = cls.__module__

    def __setattr__(self, name, value) -> None:
        if self.__dict__.get("_tf_extension_type_building"):
            object.__setattr__(self, name, value)
            return
        raise AttributeError(
            f"Cannot mutate attribute `{name}` outside the custom constructor of ExtensionType."
        )

    def __delattr__(self, name) -> None:
        raise AttributeError(
            f"Cannot mutate attribute `{name}` outside the custom constructor of ExtensionType."
        )

    def _values(self) -> list:
        return [getattr(self, name) for name in self._tf_extension_type_fields]

    def _finish(self) -> None:
        """Check and convert every field, then run ``__validate__``."""
        cls = type(self)
        for name, (tp, default) in cls._tf_extension_type_fields.items():
            if name not in self.__dict__:
                if default is _MISSING:
                    raise ValueError(f"{cls.__name__}: the constructor did not set field {name!r}")
                value = default
            else:
                value = self.__dict__[name]
            object.__setattr__(self, name, _convert(value, tp, name))
        validate = getattr(self, "__validate__", None)
        if validate is not None:
            validate()
        self.__dict__.pop("_tf_extension_type_building", None)

    def __repr__(self) -> str:
        fields = ", ".join(f"{n}={getattr(self, n)!r}" for n in self._tf_extension_type_fields)
        return f"{type(self).__name__}({fields})"

    def __eq__(self, other):
        from .ops.creation import constant

        if type(other) is not type(self) or self._type_spec != other._type_spec:
            return False  # a Python bool, as TensorFlow's when the specs differ
        return constant(all(_equal(a, b) for a, b in zip(self._values(), other._values())))

    def __ne__(self, other):
        from .ops.math import logical_not

        result = self.__eq__(other)
        return not result if isinstance(result, bool) else logical_not(result)

    @property
    def _type_spec(self) -> ExtensionTypeSpec:
        return type(self).Spec._from_fields(
            {n: _spec_of(v) for n, v in zip(self._tf_extension_type_fields, self._values())}
        )

    # tf.nest with expand_composites=True: the tensors and extension types of the fields
    # (inside tuples and mappings too), in field order; Python values stay in the type.
    def _gpuflow_components(self) -> list:
        out: list = []
        for value in self._values():
            _extract(value, out)
        return out

    def _gpuflow_from_components(self, components: list):
        parts = iter(components)
        new = object.__new__(type(self))
        for name, value in zip(self._tf_extension_type_fields, self._values()):
            object.__setattr__(new, name, _replace(value, parts))
        return new

    def _gpuflow_key(self, key_of):
        """The tf.function cache key: the type and each field's key."""
        return ("extension", type(self)) + tuple(key_of(v) for v in self._values())


class BatchableExtensionType(ExtensionType):
    """An ExtensionType whose values can be batched and unbatched (TensorFlow uses it for
    ``tf.data``, ``tf.map_fn`` and ``tf.vectorized_map``); here it is an ExtensionType."""


def _generated_init(cls):
    names = list(cls._tf_extension_type_fields)

    def __init__(self, *args, **kwargs):
        if len(args) > len(names):
            raise TypeError(f"too many positional arguments: {cls.__name__} has fields {names}")
        values = dict(zip(names, args))
        for key, value in kwargs.items():
            if key not in cls._tf_extension_type_fields:
                raise TypeError(f"got an unexpected keyword argument {key!r}")
            if key in values:
                raise TypeError(f"multiple values for argument {key!r}")
            values[key] = value
        for name in names:
            if name not in values and cls._tf_extension_type_fields[name][1] is _MISSING:
                raise TypeError(f"missing a required argument: {name!r}")
        object.__setattr__(self, "_tf_extension_type_building", True)
        for key, value in values.items():
            object.__setattr__(self, key, value)
        self._finish()

    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    return __init__


def _wrapped_init(cls, user_init):
    def __init__(self, *args, **kwargs):
        object.__setattr__(self, "_tf_extension_type_building", True)
        user_init(self, *args, **kwargs)
        if type(self).__init__ is __init__ or self.__dict__.get("_tf_extension_type_building"):
            self._finish()

    __init__.__qualname__ = user_init.__qualname__
    __init__.__doc__ = user_init.__doc__
    return __init__


class ExtensionTypeSpec:
    """The type of an ExtensionType value: each field's TensorSpec or Python value
    (``MaskedTensor.Spec``, ``tf.type_spec_from_value(mt)``)."""

    value_type: type = ExtensionType

    def __init__(self, *args, **fields) -> None:
        known = self.value_type._tf_extension_type_fields
        if len(args) > len(known):
            raise TypeError(f"{type(self).__qualname__}: too many positional arguments")
        for name, value in zip(known, args):
            if name in fields:
                raise TypeError(f"{type(self).__qualname__}: multiple values for {name!r}")
            fields[name] = value
        unknown = [k for k in fields if k not in known]
        if unknown:
            raise TypeError(f"{type(self).__qualname__}: unknown fields {unknown}")
        self._fields = {k: fields[k] for k in known if k in fields}

    @classmethod
    def _from_fields(cls, fields: dict) -> "ExtensionTypeSpec":
        """The spec of these field specs, without the user's own ``Spec.__init__``."""
        spec = object.__new__(cls)
        object.__setattr__(spec, "_fields", dict(fields))
        return spec

    def __setattr__(self, name, value) -> None:
        # a user's Spec.__init__ sets fields (self.values = tf.TensorSpec(...))
        if name in self.value_type._tf_extension_type_fields:
            self.__dict__.setdefault("_fields", {})[name] = value
        else:
            object.__setattr__(self, name, value)

    def __getattr__(self, name):
        fields = self.__dict__.get("_fields", {})
        if name in fields:
            return fields[name]
        raise AttributeError(f"{type(self).__qualname__} has no attribute {name!r}")

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self._fields.items())
        return f"{type(self).__qualname__}({inner})"

    def __eq__(self, other) -> bool:
        return type(other) is type(self) and self._fields == other._fields

    def __hash__(self) -> int:
        return hash((type(self), tuple(self._fields)))

    def is_compatible_with(self, value) -> bool:
        """Whether ``value`` (an instance or a Spec) fits this spec, ``None`` sizes matching any."""
        spec = value._type_spec if isinstance(value, ExtensionType) else value
        if type(spec) is not type(self):
            return False
        return all(_compatible(a, spec._fields.get(k)) for k, a in self._fields.items())


def _compatible(a, b) -> bool:
    if isinstance(a, TensorSpec):
        return isinstance(b, TensorSpec) and a.is_compatible_with(b)
    if isinstance(a, ExtensionTypeSpec):
        return a.is_compatible_with(b)
    if isinstance(a, tuple):
        return isinstance(b, tuple) and len(a) == len(b) and all(map(_compatible, a, b))
    return a == b
