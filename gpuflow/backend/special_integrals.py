"""Special integrals on NumPy arrays, in float64 (no SciPy): Dawson's integral ``dawsn``,
the exponential integral ``expi`` (Ei), the Fresnel integrals ``fresnel_s`` /
``fresnel_c`` and Spence's function ``spence`` (the dilogarithm ``Li2(1 - x)``).

- ``dawsn(x) = exp(-x^2) sum x^(2k+1) / (k! (2k+1))`` (positive terms, no cancellation) up
  to ``|x| = 7``, the asymptotic series ``1/(2x) sum (2k-1)!! / (2x^2)^k`` beyond.
- ``expi``: ``gamma + ln x + sum x^k / (k k!)`` up to 40, ``e^x/x sum k!/x^k`` beyond;
  NaN for ``x < 0`` and -inf at 0, as TensorFlow (Eigen) gives.
- Fresnel: the power series up to ``|x| = 1.5``, beyond it the continued fraction of the
  complementary error function (modified Lentz, as Numerical Recipes' ``frenel``).
- ``spence``: ``Li2(1 - x)`` by its power series on ``|z| <= 1/2`` after the reflection
  ``Li2(z) = pi^2/6 - ln z ln(1 - z) - Li2(1 - z)`` and the Landen identity
  ``Li2(z) = -Li2(z / (z - 1)) - ln^2(1 - z) / 2``; NaN for ``x < 0``, as TensorFlow.
"""

from __future__ import annotations

import math

import numpy as np

_EULER = 0.5772156649015329
_PI2_6 = math.pi**2 / 6.0
_FRESNEL_HALF = 36974.0


def _flat(x):
    a = np.asarray(x, np.float64)
    return a.reshape(-1), a.shape


def _series(first, ratio, limit: int = 400):
    """``sum_k t_k`` with ``t_0 = first`` and ``t_k = t_(k-1) * ratio(k)``, until the terms
    stop changing the sum."""
    term = first.copy()
    total = first.copy()
    for k in range(1, limit):
        term = term * ratio(k)
        total += term
        if np.all(np.abs(term) <= 1e-17 * np.abs(total)):
            break
    return total


# -- Dawson -------------------------------------------------------------------------------
def dawsn(x):
    """Dawson's integral ``exp(-x^2) int_0^x exp(t^2) dt``; 0 at +-inf."""
    flat, shape = _flat(x)
    a = np.abs(flat)
    out = np.full_like(a, np.nan)
    near = a <= 7.0
    if near.any():
        s = a[near]
        q = s * s
        # x^(2k+1) / (k! (2k+1)): t_k / t_(k-1) = x^2 (2k-1) / (k (2k+1))
        total = _series(s, lambda k: q * (2 * k - 1) / (k * (2 * k + 1)))
        out[near] = np.exp(-q) * total
    far = (a > 7.0) & np.isfinite(a)
    if far.any():
        s = a[far]
        inv = 1.0 / (2.0 * s * s)
        out[far] = _series(np.full_like(s, 1.0), lambda k: (2 * k - 1) * inv, 40) / (2.0 * s)
    out[np.isinf(a)] = 0.0
    return (np.sign(flat) * out).reshape(shape)


# -- exponential integral -----------------------------------------------------------------
def expi(x):
    """The exponential integral ``Ei(x)`` (``-E1(-x)``); NaN for ``x < 0`` and at +inf,
    -inf at 0, as TensorFlow's ``expint``."""
    flat, shape = _flat(x)
    out = np.full_like(flat, np.nan)
    near = (flat > 0) & (flat <= 40.0)
    if near.any():
        s = flat[near]
        # x^k / (k k!): t_k / t_(k-1) = x (k - 1) / k^2
        total = _series(s, lambda k: s * k / ((k + 1) ** 2))
        out[near] = _EULER + np.log(s) + total
    far = (flat > 40.0) & np.isfinite(flat)
    if far.any():
        s = flat[far]
        with np.errstate(over="ignore"):
            out[far] = np.exp(s) / s * _series(np.ones_like(s), lambda k: k / s, 60)
    out[flat == 0] = -np.inf
    return out.reshape(shape)


