"""Weight constraints, as ``keras.constraints``: projections applied to a variable after
each optimizer update (``kernel_constraint=``, ``bias_constraint=``,
``add_weight(constraint=...)``, ``Variable(constraint=...)``)."""

from __future__ import annotations

from .config import settings
from .ops import math as _m
from .ops import reduce as _r
from .ops import unary as _u
from .ops._common import as_tensor
from .ops.cast import cast
from .ops.select import clip_by_value
from .saving import simple_objects


class Constraint:
    """Base class: subclasses override ``__call__(w)`` (the projected weight) and
    ``get_config()``."""

    def __call__(self, w):
        return w

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)


def _norms(w, axis):
    return _u.sqrt(_r.reduce_sum(_u.square(w), axis=axis, keepdims=True))


def _float(w):
    t = as_tensor(w)
    return t if t.dtype.is_floating else cast(t, settings.floatx())


class MaxNorm(Constraint):
    """Rescales each slice along ``axis`` (e.g. each unit's incoming weights for ``axis=0``
    of a Dense kernel) to a norm of at most ``max_value``."""

    def __init__(self, max_value=2, axis=0) -> None:
        self.max_value = max_value
        self.axis = axis

    def __call__(self, w):
        w = _float(w)
        norms = _norms(w, self.axis)
        desired = clip_by_value(norms, 0.0, float(self.max_value))
        return w * (desired / (settings.epsilon() + norms))

    def get_config(self) -> dict:
        return {"max_value": self.max_value, "axis": self.axis}


class NonNeg(Constraint):
    """Sets negative weights to zero."""

    def __call__(self, w):
        w = as_tensor(w)
        return _m.maximum(w, cast(as_tensor(0), w.dtype))


class UnitNorm(Constraint):
    """Rescales each slice along ``axis`` to norm 1."""

    def __init__(self, axis=0) -> None:
        self.axis = axis

    def __call__(self, w):
        w = _float(w)
        return w / (settings.epsilon() + _norms(w, self.axis))

    def get_config(self) -> dict:
        return {"axis": self.axis}


class MinMaxNorm(Constraint):
    """Moves each slice's norm along ``axis`` into ``[min_value, max_value]`` at ``rate``
    (1.0: all the way each step)."""

    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0) -> None:
        self.min_value = min_value
        self.max_value = max_value
        self.rate = rate
        self.axis = axis

    def __call__(self, w):
        w = _float(w)
        norms = _norms(w, self.axis)
        clipped = clip_by_value(norms, float(self.min_value), float(self.max_value))
        desired = clipped * float(self.rate) + norms * (1.0 - float(self.rate))
        return w * (desired / (settings.epsilon() + norms))

    def get_config(self) -> dict:
        return {
            "min_value": self.min_value,
            "max_value": self.max_value,
            "rate": self.rate,
            "axis": self.axis,
        }


# Keras's lower-case aliases.
max_norm = MaxNorm
non_neg = NonNeg
unit_norm = UnitNorm
min_max_norm = MinMaxNorm

_BUILTIN = {cls.__name__: cls for cls in (Constraint, MaxNorm, NonNeg, UnitNorm, MinMaxNorm)}
_BUILTIN.update(
    {"max_norm": MaxNorm, "non_neg": NonNeg, "unit_norm": UnitNorm, "min_max_norm": MinMaxNorm}
)


def serialize(constraint) -> dict | str | None:
    """Keras 3's ``{"module", "class_name", "config", "registered_name"}``."""
    return simple_objects.serialize(constraint, "keras.constraints")


def deserialize(config, custom_objects: dict | None = None):
    """The constraint :func:`serialize` described (ValueError for an unknown name)."""
    return simple_objects.deserialize(config, custom_objects, _BUILTIN, "constraint")


def get(identifier):
    """A constraint from None, a Constraint or callable, a name (``"non_neg"``) or a config."""
    return simple_objects.get(identifier, _BUILTIN, "constraint")
