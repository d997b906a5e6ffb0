"""The rest of ``tf.math.special``: Bessel ``j0, j1, y0, y1, k0, k0e, k1, k1e``,
``dawsn``, ``expint``, ``fresnel_cos``, ``fresnel_sin`` and ``spence``.

Values from ``device.special`` (``backend/special_bessel.py``,
``backend/special_integrals.py``: float64 NumPy, returned in the input's dtype). Each is
differentiable with TensorFlow's gradient (``math_grad.py``), written in these same ops
so that second derivatives work.
"""

from __future__ import annotations

import math

from ..tensor import Tensor
from .special import _float_input, _Special


def _zero_safe(F, x):
    """``(mask of x == 0, x with zeros replaced by 1)`` for quotients by ``x``."""
    at_zero = F.sign(x) == 0
    return at_zero, F.where(at_zero, x * 0 + 1, x)


class BesselJ0(_Special):
    fn_name = "j0"

    def derivative(self, F, x, y):
        return -F.apply(BesselJ1(), x)


class BesselJ1(_Special):
    fn_name = "j1"

    def derivative(self, F, x, y):
        at_zero, safe = _zero_safe(F, x)
        return F.where(at_zero, x * 0 + 0.5, F.apply(BesselJ0(), x) - y * F.reciprocal(safe))


class BesselY0(_Special):
    fn_name = "y0"

    def derivative(self, F, x, y):
        return -F.apply(BesselY1(), x)


class BesselY1(_Special):
    fn_name = "y1"

    def derivative(self, F, x, y):
        return F.apply(BesselY0(), x) - y * F.reciprocal(x)


class BesselK0(_Special):
    fn_name = "k0"

    def derivative(self, F, x, y):
        return -F.apply(BesselK1(), x)


class BesselK0e(_Special):
    fn_name = "k0e"

    def derivative(self, F, x, y):
        return y - F.apply(BesselK1e(), x)


class BesselK1(_Special):
    fn_name = "k1"

    def derivative(self, F, x, y):
        return -F.apply(BesselK0(), x) - y * F.reciprocal(x)


class BesselK1e(_Special):
    fn_name = "k1e"

    def derivative(self, F, x, y):
        return -F.apply(BesselK0e(), x) - y * F.reciprocal(x) + y


class Dawsn(_Special):
    fn_name = "dawsn"

    def derivative(self, F, x, y):
        return 1 - 2 * x * y


class Expint(_Special):
    fn_name = "expi"

    def derivative(self, F, x, y):
        return F.exp(x) * F.reciprocal(x)


class FresnelCos(_Special):
    fn_name = "fresnel_c"

    def derivative(self, F, x, y):
        return F.cos((math.pi / 2) * (x * x))


class FresnelSin(_Special):
    fn_name = "fresnel_s"

    def derivative(self, F, x, y):
        return F.sin((math.pi / 2) * (x * x))


class Spence(_Special):
    fn_name = "spence"

    def derivative(self, F, x, y):
        # log(x) / (1 - x), -1 at x = 1 (the limit), as TensorFlow
        at_one = F.sign(x - 1) == 0
        one_minus = F.where(at_one, x * 0 + 1, 1 - x)
        safe_x = F.where(at_one, x * 0 + 1, x)
        return F.where(at_one, x * 0 - 1, F.log(safe_x) * F.reciprocal(one_minus))


def _op(cls, name: str, doc: str):
    def op(x, name=None) -> Tensor:
        return cls()(_float_input(op.__name__, x))

    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    return op


bessel_j0 = _op(BesselJ0, "bessel_j0", "``J0(x)``, the Bessel function of the first kind, order 0.")
bessel_j1 = _op(BesselJ1, "bessel_j1", "``J1(x)``, the Bessel function of the first kind, order 1.")
bessel_y0 = _op(
    BesselY0, "bessel_y0", "``Y0(x)``, the Bessel function of the second kind, order 0 (x > 0)."
)
bessel_y1 = _op(
    BesselY1, "bessel_y1", "``Y1(x)``, the Bessel function of the second kind, order 1 (x > 0)."
)
bessel_k0 = _op(
    BesselK0, "bessel_k0", "``K0(x)``, the modified Bessel function of the second kind."
)
bessel_k0e = _op(BesselK0e, "bessel_k0e", "``exp(x) K0(x)``, the scaled ``bessel_k0``.")
bessel_k1 = _op(
    BesselK1, "bessel_k1", "``K1(x)``, the modified Bessel function of the second kind."
)
bessel_k1e = _op(BesselK1e, "bessel_k1e", "``exp(x) K1(x)``, the scaled ``bessel_k1``.")
dawsn = _op(Dawsn, "dawsn", "Dawson's integral ``exp(-x^2) int_0^x exp(t^2) dt``.")
expint = _op(Expint, "expint", "The exponential integral ``Ei(x)`` (NaN for x < 0, as TF).")
fresnel_cos = _op(FresnelCos, "fresnel_cos", "``int_0^x cos(pi t^2 / 2) dt``.")
fresnel_sin = _op(FresnelSin, "fresnel_sin", "``int_0^x sin(pi t^2 / 2) dt``.")
spence = _op(Spence, "spence", "Spence's function ``int_1^x log(t) / (1 - t) dt`` (x >= 0).")
