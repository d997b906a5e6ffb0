"""Special functions of ``tf.math``: lgamma, digamma, erfinv, ndtri, bessel_i0/i0e/i1/i1e,
and polyval. Each is differentiable, its derivative written in these same ops so that
second derivatives work (lgamma -> digamma -> trigamma, the last one first order only).
The values come from ``device.special`` (NumPy/stdlib on the CPU, cupyx on CUDA)."""

from __future__ import annotations

import math

from ..autodiff.function import Function
from ..tensor import Tensor
from ._common import as_tensor, invalid_argument

_SQRT_PI_OVER_2 = math.sqrt(math.pi) / 2
_SQRT_2PI = math.sqrt(2 * math.pi)


class _Special(Function):
    """``device.special(self.fn_name, x)`` with the derivative ``derivative(F, x, y)``."""

    fn_name = ""

    def forward(self, x):
        return self.device.special(self.fn_name, x)

    def backward(self, F, g):
        (x,) = F.inputs(self)
        return (g * self.derivative(F, x, F.output(self)),)


class Trigamma(_Special):
    fn_name = "polygamma1"
    twice_differentiable = False

    def backward(self, F, g):
        raise NotImplementedError("the derivative of trigamma (polygamma(2, x)) is not available")


class Digamma(_Special):
    fn_name = "digamma"

    def derivative(self, F, x, y):
        return F.apply(Trigamma(), x)


class Lgamma(_Special):
    fn_name = "gammaln"

    def derivative(self, F, x, y):
        return F.apply(Digamma(), x)


class Erfinv(_Special):
    fn_name = "erfinv"

    def derivative(self, F, x, y):
        return _SQRT_PI_OVER_2 * F.exp(y * y)


class Ndtri(_Special):
    fn_name = "ndtri"

    def derivative(self, F, x, y):
        return _SQRT_2PI * F.exp(0.5 * (y * y))


class BesselI1e(_Special):
    fn_name = "i1e"

    def derivative(self, F, x, y):
        # d/dx i1e = i0e - i1e * (sign(x) + 1/x); at x = 0 the limit is 1/2
        i0e = F.apply(BesselI0e(), x)
        at_zero = F.sign(x) == 0
        safe_x = F.where(at_zero, x * 0 + 1, x)
        return F.where(at_zero, x * 0 + 0.5, i0e - y * (F.sign(x) + F.reciprocal(safe_x)))


class BesselI0e(_Special):
    fn_name = "i0e"

    def derivative(self, F, x, y):
        return F.apply(BesselI1e(), x) - F.sign(x) * y


def _float_input(op: str, x) -> Tensor:
    t = as_tensor(x)
    if t.dtype.kind != "f":
        raise invalid_argument(
            op,
            f"expected a float tensor (float16, float32, float64), received dtype {t.dtype.name}",
        )
    return t


def lgamma(x, name=None) -> Tensor:
    """``log|Gamma(x)|`` elementwise; +inf at 0, -1, -2, ... (as ``tf.math.lgamma``)."""
    return Lgamma()(_float_input("lgamma", x))


def digamma(x, name=None) -> Tensor:
    """The derivative of ``lgamma``; NaN at 0, -1, -2, ... (as ``tf.math.digamma``)."""
    return Digamma()(_float_input("digamma", x))


def erfinv(x, name=None) -> Tensor:
    """The inverse of ``erf`` on (-1, 1); +-inf at +-1, NaN outside."""
    return Erfinv()(_float_input("erfinv", x))


def ndtri(x, name=None) -> Tensor:
    """The standard normal quantile function; -inf at 0, +inf at 1, NaN outside [0, 1]."""
    return Ndtri()(_float_input("ndtri", x))


def bessel_i0e(x, name=None) -> Tensor:
    """``exp(-|x|) * I0(x)``, the exponentially scaled modified Bessel function of order 0."""
    return BesselI0e()(_float_input("bessel_i0e", x))


def bessel_i1e(x, name=None) -> Tensor:
    """``exp(-|x|) * I1(x)``, the exponentially scaled modified Bessel function of order 1."""
    return BesselI1e()(_float_input("bessel_i1e", x))


def bessel_i0(x, name=None) -> Tensor:
    """``I0(x)``, the modified Bessel function of order 0 (``bessel_i0e(x) * exp(|x|)``)."""
    from .unary import abs as abs_
    from .unary import exp

    t = _float_input("bessel_i0", x)
    return BesselI0e()(t) * exp(abs_(t))


def bessel_i1(x, name=None) -> Tensor:
    """``I1(x)``, the modified Bessel function of order 1 (``bessel_i1e(x) * exp(|x|)``)."""
    from .unary import abs as abs_
    from .unary import exp

    t = _float_input("bessel_i1", x)
    return BesselI1e()(t) * exp(abs_(t))


def polyval(coeffs, x, name=None) -> Tensor:
    """``coeffs[0] * x**(n-1) + ... + coeffs[n-1]`` by Horner's rule (as ``tf.math.polyval``).

    Args:
        coeffs: a list of tensors (or numbers), highest degree first; each broadcasts with x.
        x: a tensor.

    Returns:
        A tensor of x's dtype; zeros like x when ``coeffs`` is empty.
    """
    from .creation import zeros_like

    if not isinstance(coeffs, (list, tuple)):
        raise ValueError(
            f"polyval: coeffs must be a list of tensors, received {type(coeffs).__name__}"
        )
    x = as_tensor(x)
    if not coeffs:
        return zeros_like(x)
    total = coeffs[0] if isinstance(coeffs[0], Tensor) else as_tensor(coeffs[0], dtype=x.dtype)
    for c in coeffs[1:]:
        total = c + total * x
    return total


def lbeta(x, name=None) -> Tensor:
    """``log|B(x)|`` of the last axis: ``sum(lgamma(x)) - lgamma(sum(x))`` (as
    ``tf.math.lbeta``; differentiable)."""
    from .reduce import reduce_sum

    t = _float_input("lbeta", x)
    if t.ndim == 0:
        raise invalid_argument("lbeta", "x must have rank >= 1, received a scalar")
    return reduce_sum(lgamma(t), axis=-1) - lgamma(reduce_sum(t, axis=-1))
