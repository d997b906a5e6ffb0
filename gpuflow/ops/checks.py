"""``tf.debugging`` assertions: each returns None when the condition holds and raises an
error naming the assertion, the ``message`` and the offending values when it fails."""

from __future__ import annotations

import numpy as np

from .. import _api_dispatch, dtypes
from .._tracing import host_call
from ..tensor import Tensor
from ._common import (
    as_int,
    as_tensor,
    broadcast_shape,
    invalid_argument,
    invalid_type,
    unsupported_dtype,
)


def _values(x):
    return x.numpy() if isinstance(x, Tensor) else np.asarray(x)


def _fail(op, message, detail):
    prefix = f"{message}: " if message else ""
    return invalid_argument(op, f"{prefix}{detail}")


def _compare(op, x, y, test, what, message, summarize):
    if _api_dispatch._BINARY_ASSERT:  # tf.experimental.dispatch_for_binary_elementwise_assert_apis
        handler = _api_dispatch.assert_handler(x, y)
        if handler is not None:
            handler(lambda a, b: _compare(op, a, b, test, what, message, summarize), x, y)
            return
    a, b = as_tensor(x), as_tensor(y)
    broadcast_shape(op, tuple(a.shape), tuple(b.shape))
    _check_values(op, a, b, test, what, message, summarize)


@host_call(effect=True)  # inside tf.function: a host step that checks every call's values
def _check_values(op, a, b, test, what, message, summarize):
    av, bv = _values(a), _values(b)
    ok = test(av, bv)
    if not bool(np.all(ok)):
        bad = np.argwhere(~np.broadcast_to(ok, np.broadcast_shapes(av.shape, bv.shape)))
        first = bad[0].tolist() if bad.size else []
        n = summarize or 3
        raise _fail(
            op,
            message,
            f"expected x {what} y elementwise; it fails at {len(bad)} "
            f"position(s), first {first}; x = "
            f"{np.array2string(av.reshape(-1)[:n])}, y = "
            f"{np.array2string(bv.reshape(-1)[:n])}",
        )


def assert_equal(x, y, message=None, summarize=None, name=None):
    """``x == y`` elementwise (with broadcasting)."""
    _compare("assert_equal", x, y, np.equal, "==", message, summarize)


def assert_none_equal(x, y, message=None, summarize=None, name=None):
    _compare("assert_none_equal", x, y, np.not_equal, "!=", message, summarize)


def assert_less(x, y, message=None, summarize=None, name=None):
    _compare("assert_less", x, y, np.less, "<", message, summarize)


def assert_less_equal(x, y, message=None, summarize=None, name=None):
    _compare("assert_less_equal", x, y, np.less_equal, "<=", message, summarize)


def assert_greater(x, y, message=None, summarize=None, name=None):
    _compare("assert_greater", x, y, np.greater, ">", message, summarize)


def assert_greater_equal(x, y, message=None, summarize=None, name=None):
    _compare("assert_greater_equal", x, y, np.greater_equal, ">=", message, summarize)


def assert_positive(x, message=None, summarize=None, name=None):
    _compare("assert_positive", x, 0, np.greater, "> 0 (y)", message, summarize)


def assert_negative(x, message=None, summarize=None, name=None):
    _compare("assert_negative", x, 0, np.less, "< 0 (y)", message, summarize)


def assert_non_negative(x, message=None, summarize=None, name=None):
    _compare("assert_non_negative", x, 0, np.greater_equal, ">= 0 (y)", message, summarize)


def assert_non_positive(x, message=None, summarize=None, name=None):
    _compare("assert_non_positive", x, 0, np.less_equal, "<= 0 (y)", message, summarize)


def assert_near(x, y, rtol=None, atol=None, message=None, summarize=None, name=None):
    """``|x - y| <= atol + rtol * |y|`` elementwise; default tolerances ``10 * eps`` of the
    dtype, as TensorFlow."""
    a = as_tensor(x)
    eps = float(dtypes.info(np.dtype(a.dtype)).eps) if a.dtype.kind == "f" else 0.0
    rtol = 10 * eps if rtol is None else rtol
    atol = 10 * eps if atol is None else atol
    _compare(
        "assert_near",
        a,
        y,
        lambda u, v: np.abs(u - v) <= atol + rtol * np.abs(v),
        f"near (rtol={rtol:g}, atol={atol:g})",
        message,
        summarize,
    )


def assert_all_finite(t, message, name=None, x=None):
    """Raise when ``t`` holds NaN or Inf; returns ``t``."""
    return check_numerics(t, message, name)


def check_numerics(tensor, message, name=None):
    """``tensor`` unchanged when it holds no NaN or Inf, else an error with ``message``
    (inside tf.function, checked on every call)."""
    t = as_tensor(tensor)
    if t.dtype.kind != "f":
        raise unsupported_dtype(
            "check_numerics", f"expected a float tensor, received dtype {t.dtype.name}"
        )
    _check_finite(t, message)
    return t


@host_call(effect=True)
def _check_finite(t, message):
    values = t.numpy()
    if not np.isfinite(values).all():
        nan, inf = int(np.isnan(values).sum()), int(np.isinf(values).sum())
        raise invalid_argument(
            "check_numerics", f"{message}: tensor had {nan} NaN and {inf} Inf values"
        )


def assert_rank(x, rank, message=None, name=None):
    t = as_tensor(x)
    rank = as_int("assert_rank", "rank", rank, minimum=0)
    if t.ndim != int(rank):
        raise _fail(
            "assert_rank",
            message,
            f"expected rank {int(rank)}, received rank {t.ndim} (shape {tuple(t.shape)})",
        )


def assert_rank_at_least(x, rank, message=None, name=None):
    t = as_tensor(x)
    if t.ndim < int(rank):
        raise _fail(
            "assert_rank_at_least", message, f"expected rank >= {int(rank)}, received rank {t.ndim}"
        )


def assert_scalar(tensor, message=None, name=None):
    t = as_tensor(tensor)
    if t.ndim != 0:
        raise _fail("assert_scalar", message, f"expected a scalar, received shape {tuple(t.shape)}")
    return t


def assert_type(tensor, tf_type, message=None, name=None):
    """Raises TypeError unless ``tensor`` (a Tensor, Variable, SparseTensor or RaggedTensor,
    whose dtype is its values') has dtype ``tf_type``."""
    composite = type(tensor).__name__ in ("SparseTensor", "RaggedTensor")
    t = tensor if composite else as_tensor(tensor)
    if t.dtype != dtypes.as_dtype(tf_type, "assert_type"):
        raise invalid_type(
            "assert_type",
            f"{message + ': ' if message else ''}expected dtype "
            f"{dtypes.as_dtype(tf_type)}, received {t.dtype.name}",
        )


def assert_integer(x, message=None, name=None):
    t = as_tensor(x)
    if not t.dtype.is_integer:
        raise invalid_type(
            "assert_integer",
            f"{message + ': ' if message else ''}expected an "
            f"integer tensor, received dtype {t.dtype.name}",
        )


def is_numeric_tensor(tensor) -> bool:
    return isinstance(tensor, Tensor) and tensor.dtype.kind in "fiu"
