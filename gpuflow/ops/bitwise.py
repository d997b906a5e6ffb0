"""``tf.bitwise``: and, or, xor, invert, left_shift, right_shift on integer tensors (not
differentiable; one host step each when traced)."""

from __future__ import annotations

from .._tracing import host_call
from ..tensor import Tensor
from ._common import as_tensor, broadcast_shape, check_same_device, invalid_argument, pair_operands

_INTEGERS = "int8, int16, int32, int64, uint8, uint16, uint32, uint64"


def _integer(op: str, *tensors: Tensor) -> None:
    for t in tensors:
        if t._data.dtype.kind not in "iu":
            raise invalid_argument(
                op, f"expected integer tensors ({_INTEGERS}), received dtype {t.dtype.name}"
            )


def _binary(xp_name: str, tf_name: str):
    def op(x, y, name=None) -> Tensor:
        if isinstance(x, Tensor) and isinstance(y, Tensor) and x.dtype != y.dtype:
            raise invalid_argument(
                tf_name, f"x and y must have one dtype, received {x.dtype.name} and {y.dtype.name}"
            )
        a, b = pair_operands(x, y, tf_name)
        check_same_device(tf_name, a, b)
        _integer(tf_name, a, b)
        if a._data.shape != b._data.shape:
            broadcast_shape(tf_name, a._data.shape, b._data.shape)
        xp = a._device.xp
        if xp_name in ("left_shift", "right_shift"):
            # TensorFlow clamps the shift to [0, bits - 1] (C++ would be undefined there)
            bits = a._data.dtype.itemsize * 8
            shift = xp.clip(b._data, 0, bits - 1).astype(a._data.dtype)
            out = getattr(xp, xp_name)(a._data, shift)
        else:
            out = getattr(xp, xp_name)(a._data, b._data)
        return Tensor._wrap(out.astype(a._data.dtype, copy=False), a._device)

    op.__name__ = op.__qualname__ = tf_name
    op.__doc__ = f"Elementwise ``{tf_name}`` of two integer tensors of one dtype."
    return host_call(op, effect=False)


bitwise_and = _binary("bitwise_and", "bitwise_and")
bitwise_or = _binary("bitwise_or", "bitwise_or")
bitwise_xor = _binary("bitwise_xor", "bitwise_xor")
left_shift = _binary("left_shift", "left_shift")
right_shift = _binary("right_shift", "right_shift")


@host_call(effect=False)
def invert(x, name=None) -> Tensor:
    """Flips all bits of an integer tensor (``~x``)."""
    t = as_tensor(x)
    _integer("invert", t)
    return Tensor._wrap(t._device.xp.invert(t._data), t._device)
