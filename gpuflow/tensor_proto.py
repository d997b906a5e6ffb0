"""``tf.make_tensor_proto`` and ``tf.make_ndarray``: values as TensorFlow's ``TensorProto``
message (the protobuf class of :mod:`gpuflow.io.protos`) and back.

As TensorFlow: Python values take ``tf.constant``'s default dtypes (float32, int32),
a proto of a fully given shape with more than one number keeps its bytes in
``tensor_content``, other protos list their values in the ``*_val`` field of their dtype,
and a proto that lists fewer values than its shape holds repeats the last one.
"""

from __future__ import annotations

import numpy as np

from . import dtypes
from ._string_arrays import OBJECT
from .tensor import Tensor

# TensorFlow's _TENSOR_CONTENT_TYPES among gpuflow's dtypes (not bool, complex, string)
_CONTENT_TYPES = frozenset(
    ("float16", "bfloat16", "float32", "float64", "int32", "uint8", "int16", "int8", "int64")
)


def _as_array(values, dtype, op: str) -> np.ndarray:
    from .ops.creation import constant

    if isinstance(values, (Tensor, np.ndarray, np.generic)):  # arrays are cast, as in TF
        if isinstance(values, Tensor):
            array = values._data if values._data.dtype is OBJECT else np.asarray(values.numpy())
        else:
            array = np.asarray(values)
            if array.dtype.kind in "SU":
                array = constant(array)._data
        if dtype is not None and dtype != (dtypes.string if array.dtype is OBJECT else array.dtype):
            if dtype == dtypes.string or array.dtype is OBJECT:
                raise TypeError(
                    f"{op}: `dtype` {dtype.name} is not compatible with values of dtype "
                    f"{'string' if array.dtype is OBJECT else array.dtype.name}"
                )
            array = array.astype(dtype.as_numpy_dtype)
        return array
    if values is None:
        raise ValueError(f"{op}: None values not supported.")
    try:
        tensor = constant(values, dtype=dtype)
    except (TypeError, ValueError) as exc:
        raise type(exc)(f"{op}: cannot convert {values!r} to a tensor ({exc})") from None
    return tensor._data if tensor._data.dtype is OBJECT else np.asarray(tensor.numpy())


def _write_values(proto, array: np.ndarray, name: str) -> None:
    """``array``'s values in the ``*_val`` field TensorFlow keeps for dtype ``name``."""
    from .io import tensor_codec

    flat = array.reshape(-1)
    field = getattr(proto, tensor_codec._PROTO_TYPES[name][1])
    if name == "string":
        field.extend(flat.tolist())
    elif name in ("float16", "bfloat16"):
        field.extend(flat.view(np.uint16).astype(np.int64).tolist())
    elif name.startswith("complex"):
        pairs = np.stack([flat.real, flat.imag], axis=-1).reshape(-1)
        field.extend(pairs.tolist())
    else:
        field.extend(flat.tolist())


def make_tensor_proto(values, dtype=None, shape=None, verify_shape=False, allow_broadcast=False):
    """A ``TensorProto`` holding ``values`` (a Python value, NumPy array or tensor).

    Args:
        dtype: the element type (default: the one ``tf.constant`` gives ``values``).
        shape: the proto's shape (default the values' own); fewer values than the shape
            holds are stored as they are and the last repeats when read.
        verify_shape: TypeError unless ``values`` already has ``shape``.
        allow_broadcast: a single value may fill any ``shape``.

    Raises:
        ValueError: more values than ``shape`` holds, or both flags set.
        TypeError: values that do not convert to ``dtype``.
    """
    from .io import tensor_codec

    op = "make_tensor_proto"
    if allow_broadcast and verify_shape:
        raise ValueError(f"{op}: allow_broadcast and verify_shape are not both allowed.")
    proto_class = tensor_codec._tensor_proto()
    if isinstance(values, proto_class):
        return values
    target = None if dtype is None else dtypes.as_dtype(dtype, op)
    array = _as_array(values, target, op)
    name = "string" if array.dtype is OBJECT else array.dtype.name
    if name not in tensor_codec._PROTO_TYPES:
        raise TypeError(f"{op}: dtype {name} has no TensorProto encoding")
    if shape is None:
        shape = list(array.shape)
    else:
        try:
            shape = [int(d) for d in shape]
        except (TypeError, ValueError):
            raise TypeError(f"{op}: shape must be a list of integers, received {shape!r}") from None
        size = int(np.prod(shape, dtype=np.int64))
        if allow_broadcast:
            if array.shape not in ((1,), ()) and array.size != size:
                raise TypeError(
                    f"{op}: Expected Tensor's shape: {tuple(shape)}, but got {array.shape}."
                )
        else:
            if verify_shape and array.shape != tuple(shape):
                raise TypeError(
                    f"{op}: Expected Tensor's shape: {tuple(shape)}, but got {array.shape}."
                )
            if array.size > size:
                raise ValueError(
                    f"{op}: Too many elements provided. Takes at most {size}, but got {array.size}."
                )
    size = int(np.prod(shape, dtype=np.int64))
    proto = proto_class(dtype=tensor_codec._PROTO_TYPES[name][0])
    proto.tensor_shape.SetInParent()
    for d in shape:
        proto.tensor_shape.dim.add(size=d)
    if array.size == size and name in _CONTENT_TYPES and size > 1:
        proto.tensor_content = np.asarray(array, dtype=array.dtype.newbyteorder("<")).tobytes()
    else:
        _write_values(proto, array, name)
    return proto


def make_ndarray(tensor) -> np.ndarray:
    """The NumPy array a ``TensorProto`` holds (strings: an object array of bytes)."""
    from .io import tensor_codec

    op = "make_ndarray"
    if not isinstance(tensor, tensor_codec._tensor_proto()):
        raise TypeError(f"{op}: expected a TensorProto, received {type(tensor).__name__}")
    return tensor_codec.tensor_proto_to_array(tensor, op)
