"""``tf.VariableAggregation`` and ``tf.VariableSynchronization``: how a distributed
variable's replicas combine updates and when they synchronize (``tf.Variable`` keeps them)."""

from __future__ import annotations

import enum


class VariableAggregation(enum.Enum):
    """How a distributed variable's per-replica updates combine."""

    NONE = 0
    SUM = 1
    MEAN = 2
    ONLY_FIRST_REPLICA = 3


class VariableSynchronization(enum.Enum):
    """When a distributed variable is synchronized."""

    AUTO = 0
    NONE = 1
    ON_WRITE = 2
    ON_READ = 3


def as_aggregation(value) -> VariableAggregation:
    """``value`` (an enum member, its int value or its name) as a VariableAggregation."""
    return _as(VariableAggregation, value, "aggregation")


def as_synchronization(value) -> VariableSynchronization:
    """``value`` (an enum member, its int value or its name) as a VariableSynchronization."""
    return _as(VariableSynchronization, value, "synchronization")


def _as(cls, value, what):
    if value is None:
        return cls(0)
    if isinstance(value, cls):
        return value
    if type(value).__name__ == cls.__name__ or type(value).__name__ == cls.__name__ + "V2":
        return cls(int(value.value))  # TensorFlow's own enum, passed through tf_keras code
    try:
        return cls(value) if isinstance(value, int) else cls[str(value).upper()]
    except (KeyError, ValueError):
        raise ValueError(
            f"Variable: {what} must be a {cls.__name__} (one of "
            f"{', '.join(m.name for m in cls)}), received {value!r}"
        ) from None
