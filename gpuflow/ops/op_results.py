"""The named tuples TensorFlow's ops return (``r.sign``, ``r.argmax``, ``r.q``...), in one
place; each is still a plain tuple to unpack."""

from __future__ import annotations

from collections import namedtuple

LogMatrixDeterminant = namedtuple("LogMatrixDeterminant", ["sign", "log_abs_determinant"])
Qr = namedtuple("Qr", ["q", "r"])
Lu = namedtuple("Lu", ["lu", "p"])
IsotonicRegression = namedtuple("IsotonicRegression", ["output", "segments"])
MaxPoolWithArgmax = namedtuple("MaxPoolWithArgmax", ["output", "argmax"])
