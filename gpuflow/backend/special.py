"""Special functions on NumPy arrays, for devices without a library of them (NumPy has
none and gpuflow does not depend on SciPy): ``gammaln``, ``digamma``, ``polygamma1``
(trigamma), ``erfinv``, ``ndtri``, ``i0e``, ``i1e``; the Bessel functions of
``special_bessel.py`` and the integrals of ``special_integrals.py`` join them in
``FUNCTIONS``.

Each is computed in float64 and returned in the input's dtype, from the standard library
(``math.lgamma``, ``math.erf``, ``statistics.NormalDist.inv_cdf``: Wichura's AS241) or a
convergent series with an asymptotic expansion for large arguments, accurate to a few
float64 ulps. ``Device.special`` calls them; CUDA devices use ``cupyx.scipy.special``.
"""

from __future__ import annotations

import math
import statistics

import numpy as np

from . import special_bessel, special_integrals

_SQRT2 = math.sqrt(2.0)
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


def _vectorized(fn, x):
    return np.vectorize(fn, otypes=[np.float64])(x) if x.size else x.astype(np.float64)


def _lgamma(v: float) -> float:
    try:
        return math.lgamma(v)
    except ValueError:  # a pole: 0, -1, -2, ... (TensorFlow gives +inf)
        return math.inf


def gammaln(x):
    """``log|Gamma(x)|``; +inf at the poles (0, -1, -2, ...)."""
    return _vectorized(_lgamma, np.asarray(x, np.float64))


# Bernoulli numbers B_2k / (2k) for the asymptotic series of digamma, and B_2k for trigamma.
_B2K = (1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510)


def _shift_up(x, limit: float):
    """``x`` moved to ``>= limit`` by steps of 1, and the steps' count per element."""
    steps = np.maximum(np.ceil(limit - x), 0.0)
    steps[~np.isfinite(steps)] = 0.0
    return x + steps, steps


def digamma(x):
    """``d/dx log Gamma(x)``: reflection below 1/2, recurrence up to 10, asymptotic series."""
    shape = np.shape(x)
    return _digamma(np.asarray(x, np.float64).reshape(-1)).reshape(shape)


def _digamma(x):
    x = np.asarray(x, np.float64)
    pole = (x <= 0) & (x == np.floor(x))
    reflect = x < 0.5
    z = np.where(reflect, 1.0 - x, x)
    big, steps = _shift_up(z, 10.0)
    out = np.zeros_like(z)
    for k in range(int(steps.max()) if steps.size else 0):
        out -= np.where(k < steps, 1.0 / (z + k), 0.0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        inv2 = 1.0 / (big * big)
        series = np.zeros_like(z)
        for k in range(len(_B2K), 0, -1):
            series = series * inv2 + _B2K[k - 1] / (2 * k)
        out += np.log(big) - 0.5 / big - series * inv2
        out = np.where(reflect, out - math.pi / np.tan(math.pi * x), out)
    out[pole] = np.nan
    out[np.isposinf(x)] = np.inf
    return out


def polygamma1(x):
    """Trigamma, ``d/dx digamma(x)``: reflection, recurrence up to 10, asymptotic series."""
    shape = np.shape(x)
    return _polygamma1(np.asarray(x, np.float64).reshape(-1)).reshape(shape)


def _polygamma1(x):
    x = np.asarray(x, np.float64)
    pole = (x <= 0) & (x == np.floor(x))
    reflect = x < 0.5
    z = np.where(reflect, 1.0 - x, x)
    big, steps = _shift_up(z, 10.0)
    out = np.zeros_like(z)
    for k in range(int(steps.max()) if steps.size else 0):
        out += np.where(k < steps, 1.0 / ((z + k) * (z + k)), 0.0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        inv = 1.0 / big
        inv2 = inv * inv
        series = np.zeros_like(z)
        for k in range(len(_B2K), 0, -1):
            series = series * inv2 + _B2K[k - 1]
        out += inv + 0.5 * inv2 + series * inv2 * inv
        # psi1(1 - x) + psi1(x) = pi^2 / sin^2(pi x)
        out = np.where(reflect, (math.pi / np.sin(math.pi * x)) ** 2 - out, out)
    out[pole] = np.inf
    return out


_STANDARD_NORMAL = statistics.NormalDist()


def _ndtri(p: float) -> float:
    if p <= 0.0 or p >= 1.0:
        if p == 0.0:
            return -math.inf
        return math.inf if p == 1.0 else math.nan
    return _STANDARD_NORMAL.inv_cdf(p)


def ndtri(p):
    """The standard normal quantile (inverse CDF); -inf at 0, +inf at 1, NaN outside."""
    return _vectorized(_ndtri, np.asarray(p, np.float64))


def _erfinv(y: float) -> float:
    if not -1.0 < y < 1.0:
        if y == 1.0 or y == -1.0:
            return math.copysign(math.inf, y)
        return math.nan
    x = _STANDARD_NORMAL.inv_cdf((y + 1.0) / 2.0) / _SQRT2
    if abs(y) < 0.5:  # (y + 1) / 2 rounded y's low bits away: one Newton step on erf
        x -= (math.erf(x) - y) / (_TWO_OVER_SQRT_PI * math.exp(-x * x))
    return x


def erfinv(y):
    """The inverse of ``erf``; +-inf at +-1, NaN outside [-1, 1]."""
    return _vectorized(_erfinv, np.asarray(y, np.float64))


def _bessel_scaled(x, order: int):
    """``exp(-|x|) I_order(|x|)`` for order 0 or 1: the power series up to 30, beyond it
    Hankel's asymptotic expansion (its error there is below float64's resolution)."""
    a = np.abs(np.asarray(x, np.float64))
    out = np.empty_like(a)
    small = a <= 30.0
    s = a[small]
    quarter = s * s / 4.0
    term = np.ones_like(s) if order == 0 else s / 2.0
    total = term.copy()
    for k in range(1, 120):
        term = term * quarter / (k * (k + order))
        total += term
    out[small] = total * np.exp(-s)
    b = a[~small]
    mu = 4.0 * order * order
    term = np.ones_like(b)
    total = term.copy()
    for k in range(1, 30):
        term = -term * (mu - (2 * k - 1) ** 2) / (k * 8.0 * b)
        total += term
    with np.errstate(divide="ignore", invalid="ignore"):
        out[~small] = np.where(np.isinf(b), 0.0, total / np.sqrt(2.0 * math.pi * b))
    out[np.isnan(a)] = np.nan
    return out


def i0e(x):
    """The exponentially scaled modified Bessel function of order 0, ``exp(-|x|) I0(x)``."""
    return _bessel_scaled(x, 0)


def i1e(x):
    """The exponentially scaled modified Bessel function of order 1, ``exp(-|x|) I1(x)``."""
    x = np.asarray(x, np.float64)
    return np.sign(x) * _bessel_scaled(x, 1)


FUNCTIONS = {
    **special_bessel.FUNCTIONS,  # j0 j1 y0 y1 k0 k1 k0e k1e
    **special_integrals.FUNCTIONS,  # dawsn expi fresnel_s fresnel_c spence
    "gammaln": gammaln,
    "digamma": digamma,
    "polygamma1": polygamma1,
    "erfinv": erfinv,
    "ndtri": ndtri,
    "i0e": i0e,
    "i1e": i1e,
}
