"""Bessel functions of the first and second kind on NumPy arrays, in float64 (no SciPy):
``j0``, ``j1``, ``y0``, ``y1`` and the modified ``k0``, ``k1`` with their exponentially
scaled ``k0e``, ``k1e`` (the names of ``cupyx.scipy.special``, which CUDA devices use).

- ``J0, J1`` and ``Y0, Y1`` for ``x <= 25``: Miller's backward recurrence for ``J_n``
  (normalized by ``J0 + 2 J2 + 2 J4 + ... = 1``) and Neumann's series
  ``Y0 = 2/pi (ln(x/2) + gamma) J0 - 4/pi sum (-1)^k J_2k / k`` and its derivative
  (``Y1 = -Y0'``); beyond, Hankel's asymptotic expansion (its error there is below
  float64's resolution).
- ``K0, K1``: the power series (Abramowitz and Stegun 9.6.13 / 9.6.11) for ``x <= 2``,
  Temme's continued fraction (Steed's algorithm, as Numerical Recipes' ``bessik``) beyond.

Below ``1e-5`` the first terms of the power series. Edge values as TensorFlow (Eigen):
``J0`` even, ``J1`` odd, both NaN at +-inf; ``Y0, Y1`` -inf for ``x <= 0``, NaN at +inf;
``K`` +inf for ``x <= 0``, 0 at +inf.
"""

from __future__ import annotations

import math

import numpy as np

_EULER = 0.5772156649015329
_HANKEL_FROM = 25.0
_SERIES_K_TO = 2.0
_BIG = 1e250
_TINY = 1e-5


def _flat(x):
    a = np.asarray(x, np.float64)
    return a.reshape(-1), a.shape


