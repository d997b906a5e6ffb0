"""More ``tf.math``: the incomplete gamma and beta functions (``igamma``, ``igammac``,
``betainc``), Hurwitz ``zeta``, ``polygamma``, ``erfcinv``, ``nextafter``,
``cumulative_logsumexp``, ``accumulate_n`` and ``approx_max_k`` / ``approx_min_k``.

Values are computed in float64 NumPy on the host (no SciPy) and returned in the input's
dtype:

- ``igamma`` / ``igammac``: the power series for ``x < a + 1``, else the continued
  fraction (modified Lentz), as Numerical Recipes' ``gser``/``gcf``; a few float64 ulps.
- ``betainc``: the continued fraction of ``I_x(a, b)`` with the symmetry
  ``1 - I_{1-x}(b, a)`` past the mean (Numerical Recipes' ``betacf``).
- ``zeta(x, q)``: Euler-Maclaurin summation as Cephes' ``zeta``: direct terms until
  ``q + N > 9``, then 12 Bernoulli terms.
- ``polygamma(n, x) = (-1)^(n+1) n! zeta(n + 1, x)`` for integer ``n >= 1``, ``digamma``
  for ``n = 0``, NaN for other ``n``.

Gradients as TensorFlow gives them: ``igamma``/``igammac`` in ``x`` (exact) and ``a``
(a five-point difference of the float64 values, ~1e-11 relative), ``betainc`` in ``x``
(``a``, ``b``: None, as TF), ``zeta`` in ``q`` (``x``: None), ``polygamma`` in ``x``
(``n``: None); ``cumulative_logsumexp`` in its input.
"""

from __future__ import annotations

import collections
import math

import numpy as np

from ..autodiff.function import Function
from ..backend.special import digamma as _digamma_np
from ..backend.special import gammaln as _gammaln
from ..tensor import Tensor
from ._common import (
    as_int,
    as_tensor,
    broadcast_shape,
    invalid_argument,
    unsupported_dtype,
)

_EPS = np.finfo(np.float64).eps
_TINY = 1e-300
_MAX_ITER = 2000


def _floats(op, *values):
    """The operands as tensors of one float dtype: Python numbers and lists take the dtype
    of the tensors and arrays given (float32 if none); broadcast shapes checked."""
    typed = [v for v in values if isinstance(v, (Tensor, np.ndarray, np.generic))]
    typed = [as_tensor(v) for v in typed]
    floats = [t for t in typed if t.dtype.kind == "f"]
    dt = floats[0].dtype if floats else None
    tensors = [
        as_tensor(v, dtype=dt)
        if dt is not None and not isinstance(v, (Tensor, np.ndarray, np.generic))
        else as_tensor(v)
        for v in values
    ]
    if dt is None:
        dt = next((t.dtype for t in tensors if t.dtype.kind == "f"), None)
    if dt is None or any(t.dtype != dt for t in tensors):
        raise unsupported_dtype(
            op,
            "expected float tensors of one dtype (float32 or float64), received dtypes "
            + ", ".join(t.dtype.name for t in tensors),
        )
    try:
        np.broadcast_shapes(*[tuple(t.shape) for t in tensors])
    except ValueError:
        raise invalid_argument(
            op, "operands do not broadcast: " + ", ".join(str(tuple(t.shape)) for t in tensors)
        ) from None
    return tensors


# ------------------------------------------------------------------ NumPy kernels (float64)


def _igamma_series(a, x):
    """Lower regularized ``P(a, x)`` by its power series (used for ``x < a + 1``)."""
    term = 1.0 / a
    total = term.copy()
    ap = a.copy()
    for _ in range(_MAX_ITER):
        ap = ap + 1
        term = term * x / ap
        total = total + term
        if np.all(np.abs(term) <= np.abs(total) * _EPS):
            break
    return total * np.exp(-x + a * np.log(x) - _gammaln(a))


def _igammac_fraction(a, x):
    """Upper regularized ``Q(a, x)`` by its continued fraction (used for ``x >= a + 1``)."""
    b = x + 1 - a
    c = np.full_like(x, 1 / _TINY)
    d = 1 / b
    h = d.copy()
    for i in range(1, _MAX_ITER):
        an = -i * (i - a)
        b = b + 2
        d = an * d + b
        d = np.where(np.abs(d) < _TINY, _TINY, d)
        c = b + an / c
        c = np.where(np.abs(c) < _TINY, _TINY, c)
        d = 1 / d
        delta = d * c
        h = h * delta
        if np.all(np.abs(delta - 1) <= _EPS):
            break
    return np.exp(-x + a * np.log(x) - _gammaln(a)) * h


