"""Checking the integer arguments of dataset transformations (counts, sizes, seeds)."""

from __future__ import annotations

import operator


def as_int(value, op: str, name: str, minimum: int | None = None) -> int:
    """``value`` (a Python or NumPy int, or a scalar integer Tensor) as an int.

    Raises:
        TypeError: for a bool, a float or anything else that is not an integer.
        ValueError: when ``value`` is below ``minimum``.
    """
    if isinstance(value, bool):
        raise TypeError(f"{op}: {name} must be an int, received {value!r}")
    try:
        number = operator.index(value)
    except TypeError:
        raise TypeError(f"{op}: {name} must be an int, received {value!r}") from None
    if minimum is not None and number < minimum:
        raise ValueError(f"{op}: {name} must be >= {minimum}, received {number}")
    return number
