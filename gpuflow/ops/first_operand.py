"""``tf.add`` and ``tf.matmul`` as TensorFlow's: the first operand converts on its own.

TensorFlow's ``math_ops.add`` and ``matmul`` convert ``x`` with no dtype hint, then ``y``
to ``x``'s dtype: ``tf.add(1, tf.constant([1.5]))`` (1 becomes int32) and
``tf.matmul(np.ones((1, 2)), x_float32)`` (the array stays float64) raise
InvalidArgumentError, while ``1 + x`` and ``tf.add(x, 1)`` compute. Only these public
entry points check it; the operators and gpuflow's own code call ``ops.math.add`` and
``ops.linalg.matmul``, which give a Python scalar its partner's dtype.
"""

from __future__ import annotations

import numpy as np

from .. import dtypes
from ..tensor import Tensor
from . import linalg as _linalg
from . import math as _math
from ._common import UnsupportedDtypeError, as_tensor

# Operands that TensorFlow converts to a tensor of their own dtype.
_PLAIN = (bool, int, float, np.generic, np.ndarray, list, tuple)


def _first_operand(x, y, op: str, kernel: str):
    """``x`` converted as TensorFlow converts it when ``y`` is a tensor; an error if that
    dtype is not ``y``'s. Other operands are returned as they are."""
    if not isinstance(y, Tensor) or not isinstance(x, _PLAIN) or dtypes.numpy_behavior.enabled:
        return x
    try:
        t = as_tensor(x)
    except (TypeError, ValueError):
        return x  # the op's own conversion reports it
    if t._data.dtype != y._data.dtype:
        raise UnsupportedDtypeError(
            None,
            op,
            f"{op}: cannot compute {kernel} as input #1(zero-based) was expected to be a "
            f"{t.dtype.name} tensor but is a {y.dtype.name} tensor (the first operand "
            f"{x!r} converts on its own, to {t.dtype.name}); pass it as a tensor of "
            f"{y.dtype.name} (tf.constant(..., dtype=tf.{y.dtype.name})) or cast",
        )
    return t


def add(x, y, name=None) -> Tensor:
    """``x + y``, elementwise with broadcasting (``x`` converts first, as TensorFlow's)."""
    return _math.add(_first_operand(x, y, "add", "AddV2"), y, name=name)


def matmul(
    a,
    b,
    transpose_a=False,
    transpose_b=False,
    adjoint_a=False,
    adjoint_b=False,
    a_is_sparse=False,
    b_is_sparse=False,
    output_type=None,
    grad_a=False,
    grad_b=False,
    name=None,
) -> Tensor:
    """Matrix product of tensors of rank >= 2 (``a`` converts first, as TensorFlow's)."""
    return _linalg.matmul(
        _first_operand(a, b, "matmul", "MatMul"),
        b,
        transpose_a=transpose_a,
        transpose_b=transpose_b,
        adjoint_a=adjoint_a,
        adjoint_b=adjoint_b,
        a_is_sparse=a_is_sparse,
        b_is_sparse=b_is_sparse,
        output_type=output_type,
        grad_a=grad_a,
        grad_b=grad_b,
        name=name,
    )