def _igamma_np(a, x, upper):
    a, x = np.broadcast_arrays(np.asarray(a, np.float64), np.asarray(x, np.float64))
    shape = a.shape
    a, x = a.ravel(), x.ravel()
    out = np.full(a.shape, np.nan)
    valid = (a > 0) & (x >= 0) & ~np.isnan(a) & ~np.isnan(x)
    zero = valid & (x == 0)
    inf = valid & np.isinf(x)
    out[zero] = 1.0 if upper else 0.0
    out[inf] = 0.0 if upper else 1.0
    rest = valid & ~zero & ~inf
    series = rest & (x < a + 1)
    frac = rest & ~series
    with np.errstate(all="ignore"):
        if series.any():
            p = _igamma_series(a[series], x[series])
            out[series] = 1 - p if upper else p
        if frac.any():
            q = _igammac_fraction(a[frac], x[frac])
            out[frac] = q if upper else 1 - q
    return out.reshape(shape)  # the broadcast shape, never the flattened one


def _betacf(a, b, x):
    qab, qap, qam = a + b, a + 1, a - 1
    c = np.ones_like(x)
    d = 1 - qab * x / qap
    d = np.where(np.abs(d) < _TINY, _TINY, d)
    d = 1 / d
    h = d.copy()
    for m in range(1, _MAX_ITER):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1 + aa * d
        d = np.where(np.abs(d) < _TINY, _TINY, d)
        c = 1 + aa / c
        c = np.where(np.abs(c) < _TINY, _TINY, c)
        d = 1 / d
        h = h * d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1 + aa * d
        d = np.where(np.abs(d) < _TINY, _TINY, d)
        c = 1 + aa / c
        c = np.where(np.abs(c) < _TINY, _TINY, c)
        d = 1 / d
        delta = d * c
        h = h * delta
        if np.all(np.abs(delta - 1) <= _EPS):
            break
    return h


def _betainc_np(a, b, x):
    a, b, x = np.broadcast_arrays(*(np.asarray(v, np.float64) for v in (a, b, x)))
    shape = a.shape
    a, b, x = a.ravel(), b.ravel(), x.ravel()
    out = np.full(a.shape, np.nan)
    valid = (a > 0) & (b > 0) & (x >= 0) & (x <= 1)
    out[valid & (x == 0)] = 0.0
    out[valid & (x == 1)] = 1.0
    rest = valid & (x > 0) & (x < 1)
    with np.errstate(all="ignore"):
        if rest.any():
            ar, br, xr = a[rest], b[rest], x[rest]
            log_front = (
                _gammaln(ar + br)
                - _gammaln(ar)
                - _gammaln(br)
                + ar * np.log(xr)
                + br * np.log1p(-xr)
            )
            front = np.exp(log_front)
            flip = xr > (ar + 1) / (ar + br + 2)
            direct = front * _betacf(ar, br, xr) / ar
            mirrored = 1 - front * _betacf(br, ar, 1 - xr) / br
            out[rest] = np.where(flip, mirrored, direct)
    return out.reshape(shape)


# Cephes zeta.c: (2k)! / B_2k
_ZETA_A = (
    12.0,
    -720.0,
    30240.0,
    -1209600.0,
    47900160.0,
    -1.8924375803183791606e9,
    7.47242496e10,
    -2.950130727918164224e12,
    1.1646782814350067249e14,
    -4.5979787224074726105e15,
    1.8152105401943546773e17,
    -7.1661652561756670113e18,
)


def _zeta_np(x, q):
    x, q = np.broadcast_arrays(np.asarray(x, np.float64), np.asarray(q, np.float64))
    shape = x.shape
    x, q = x.ravel(), q.ravel()
    out = np.full(x.shape, np.nan)
    pole = (x == 1) | ((q <= 0) & (q == np.floor(q)) & (x > 1))
    out[pole] = np.inf
    ok = (x > 1) & ~pole & ~np.isnan(q)
    ok &= ~((q < 0) & (x != np.floor(x)))  # a negative q needs an integer x
    if ok.any():
        xs, qs = x[ok], q[ok]
        with np.errstate(all="ignore"):
            # direct terms up to q + N > 9 (N at least 9), then Euler-Maclaurin at w = q + N
            n_terms = int(max(9, math.ceil(9 - qs.min()) + 1))
            total = np.zeros_like(xs)
            for k in range(n_terms):
                total += (qs + k) ** -xs
            w = qs + n_terms
            b = w**-xs
            total += b
            total += b * w / (xs - 1) - 0.5 * b
            a = np.ones_like(xs)
            k = 0.0
            for coeff in _ZETA_A:
                a = a * (xs + k)
                b = b / w
                total += a * b / coeff
                k += 1
                a = a * (xs + k)
                b = b / w
                k += 1
        out[ok] = total
    return out.reshape(shape)


