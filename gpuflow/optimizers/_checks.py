"""Argument checks shared by the optimizers (errors name the class, argument and value)."""

from __future__ import annotations


def check_unit_interval(optimizer, key: str, value) -> float:
    """``value`` as a float in [0, 1), else a ValueError naming ``optimizer``'s class."""
    if not 0.0 <= value < 1.0:
        raise ValueError(
            f"{type(optimizer).__name__}: {key} must be in [0, 1), received {key}={value}"
        )
    return float(value)
