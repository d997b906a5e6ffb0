"""``gpuflow.bitwise``: TensorFlow's ``tf.bitwise`` namespace."""

from .ops.bitwise import (  # noqa: F401
    bitwise_and,
    bitwise_or,
    bitwise_xor,
    invert,
    left_shift,
    right_shift,
)

__all__ = ["bitwise_and", "bitwise_or", "bitwise_xor", "invert", "left_shift", "right_shift"]