def _polygamma_np(n, x):
    n, x = np.broadcast_arrays(np.asarray(n, np.float64), np.asarray(x, np.float64))
    shape = n.shape
    n, x = n.ravel(), x.ravel()
    out = np.full(n.shape, np.nan)
    integer = (n >= 0) & (n == np.floor(n))
    zero = integer & (n == 0)
    if zero.any():
        out[zero] = _digamma_np(x[zero])
    higher = integer & (n > 0)
    if higher.any():
        nh = n[higher]
        sign = np.where(nh % 2 == 1, 1.0, -1.0)
        with np.errstate(all="ignore"):
            out[higher] = sign * np.exp(_gammaln(nh + 1)) * _zeta_np(nh + 1, x[higher])
    return out.reshape(shape)


# ------------------------------------------------------------------ Functions


def _host(fn, arrays):
    return [np.asarray(fn.device.to_host(a)) for a in arrays]


def _back(fn, array, like):
    return fn.xp.asarray(array.astype(like.dtype, copy=False))


class _HostSpecial(Function):
    """A NumPy kernel of the inputs, in the first float input's dtype."""

    twice_differentiable = False

    def forward(self, *xs):
        out = self.kernel(*_host(self, xs))
        return _back(self, np.asarray(out), xs[-1])

    def _host_g(self, g):
        return np.asarray(self.device.to_host(g), np.float64)

    def _unbroadcast(self, grad, index):
        shape = self._xs[index].shape
        extra = grad.ndim - len(shape)
        grad = grad.sum(axis=tuple(range(extra))) if extra else grad
        axes = tuple(i for i, s in enumerate(shape) if s == 1 and grad.shape[i] != 1)
        grad = grad.sum(axis=axes, keepdims=True) if axes else grad
        return self.xp.asarray(grad.reshape(shape).astype(self._xs[index].dtype))


def _d_da(a, x, upper):
    """``d/da`` of ``P(a, x)`` (or ``Q``) by the five-point central difference in float64,
    step ``h = min(1e-3 max(a, 1), a / 4)``: about 1e-11 relative error for moderate ``a``."""
    a, x = np.broadcast_arrays(a, x)
    h = np.minimum(1e-3 * np.maximum(a, 1.0), a / 4)
    f = [_igamma_np(a + k * h, x, upper).reshape(a.shape) for k in (-2, -1, 1, 2)]
    with np.errstate(all="ignore"):
        return (f[0] - 8 * f[1] + 8 * f[2] - f[3]) / (12 * h)


class Igamma(_HostSpecial):
    upper = False

    def kernel(self, a, x):
        return _igamma_np(a, x, self.upper)

    def backward(self, F, g):
        a, x = (np.asarray(v, np.float64) for v in _host(self, self._xs))
        with np.errstate(all="ignore"):
            dx = np.exp(-x + (a - 1) * np.log(x) - _gammaln(a))
        dx = -dx if self.upper else dx
        gh = self._host_g(g)
        ga = self._unbroadcast(gh * _d_da(a, x, self.upper), 0) if self.needs_grad[0] else None
        return ga, self._unbroadcast(gh * dx, 1)


class Igammac(Igamma):
    upper = True


class Betainc(_HostSpecial):
    def kernel(self, a, b, x):
        return _betainc_np(a, b, x)

    def backward(self, F, g):
        a, b, x = (np.asarray(v, np.float64) for v in _host(self, self._xs))
        with np.errstate(all="ignore"):
            dx = np.exp(
                (a - 1) * np.log(x)
                + (b - 1) * np.log1p(-x)
                - (_gammaln(a) + _gammaln(b) - _gammaln(a + b))
            )
        return None, None, self._unbroadcast(self._host_g(g) * dx, 2)


class Zeta(_HostSpecial):
    def kernel(self, x, q):
        return _zeta_np(x, q)

    def backward(self, F, g):
        x, q = (np.asarray(v, np.float64) for v in _host(self, self._xs))
        dq = -x * _zeta_np(x + 1, q)
        return None, self._unbroadcast(self._host_g(g) * dq, 1)