# -- Fresnel ------------------------------------------------------------------------------
def _fresnel(x):
    """``(S(x), C(x))``, odd in ``x``; +-1/2 at +-inf."""
    flat, shape = _flat(x)
    a = np.abs(flat)
    s_out = np.full_like(a, np.nan)
    c_out = np.full_like(a, np.nan)
    near = a <= 1.5
    if near.any():
        t = a[near]
        h = math.pi / 2.0 * t * t  # (pi/2) x^2
        # C = sum (-1)^k h^(2k) x / ((2k)! (4k+1)), S = sum (-1)^k h^(2k+1) x / ((2k+1)! (4k+3))
        c_sum, s_sum = t.copy(), np.zeros_like(t)
        power = t.copy()  # x h^n / n!
        for n in range(1, 60):
            power = power * h / n
            sign = -1.0 if (n // 2) % 2 else 1.0  # (-1)^k with n = 2k or 2k + 1
            if n % 2 == 0:
                c_sum += sign * power / (2 * n + 1)
            else:
                s_sum += sign * power / (2 * n + 1)
        c_out[near], s_out[near] = c_sum, s_sum
    far = (a > 1.5) & (a <= _FRESNEL_HALF)
    if far.any():
        t = a[far]
        pix2 = math.pi * t * t
        b = 1.0 - 1j * pix2
        cc = np.full(t.shape, 1e300, complex)
        d = 1.0 / b
        h = d.copy()
        n = -1
        for _ in range(2, 500):
            n += 2
            an = -n * (n + 1)
            b = b + 4.0
            d = 1.0 / (an * d + b)
            cc = b + an / cc
            delta = cc * d
            h = h * delta
            if np.all(np.abs(delta.real - 1.0) + np.abs(delta.imag) < 1e-16):
                break
        h = (t - 1j * t) * h
        cs = (0.5 + 0.5j) * (1.0 - (np.cos(0.5 * pix2) + 1j * np.sin(0.5 * pix2)) * h)
        c_out[far], s_out[far] = cs.real, cs.imag
    # past Cephes' 36974 (pi x^2 / 2 has no correct digits of its phase left), +-1/2
    c_out[a > _FRESNEL_HALF] = s_out[a > _FRESNEL_HALF] = 0.5
    sign = np.sign(flat)
    return (sign * s_out).reshape(shape), (sign * c_out).reshape(shape)


def fresnel_s(x):
    """``S(x) = int_0^x sin(pi t^2 / 2) dt``."""
    return _fresnel(x)[0]


def fresnel_c(x):
    """``C(x) = int_0^x cos(pi t^2 / 2) dt``."""
    return _fresnel(x)[1]


# -- Spence -------------------------------------------------------------------------------
def _li2_series(z):
    """``Li2(z) = sum z^k / k^2`` for ``|z| <= 1/2``."""
    total = z.copy()
    power = z.copy()
    for k in range(2, 80):
        power = power * z
        total += power / (k * k)
    return total


def _li2_unit(w, one_minus_w, log_w, log_one_minus_w):
    """``Li2(w)`` for ``0 <= w <= 1``, given ``1 - w`` and both logarithms exactly."""
    out = np.empty_like(w)
    low = w <= 0.5
    out[low] = _li2_series(w[low])
    high = ~low
    with np.errstate(invalid="ignore"):  # ln 0 * ln 1 at w = 1
        product = np.where(one_minus_w[high] == 0, 0.0, log_w[high] * log_one_minus_w[high])
    out[high] = _PI2_6 - product - _li2_series(one_minus_w[high])
    return out


def spence(x):
    """Spence's function ``int_1^x ln t / (1 - t) dt = Li2(1 - x)`` for ``x >= 0``; NaN
    below 0 and at +inf, as TensorFlow."""
    flat, shape = _flat(x)
    out = np.full_like(flat, np.nan)
    inside = (flat >= 0) & (flat <= 1)  # z = 1 - x in [0, 1]
    if inside.any():
        t = flat[inside]
        with np.errstate(divide="ignore"):
            log_t = np.log(t)
            out[inside] = _li2_unit(1.0 - t, t, np.log1p(-t), log_t)
    above = (flat > 1) & np.isfinite(flat)  # z = 1 - x < 0: Landen with w = (x - 1) / x
    if above.any():
        t = flat[above]
        log_t = np.log(t)
        w = (t - 1.0) / t
        out[above] = -_li2_unit(w, 1.0 / t, np.log(w), -log_t) - 0.5 * log_t * log_t
    return out.reshape(shape)


FUNCTIONS = {
    "dawsn": dawsn,
    "expi": expi,
    "fresnel_s": fresnel_s,
    "fresnel_c": fresnel_c,
    "spence": spence,
}
