"""``gpuflow.math``: the tensor math of ``tf.math``."""
from .ops.linalg import matmul  # noqa: F401  (kept for existing callers; not in tf.math)
from .ops.math import (abs, acos, acosh, add, add_n, asin, asinh, atan, atan2, atanh, cast,
                       ceil, clip_by_value, cos, cosh, divide, divide_no_nan, equal, erf, erfc,
                       exp, expm1, floor, floordiv, floormod, greater, greater_equal, is_finite,
                       is_inf, is_nan, less, less_equal, log, log1p, log_sigmoid, logical_and,
                       logical_not, logical_or, logical_xor, maximum, minimum, mod, multiply,
                       multiply_no_nan, negative, not_equal, pow, reciprocal, rint, round, rsqrt,
                       sign, sin, sinh, sqrt, square, squared_difference, subtract, tan, truediv)
from .ops.math_extra import (bincount, confusion_matrix, count_nonzero, cumprod, cumsum,
                             l2_normalize, segment_sum, unsorted_segment_sum)
from .ops.nn import log_softmax, sigmoid, softmax, softplus, tanh
from .ops.reduce import (argmax, argmin, reduce_all, reduce_any, reduce_euclidean_norm,
                         reduce_logsumexp, reduce_max, reduce_mean, reduce_min, reduce_prod,
                         reduce_std, reduce_sum, reduce_variance)
from .ops.sorting import in_top_k, top_k

__all__ = [n for n in dir() if not n.startswith("_")]
