"""``tnp.random``: NumPy's random functions on TensorFlow's global random state.

``seed`` sets the global seed (``tf.random.set_seed``); samples are the default float type
(float64 unless ``prefer_float32``), ``randint`` int64, as in TensorFlow's NumPy API.
"""

from __future__ import annotations

import numpy as np

from ... import random as _random
from . import _dtypes
from ._convert import _numpy_dtype, asarray


def seed(s) -> None:
    """Set the global random seed (``tf.random.set_seed``)."""
    try:
        s = int(s)
    except TypeError:
        raise ValueError(f"Argument `s` got an invalid value {s}. Only integers are supported.")
    _random.set_seed(s)


def _size(size):
    if size is None:
        return ()
    if isinstance(size, (int, np.integer)):
        return (int(size),)
    return tuple(int(d) for d in size)


def standard_normal(size=None):
    """Samples of the standard normal distribution, of shape ``size``."""
    return _random.normal(_size(size), dtype=_dtypes.default_float_type())


def randn(*args):
    """Standard normal samples of shape ``args``."""
    return standard_normal(size=args)


def uniform(low=0.0, high=1.0, size=None):
    """Samples uniform on ``[low, high)``, of shape ``size`` (that of ``low`` and ``high``
    broadcast when ``size`` is None)."""
    dtype = _dtypes.default_float_type()
    lo, hi = asarray(low, dtype), asarray(high, dtype)
    if size is None:
        shape = np.broadcast_shapes(tuple(lo.shape), tuple(hi.shape))
    else:
        shape = _size(size)
    unit = _random.uniform(shape, dtype=dtype)
    return lo + (hi - lo) * unit


def random(size=None):
    """Samples uniform on ``[0, 1)`` of shape ``size``."""
    return uniform(0.0, 1.0, size)


def rand(*size):
    """Samples uniform on ``[0, 1)`` of shape ``size``."""
    return uniform(0.0, 1.0, size)


def randint(low, high=None, size=None, dtype=np.int64):
    """Integers uniform on ``[low, high)`` (``[0, low)`` without ``high``)."""
    low = int(low)
    if high is None:
        low, high = 0, low
    target = _numpy_dtype(dtype, "tnp.random.randint")
    if target not in (np.dtype(np.int32), np.dtype(np.int64)):
        raise ValueError(
            f"Argument `dtype` got an invalid value {dtype}. Only those convertible to "
            "(<class 'numpy.int32'>, <class 'numpy.int64'>) are supported."
        )
    return _random.uniform(_size(size), minval=low, maxval=int(high), dtype=target)


def poisson(lam=1.0, size=None):
    """Poisson samples of rate ``lam`` (int64), of shape ``size``."""
    return _random.poisson(_size(size), lam, dtype=np.int64)
