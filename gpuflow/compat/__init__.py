"""``tf.compat``: text/bytes conversions, dimension helpers and forward-compatibility
checks of TensorFlow 2's API, and ``tf.compat.v1`` (TF 1 names and graph mode with
sessions, v1.py); ``tf.compat.v2`` is gpuflow itself.
"""

from __future__ import annotations

import contextlib
import datetime
import numbers
import os

import numpy as np

from . import v1  # noqa: F401

bytes_or_text_types = (bytes, str)
integral_types = (numbers.Integral, np.integer)
real_types = (numbers.Real, np.integer, np.floating)
complex_types = (numbers.Complex, np.number)

# TensorFlow 2.21's horizon: code asking for a later date is told "not yet".
_HORIZON = datetime.date(2025, 1, 1)


def as_bytes(bytes_or_text, encoding: str = "utf-8") -> bytes:
    """``bytes`` as they are, ``str`` encoded (bytearray copied to bytes)."""
    if isinstance(bytes_or_text, bytearray):
        return bytes(bytes_or_text)
    if isinstance(bytes_or_text, str):
        return bytes_or_text.encode(encoding)
    if isinstance(bytes_or_text, bytes):
        return bytes_or_text
    raise TypeError(f"as_bytes: expected binary or unicode string, got {bytes_or_text!r}")


def as_text(bytes_or_text, encoding: str = "utf-8") -> str:
    """``str`` as it is, ``bytes`` decoded."""
    if isinstance(bytes_or_text, str):
        return bytes_or_text
    if isinstance(bytes_or_text, bytes):
        return bytes_or_text.decode(encoding)
    raise TypeError(f"as_text: expected binary or unicode string, got {bytes_or_text!r}")


as_str = as_text


def as_str_any(value, encoding: str = "utf-8") -> str:
    """``as_str`` for bytes, ``str(value)`` for anything else."""
    if isinstance(value, bytes):
        return as_str(value, encoding)
    return str(value)


def path_to_str(path):
    """An ``os.PathLike`` as its string; anything else as it is."""
    if isinstance(path, os.PathLike):
        return os.fspath(path)
    return path


def dimension_value(dimension):
    """A dimension (an int, None or a TensorShape entry) as an int or None."""
    return getattr(dimension, "value", dimension)


def dimension_at_index(shape, index):
    """``shape[index]`` as a dimension; None for a shape of unknown rank."""
    dims = getattr(shape, "dims", shape)
    if dims is None:
        return None
    return dimension_value(tuple(dims)[index])


def forward_compatible(year: int, month: int, day: int) -> bool:
    """Whether the forward-compatibility horizon is past the given date."""
    return _HORIZON > datetime.date(year, month, day)


@contextlib.contextmanager
def forward_compatibility_horizon(year: int, month: int, day: int):
    """Within the block, :func:`forward_compatible` measures against the given date."""
    global _HORIZON
    previous = _HORIZON
    _HORIZON = datetime.date(year, month, day)
    try:
        yield
    finally:
        _HORIZON = previous


def __getattr__(name: str):
    if name == "v2":  # tf.compat.v2 is the TF 2 API: gpuflow itself
        import gpuflow

        return gpuflow
    raise AttributeError(f"module 'gpuflow.compat' has no attribute {name!r}")