class Polygamma(_HostSpecial):
    def kernel(self, n, x):
        return _polygamma_np(n, x)

    def backward(self, F, g):
        n, x = (np.asarray(v, np.float64) for v in _host(self, self._xs))
        return None, self._unbroadcast(self._host_g(g) * _polygamma_np(n + 1, x), 1)


def igamma(a, x, name=None) -> Tensor:
    """The lower regularized incomplete gamma function ``P(a, x)``; NaN for ``a <= 0`` or
    ``x < 0``."""
    return Igamma()(*_floats("igamma", a, x))


def igammac(a, x, name=None) -> Tensor:
    """The upper regularized incomplete gamma function ``Q(a, x) = 1 - P(a, x)``."""
    return Igammac()(*_floats("igammac", a, x))


def betainc(a, b, x, name=None) -> Tensor:
    """The regularized incomplete beta function ``I_x(a, b)``; NaN outside ``a, b > 0``,
    ``0 <= x <= 1``."""
    return Betainc()(*_floats("betainc", a, b, x))


def zeta(x, q, name=None) -> Tensor:
    """The Hurwitz zeta function ``sum_k (k + q)^-x``; inf at ``x = 1``, NaN for ``x < 1``."""
    return Zeta()(*_floats("zeta", x, q))


def polygamma(a, x, name=None) -> Tensor:
    """The ``a``-th derivative of ``digamma`` at ``x`` (``a`` a non-negative integer
    value; NaN otherwise)."""
    return Polygamma()(*_floats("polygamma", a, x))


def erfcinv(x, name=None) -> Tensor:
    """The inverse of ``erfc`` on (0, 2): ``-ndtri(x / 2) / sqrt(2)`` (as TensorFlow);
    differentiable."""
    from .special import _float_input, ndtri

    t = _float_input("erfcinv", x)
    return -ndtri(t * 0.5) * math.sqrt(0.5)


def nextafter(x1, x2, name=None) -> Tensor:
    """The next representable value after ``x1`` towards ``x2`` (float32/float64); its
    gradient is TensorFlow's: the upstream gradient for ``x1``, zeros for ``x2``."""
    from ._common import pair_operands

    a, b = pair_operands(x1, x2, "nextafter")
    if a.dtype.name not in ("float32", "float64") or a.dtype != b.dtype:
        raise unsupported_dtype(
            "nextafter",
            f"expected two float32 or float64 tensors of one dtype, received {a.dtype.name} "
            f"and {b.dtype.name}",
        )
    broadcast_shape("nextafter", a.shape, b.shape)
    return NextAfter()(a, b)


class NextAfter(Function):
    """TensorFlow's NextAfter gradient: the upstream gradient for ``x1`` (the step is
    treated as the identity), zeros for ``x2``."""

    def forward(self, a, b):
        return self.xp.nextafter(a, b)

    def backward(self, F, g):
        a, b = F.inputs(self)
        return F.unbroadcast(g, a.shape), F.unbroadcast(g * 0.0, b.shape)


