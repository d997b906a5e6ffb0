"""Complex numbers: ``tf.complex``, ``tf.math.real`` / ``imag`` / ``angle`` / ``conj``.

Gradients follow TensorFlow's convention (the gradient of a complex value is the conjugate
of dL/dz): ``real`` gives ``complex(g, 0)``, ``imag`` ``complex(0, g)``, ``complex`` the
real and imaginary parts of ``g``, ``conj`` ``conj(g)``; first order only. ``angle`` is
forward only (NotImplementedError when a gradient has to pass through it).
"""

from __future__ import annotations

import numpy as np

from .. import dtypes
from ..autodiff.function import Function
from ..tensor import Tensor
from ._common import as_tensor, broadcast_shape, check_same_device, invalid_argument


class ComplexForwardOnly(Function):
    """An op on complex values whose gradient gpuflow does not compute."""

    twice_differentiable = False

    def backward(self, F, g):
        raise NotImplementedError(
            f"{self.op_name()}: gradients through complex values are not supported by gpuflow"
        )


def _unbroadcast(xp, g, shape):
    """``g`` summed down to ``shape`` (the axes broadcasting added or stretched)."""
    extra = g.ndim - len(shape)
    axes = tuple(range(extra)) + tuple(
        i + extra for i, n in enumerate(shape) if n == 1 and g.shape[i + extra] != 1
    )
    return g.sum(axis=axes).reshape(shape) if axes else g


class _Complex(Function):
    complex_grads = True
    twice_differentiable = False

    def forward(self, re, im):
        out = self.xp.empty(np.broadcast_shapes(re.shape, im.shape), dtype=self.out_dtype)
        out.real = re
        out.imag = im
        return out

    def backward(self, g):
        re, im = self._xs
        return _unbroadcast(self.xp, g.real, re.shape), _unbroadcast(self.xp, g.imag, im.shape)


class _Part(Function):
    complex_grads = True
    twice_differentiable = False

    def forward(self, z):
        return getattr(self, "fn")(self.xp, z)

    def backward(self, g):
        return (getattr(self, "grad")(self.xp, g),)


def _with_imag(xp, re, im):
    out = xp.empty(re.shape, dtype=np.result_type(re.dtype, np.complex64))
    out.real, out.imag = re, im
    return out


def _part_op(name: str, fn, grad):
    return type(name, (_Part,), {"fn": staticmethod(fn), "grad": staticmethod(grad)})


_Real = _part_op(  # copy: contiguous, 0-d stays 0-d
    "Real", lambda xp, z: z.real.copy(), lambda xp, g: _with_imag(xp, g, 0)
)
_Imag = _part_op("Imag", lambda xp, z: z.imag.copy(), lambda xp, g: _with_imag(xp, 0 * g, g))
_Conj = _part_op("Conj", lambda xp, z: xp.conj(z), lambda xp, g: xp.conj(g))


class _Angle(ComplexForwardOnly):
    @classmethod
    def op_name(cls) -> str:  # noqa: D102 - errors name the TensorFlow op
        return "Angle"

    def forward(self, z):
        return self.xp.angle(z)


def complex(real, imag, name=None) -> Tensor:  # noqa: A001 - TensorFlow's name
    """``real + 1j * imag`` from two float32 (complex64) or float64 (complex128) tensors."""
    re, im = as_tensor(real), as_tensor(imag)
    check_same_device("complex", re, im)
    if re.dtype != im.dtype or re.dtype not in (dtypes.float32, dtypes.float64):
        raise invalid_argument(
            "complex",
            f"real and imag must both be float32 or both float64, received {re.dtype.name} "
            f"and {im.dtype.name}",
        )
    if re._data.shape != im._data.shape:
        broadcast_shape("complex", re._data.shape, im._data.shape)
    op = _Complex()
    op.out_dtype = np.complex64 if re.dtype == dtypes.float32 else np.complex128
    return op(re, im)


dtypes.LATE_NAMES["complex"] = complex  # tf.dtypes.complex


def real(input, name=None) -> Tensor:  # noqa: A002 - TensorFlow's name
    """The real part of a complex tensor; a real tensor itself."""
    x = as_tensor(input)
    return _Real()(x) if x.dtype.is_complex else x


def imag(input, name=None) -> Tensor:  # noqa: A002
    """The imaginary part of a complex tensor; zeros for a real tensor."""
    from .creation import zeros_like

    x = as_tensor(input)
    return _Imag()(x) if x.dtype.is_complex else zeros_like(x)


def angle(input, name=None) -> Tensor:  # noqa: A002
    """The argument of each complex element, in (-pi, pi]; for a real tensor pi where it is
    negative, else 0 (as TensorFlow)."""
    from .select import where

    x = as_tensor(input)
    if x.dtype.is_complex:
        return _Angle()(x)
    from .creation import ones_like, zeros_like

    return where(x < 0, ones_like(x) * np.pi, zeros_like(x))


def conj(x, name=None) -> Tensor:
    """The complex conjugate; a real tensor itself."""
    t = as_tensor(x)
    return _Conj()(t) if t.dtype.is_complex else t
