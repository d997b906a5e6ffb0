"""``tf.experimental.numpy``: NumPy's API on gpuflow tensors (TensorFlow's ``tnp``).

``import tensorflow.experimental.numpy as tnp`` then ``tnp.asarray``, ``tnp.sum``,
``tnp.random.randn``, ... return tensors (``tnp.ndarray`` is the Tensor class) with NumPy's
dtype rules, as TensorFlow's "NumPy API on TensorFlow" describes. Most functions are
``keras.ops`` functions under those rules (:mod:`._table`).
"""

from __future__ import annotations

from ...tensor import Tensor as ndarray  # noqa: F401  (tnp.ndarray is tf.Tensor)
from . import random  # noqa: F401
from ._behavior import experimental_enable_numpy_behavior  # noqa: F401
from ._convert import asarray  # noqa: F401
from ._creation import (  # noqa: F401
    arange,
    array,
    asanyarray,
    ascontiguousarray,
    copy,
    diag_indices,
    empty,
    empty_like,
    eye,
    full,
    full_like,
    geomspace,
    identity,
    linspace,
    logspace,
    ones,
    ones_like,
    tri,
    zeros,
    zeros_like,
)
from ._dtypes import (  # noqa: F401
    bool_,
    complex64,
    complex128,
    complex_,
    e,
    finfo,
    float16,
    float32,
    float64,
    float_,
    iinfo,
    inexact,
    inf,
    int8,
    int16,
    int32,
    int64,
    int_,
    issubdtype,
    newaxis,
    object_,
    pi,
    promote_types,
    string_,
    uint8,
    uint16,
    uint32,
    uint64,
    unicode_,
)
from ._extra import *  # noqa: F401,F403
from ._table import TABLE as _TABLE

globals().update(_TABLE)


def __dir__():
    return sorted(n for n in globals() if not n.startswith("_"))
