"""Keras 3's ``pack_int4`` / ``unpack_int4``: two int4 values (in [-8, 7]) per byte along
an axis, the first of each pair in the low nibble, the second in the high nibble; an odd
length is padded with a zero."""

from __future__ import annotations

import numpy as np

from ..ops.creation import convert_to_tensor

_PACKED_DTYPES = ("int8", "uint8")


def _check_dtype(dtype) -> None:
    if dtype not in _PACKED_DTYPES:
        raise ValueError(f"Expected dtype to be 'int8' or 'uint8', but got '{dtype}'.")


def pack_int4(arr, axis=0, dtype="int8"):
    """``(packed, packed_shape, orig_len)``: ``arr`` (an ``int8``/``uint8`` tensor of int4
    values) with pairs along ``axis`` packed into one byte each; ``orig_len`` is the
    unpadded length of ``axis`` (give it to :func:`unpack_int4`)."""
    _check_dtype(dtype)
    arr = convert_to_tensor(arr)
    if arr.dtype.name != dtype:
        raise TypeError(f"Expected {dtype} tensor for packing, got {arr.dtype.name}.")
    values = np.moveaxis(arr.numpy(), axis, 0)  # packing is a one-off on the host, as Keras
    n = values.shape[0]
    if n % 2:
        values = np.concatenate([values, np.zeros((1,) + values.shape[1:], values.dtype)])
    mask = np.array(0x0F, dtype=dtype)
    low, high = np.bitwise_and(values[::2], mask), np.bitwise_and(values[1::2], mask)
    packed = np.bitwise_or(low, np.left_shift(high, np.array(4, dtype=dtype))).astype(dtype)
    packed = np.moveaxis(packed, 0, axis)
    return convert_to_tensor(packed), tuple(packed.shape), n


def unpack_int4(packed, orig_len, axis=0, dtype="int8"):
    """The int4 values :func:`pack_int4` packed along ``axis``, as ``dtype`` (``"int8"``:
    signed, in [-8, 7]; ``"uint8"``: the nibbles as [0, 15]), cut back to ``orig_len``."""
    _check_dtype(dtype)
    packed = convert_to_tensor(packed)
    if packed.dtype.name not in _PACKED_DTYPES:
        raise TypeError(f"Expected int8 or uint8 tensor for unpacking, got {packed.dtype.name}")
    values = np.moveaxis(packed.numpy().view(np.uint8), axis, 0)
    low, high = values & 0x0F, (values >> 4) & 0x0F
    nibbles = np.stack([low, high], axis=1).reshape((-1,) + values.shape[1:])[:orig_len]
    if dtype == "int8":
        nibbles = (nibbles.astype(np.int8) ^ 8) - 8  # [0, 15] -> [-8, 7]
    return convert_to_tensor(np.moveaxis(nibbles.astype(dtype), 0, axis))