def _miller(x):
    """For ``0 < x <= 25``: ``(J0, J1, sum_k>=1 (-1)^k J_2k / k, sum_k>=1 (-1)^k
    (J_2k-1 - J_2k+1) / (2k))`` by backward recurrence from an even order far above x."""
    top = int(2 * ((int(x.max()) + 40 + int(math.sqrt(40.0 * x.max()))) // 2))
    nxt = np.zeros_like(x)  # J_{k+1}, unnormalized
    cur = np.full_like(x, 1e-300)  # J_k
    norm = np.zeros_like(x)  # J0 + 2 * sum J_2k
    y_sum = np.zeros_like(x)
    dy_sum = np.zeros_like(x)
    j_above = np.zeros_like(x)  # J_{2k+1} seen while walking down (for dy_sum)
    j0 = j1 = None
    for k in range(top, 0, -1):
        # cur is J_k, nxt is J_{k+1}
        if k % 2 == 0:
            m = k // 2
            sign = -1.0 if m % 2 else 1.0
            norm += 2.0 * cur
            y_sum += sign * cur / m
            j_above_even = nxt  # J_{2m+1}
            j_above = j_above_even
        else:
            # k = 2m - 1: J_{2m-1} known now, J_{2m+1} saved above
            m = (k + 1) // 2
            sign = -1.0 if m % 2 else 1.0
            dy_sum += sign * (cur - j_above) / (2.0 * m)
        prev = (2.0 * k / x) * cur - nxt  # J_{k-1}
        nxt, cur = cur, prev
        big = np.abs(cur) > _BIG
        if big.any():
            scale = np.where(big, 1.0 / _BIG, 1.0)
            for arr in (nxt, cur, norm, y_sum, dy_sum, j_above):
                arr *= scale
    j0, j1 = cur, nxt
    norm = norm + j0
    return j0 / norm, j1 / norm, y_sum / norm, dy_sum / norm


def _hankel(x, order: int):
    """``(J_order, Y_order)`` by Hankel's asymptotic expansion (large ``x``)."""
    mu = 4.0 * order * order
    inv8x = 1.0 / (8.0 * x)
    p = np.ones_like(x)
    q = np.zeros_like(x)
    term = np.ones_like(x)
    for k in range(1, 60):
        term = term * (mu - (2 * k - 1) ** 2) * inv8x / k
        if k % 2:
            q += term if (k // 2) % 2 == 0 else -term
        else:
            p += -term if (k // 2) % 2 else term
    c, s = np.cos(x), np.sin(x)
    r = 1.0 / math.sqrt(2.0)
    if order == 0:  # chi = x - pi/4
        cos_chi, sin_chi = (c + s) * r, (s - c) * r
    else:  # chi = x - 3 pi/4
        cos_chi, sin_chi = (s - c) * r, -(s + c) * r
    amp = np.sqrt(2.0 / (math.pi * x))
    return amp * (p * cos_chi - q * sin_chi), amp * (p * sin_chi + q * cos_chi)


def _jy(x):
    """``(J0, J1, Y0, Y1)`` for ``x > 0`` (finite)."""
    j0, j1, y0, y1 = (np.empty_like(x) for _ in range(4))
    tiny = x < _TINY
    if tiny.any():  # the series' first terms (the recurrence would overflow)
        s = x[tiny]
        q = s * s / 4.0
        log_term = np.log(s / 2.0) + _EULER
        j0[tiny], j1[tiny] = 1.0 - q, (s / 2.0) * (1.0 - q / 2.0)
        y0[tiny] = (2.0 / math.pi) * (log_term * (1.0 - q) + q)
        y1[tiny] = -2.0 / (math.pi * s) + (s / math.pi) * (log_term - 0.5)
    near = (x <= _HANKEL_FROM) & ~tiny
    if near.any():
        s = x[near]
        a0, a1, ysum, dysum = _miller(s)
        log_term = np.log(s / 2.0) + _EULER
        j0[near], j1[near] = a0, a1
        y0[near] = (2.0 / math.pi) * log_term * a0 - (4.0 / math.pi) * ysum
        y1[near] = (2.0 / math.pi) * (log_term * a1 - a0 / s) + (4.0 / math.pi) * dysum
    far = x > _HANKEL_FROM
    if far.any():
        j0[far], y0[far] = _hankel(x[far], 0)
        j1[far], y1[far] = _hankel(x[far], 1)
    return j0, j1, y0, y1


def _first_kind(x, order: int):
    flat, shape = _flat(x)
    a = np.abs(flat)
    out = np.full_like(a, np.nan)
    ok = np.isfinite(a) & (a > 0)
    if ok.any():
        out[ok] = _jy(a[ok])[order]
    out[a == 0] = 1.0 if order == 0 else 0.0
    if order == 1:
        out = np.where(flat < 0, -out, out)
    return out.reshape(shape)


def _second_kind(x, order: int):
    flat, shape = _flat(x)
    out = np.full_like(flat, np.nan)
    ok = np.isfinite(flat) & (flat > 0)
    if ok.any():
        out[ok] = _jy(flat[ok])[2 + order]
    out[flat <= 0] = -np.inf
    return out.reshape(shape)


def j0(x):
    """The Bessel function of the first kind of order 0."""
    return _first_kind(x, 0)


def j1(x):
    """The Bessel function of the first kind of order 1."""
    return _first_kind(x, 1)


def y0(x):
    """The Bessel function of the second kind of order 0 (NaN for x < 0, -inf at 0)."""
    return _second_kind(x, 0)


def y1(x):
    """The Bessel function of the second kind of order 1 (NaN for x < 0, -inf at 0)."""
    return _second_kind(x, 1)


def _k_series(x):
    """``(K0, K1)`` for ``0 < x <= 2``: A&S 9.6.13 and 9.6.11."""
    q = x * x / 4.0
    log_half = np.log(x / 2.0)
    # I0, I1 and the digamma-weighted sums, term by term
    t0 = np.ones_like(x)  # (x^2/4)^k / (k!)^2
    t1 = np.ones_like(x)  # (x^2/4)^k / (k! (k+1)!)
    i0 = t0.copy()
    i1 = t1.copy()
    psi_k1 = -_EULER  # psi(k + 1)
    psi_k2 = 1.0 - _EULER  # psi(k + 2)
    s0 = psi_k1 * t0
    s1 = (psi_k1 + psi_k2) * t1
    for k in range(1, 40):
        t0 = t0 * q / (k * k)
        t1 = t1 * q / (k * (k + 1))
        psi_k1 += 1.0 / k
        psi_k2 += 1.0 / (k + 1)
        i0 += t0
        i1 += t1
        s0 += psi_k1 * t0
        s1 += (psi_k1 + psi_k2) * t1
    k0 = -log_half * i0 + s0
    k1 = 1.0 / x + log_half * (x / 2.0) * i1 - (x / 4.0) * s1
    return k0, k1


def _k_fraction(x):
    """``(K0 e^x, K1 e^x)`` for ``x > 2``: Temme's CF2 by Steed's algorithm (order 0)."""
    b = 2.0 * (1.0 + x)
    d = 1.0 / b
    h = d.copy()
    delh = d.copy()
    q1 = np.zeros_like(x)
    q2 = np.ones_like(x)
    a1 = 0.25
    q = np.full_like(x, a1)
    c = np.full_like(x, a1)
    a = -a1
    s = 1.0 + q * delh
    s_done, h_done = s.copy(), h.copy()
    todo = np.ones(x.shape, bool)
    with np.errstate(all="ignore"):  # elements past convergence may overflow: not read
        for i in range(2, 5000):
            a -= 2 * (i - 1)
            c = -a * c / i
            qnew = (q1 - b * q2) / a
            q1, q2 = q2, qnew
            q = q + c * qnew
            b = b + 2.0
            d = 1.0 / (b + a * d)
            delh = (b * d - 1.0) * delh
            h = h + delh
            dels = q * delh
            s = s + dels
            now = todo & (np.abs(dels) <= 1e-16 * np.abs(s))
            s_done[now], h_done[now] = s[now], h[now]
            todo &= ~now
            if not todo.any():
                break
    s, h = s_done, h_done
    h = a1 * h
    k0e = np.sqrt(math.pi / (2.0 * x)) / s
    return k0e, k0e * (x + 0.5 - h) / x


def _k(x, order: int, scaled: bool):
    flat, shape = _flat(x)
    out = np.full_like(flat, np.nan)
    small = (flat > 0) & (flat <= _SERIES_K_TO)
    if small.any():
        s = flat[small]
        value = _k_series(s)[order]
        out[small] = value * np.exp(s) if scaled else value
    large = (flat > _SERIES_K_TO) & np.isfinite(flat)
    if large.any():
        s = flat[large]
        value = _k_fraction(s)[order]
        out[large] = value if scaled else value * np.exp(-s)
    out[flat <= 0] = np.inf
    out[np.isposinf(flat)] = 0.0
    return out.reshape(shape)


def k0(x):
    """The modified Bessel function of the second kind of order 0."""
    return _k(x, 0, False)


def k1(x):
    """The modified Bessel function of the second kind of order 1."""
    return _k(x, 1, False)


def k0e(x):
    """``exp(x) K0(x)``."""
    return _k(x, 0, True)


def k1e(x):
    """``exp(x) K1(x)``."""
    return _k(x, 1, True)


FUNCTIONS = {"j0": j0, "j1": j1, "y0": y0, "y1": y1, "k0": k0, "k1": k1, "k0e": k0e, "k1e": k1e}