class CumulativeLogsumexp(Function):
    twice_differentiable = False

    def __init__(self, axis, exclusive, reverse) -> None:
        self.axis, self.exclusive, self.reverse = axis, exclusive, reverse

    def _scan(self, x, exclusive, reverse):
        ax = self.axis
        if reverse:
            x = np.flip(x, ax)
        out = np.logaddexp.accumulate(x, axis=ax) if x.shape[ax] else x.copy()
        if exclusive and x.shape[ax]:
            first = np.full_like(np.take(out, [0], axis=ax), -np.inf)
            out = np.concatenate([first, np.take(out, range(x.shape[ax] - 1), axis=ax)], ax)
        return np.flip(out, ax) if reverse else out

    def forward(self, x):
        host = np.asarray(self.device.to_host(x))
        return self.xp.asarray(self._scan(host, self.exclusive, self.reverse))

    def backward(self, F, g):
        # d out_j / d x_i = exp(x_i - out_j) over the j that sum x_i: the same scan the
        # other way round, of log|g| - out, split by the sign of g (as TensorFlow).
        host = self.device.to_host
        x = np.asarray(host(self._xs[0]), np.float64)
        out = np.asarray(host(self._y), np.float64)
        gh = np.asarray(host(g), np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            pos = self._scan(np.log(np.maximum(gh, 0)) - out, self.exclusive, not self.reverse)
            neg = self._scan(np.log(np.maximum(-gh, 0)) - out, self.exclusive, not self.reverse)
            grad = np.exp(pos + x) - np.exp(neg + x)
        return (self.xp.asarray(grad.astype(self._xs[0].dtype)),)


def cumulative_logsumexp(x, axis=0, exclusive=False, reverse=False, name=None) -> Tensor:
    """``log(cumsum(exp(x)))`` along ``axis``, computed stably (``exclusive`` starts at
    ``-inf``; ``reverse`` scans from the end)."""
    from ._common import normalize_axis

    t = as_tensor(x)
    if t.dtype.kind != "f":
        raise unsupported_dtype(
            "cumulative_logsumexp", f"expected a float tensor, received dtype {t.dtype.name}"
        )
    if t.ndim == 0:
        raise invalid_argument("cumulative_logsumexp", "expected a tensor of rank >= 1")
    (ax,) = normalize_axis(axis, t.ndim, "cumulative_logsumexp")
    return CumulativeLogsumexp(ax, bool(exclusive), bool(reverse))(t)


def accumulate_n(inputs, shape=None, tensor_dtype=None, name=None) -> Tensor:
    """The elementwise sum of a list of tensors of one shape and dtype (TensorFlow's
    deprecated alias of ``add_n`` with shape checks)."""
    from .math import add_n

    if not isinstance(inputs, (list, tuple)) or not inputs:
        raise ValueError(
            "accumulate_n: inputs must be a list of at least one Tensor with the same dtype "
            f"and shape, received {type(inputs).__name__}"
        )
    tensors = [as_tensor(t) for t in inputs]
    for t in tensors[1:]:
        if tuple(t.shape) != tuple(tensors[0].shape):
            raise ValueError(
                f"accumulate_n: shapes {tuple(tensors[0].shape)} and {tuple(t.shape)} are not "
                "compatible"
            )
        if t.dtype != tensors[0].dtype:
            raise ValueError(
                "inputs must be a list of at least one Tensor with the same dtype and shape"
            )
    if shape is not None and tuple(shape) != tuple(tensors[0].shape):
        raise ValueError(f"Shapes {tuple(shape)} and {tuple(tensors[0].shape)} are not compatible")
    if tensor_dtype is not None:
        from .. import dtypes

        if dtypes.as_dtype(tensor_dtype) != tensors[0].dtype:
            raise TypeError(
                f"tensor_dtype is {dtypes.as_dtype(tensor_dtype).name}, but input is of type "
                f"{tensors[0].dtype.name}"
            )
    return add_n(tensors)


ApproxTopK = collections.namedtuple("ApproxTopK", ["values", "indices"])
ApproxTopK.__doc__ = "``(values, indices)``: TensorFlow's namedtuple ``ApproxTopK``."


def _approx_top_k(op, operand, k, reduction_dimension, largest):
    from ..ops.sorting import top_k
    from ._common import normalize_axis
    from .shape import transpose

    x = as_tensor(operand)
    if x.ndim == 0:
        raise invalid_argument(op, "operand must have rank >= 1")
    (ax,) = normalize_axis(reduction_dimension, x.ndim, op)
    k = as_int(op, "k", k)
    if not 0 <= k <= x.shape[ax]:
        raise invalid_argument(
            op, f"k must be in [0, {x.shape[ax]}] (the reduced dimension), received {k}"
        )
    perm = [i for i in range(x.ndim) if i != ax] + [ax]
    moved = transpose(x, perm) if ax != x.ndim - 1 else x
    values, indices = top_k(moved if largest else -moved, k=k)
    if not largest:
        values = -values
    if ax != x.ndim - 1:
        back = list(np.argsort(perm))
        values, indices = transpose(values, back), transpose(indices, back)
    return ApproxTopK(values, indices)


def approx_max_k(
    operand,
    k,
    reduction_dimension=-1,
    recall_target=0.95,
    reduction_input_size_override=-1,
    aggregate_to_topk=True,
    name=None,
):
    """``(values, indices)`` of the ``k`` largest along ``reduction_dimension``, exact
    (TensorFlow documents exact top-k as a valid result)."""
    return _approx_top_k("approx_max_k", operand, k, reduction_dimension, True)


def approx_min_k(
    operand,
    k,
    reduction_dimension=-1,
    recall_target=0.95,
    reduction_input_size_override=-1,
    aggregate_to_topk=True,
    name=None,
):
    """``(values, indices)`` of the ``k`` smallest (ascending), exact."""
    return _approx_top_k("approx_min_k", operand, k, reduction_dimension, False)
