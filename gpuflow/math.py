"""``gpuflow.math``: the tensor math of ``tf.math``."""
from .ops.linalg import matmul
from .ops.math import (abs, add, cast, clip_by_value, divide, equal, exp, greater, greater_equal,
                       is_finite, is_nan, less, less_equal, log, logical_and, logical_not, logical_or,
                       maximum, minimum, multiply, negative, not_equal, pow, sign, sqrt, square,
                       subtract)
from .ops.nn import sigmoid, softplus, tanh
from .ops.reduce import (argmax, argmin, reduce_all, reduce_any, reduce_logsumexp, reduce_max,
                         reduce_mean, reduce_min, reduce_std, reduce_sum, reduce_variance)

__all__ = [n for n in dir() if not n.startswith("_")]

from ._symbolic_dispatch import install as _install  # noqa: E402

_install(globals())  # ops called on KerasTensors build TFOpLambda layers, as in TF
