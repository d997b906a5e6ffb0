"""``tf.distribute.ReduceOp``: how values from the replicas are combined."""

from __future__ import annotations

import enum


class ReduceOp(enum.Enum):
    """``SUM`` adds the replicas' values; ``MEAN`` averages them."""

    SUM = "SUM"
    MEAN = "MEAN"

    @staticmethod
    def from_variable_aggregation(aggregation) -> ReduceOp:
        """The ReduceOp of a variable aggregation name (``"sum"`` / ``"mean"``)."""
        return as_reduce_op(
            str(getattr(aggregation, "name", aggregation)).upper(),
            "ReduceOp.from_variable_aggregation",
        )


def as_reduce_op(value, op: str = "reduce") -> ReduceOp:
    """``value`` (a ReduceOp, ``"SUM"``/``"MEAN"`` in any case, or TF's enum) as a ReduceOp.

    Raises:
        ValueError: naming ``op`` and the value received.
    """
    if isinstance(value, ReduceOp):
        return value
    name = getattr(value, "value", value)  # another framework's ReduceOp enum member
    if isinstance(name, str) and name.upper() in ReduceOp.__members__:
        return ReduceOp[name.upper()]
    raise ValueError(
        f"{op}: reduce_op must be ReduceOp.SUM, ReduceOp.MEAN, 'SUM' or 'MEAN', received {value!r}"
    )
