"""Tensors as bytes: ``tf.io.serialize_tensor`` / ``parse_tensor`` (TensorFlow's
``TensorProto`` wire format, byte for byte) and ``tf.io.decode_raw``."""

from __future__ import annotations

import numpy as np

from .. import dtypes
from .._string_arrays import OBJECT, bytes_array
from ..backend import current_device, get_device
from ..errors import InvalidArgumentError
from ..ops._common import as_tensor
from ..tensor import Tensor
from ._proto_types import DATA_TYPES
from .files import as_bytes

#: gpuflow dtype name -> (TensorProto enum value, the ``*_val`` field TensorFlow reads when
#: a proto has no ``tensor_content``).
_PROTO_TYPES = {
    "float32": (DATA_TYPES["DT_FLOAT"], "float_val"),
    "float64": (DATA_TYPES["DT_DOUBLE"], "double_val"),
    "int32": (DATA_TYPES["DT_INT32"], "int_val"),
    "uint8": (DATA_TYPES["DT_UINT8"], "int_val"),
    "int16": (DATA_TYPES["DT_INT16"], "int_val"),
    "int8": (DATA_TYPES["DT_INT8"], "int_val"),
    "string": (DATA_TYPES["DT_STRING"], "string_val"),
    "complex64": (DATA_TYPES["DT_COMPLEX64"], "scomplex_val"),
    "int64": (DATA_TYPES["DT_INT64"], "int64_val"),
    "bool": (DATA_TYPES["DT_BOOL"], "bool_val"),
    "complex128": (DATA_TYPES["DT_COMPLEX128"], "dcomplex_val"),
    "float16": (DATA_TYPES["DT_HALF"], "half_val"),
    "bfloat16": (DATA_TYPES["DT_BFLOAT16"], "half_val"),  # half_val: the 16-bit patterns
}
_BY_ENUM = {number: name for name, (number, _) in _PROTO_TYPES.items()}
_ENUM_NAMES = {number: name for name, number in DATA_TYPES.items()}


def _invalid(op: str, message: str) -> InvalidArgumentError:
    return InvalidArgumentError(None, op, f"{op}: {message}")


def _host_tensor(array: np.ndarray) -> Tensor:
    if array.dtype is OBJECT:
        return Tensor._wrap(array, get_device("cpu"))
    device = current_device()
    return Tensor._wrap(device.asarray(np.asarray(array, order="C")), device)


def _as_tensor(value, op: str) -> Tensor:
    if isinstance(value, Tensor):
        return value
    if hasattr(value, "_is_composite_tensor"):
        raise TypeError(f"{op}: expected a dense tensor, received {type(value).__name__}")
    try:
        return as_tensor(value)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{op}: expected a tensor, received {type(value).__name__} ({exc})")


def _tensor_proto():
    """The TensorProto class (protobuf is imported on first use, not with gpuflow.io)."""
    from .protos import TensorProto

    return TensorProto


def make_tensor_proto_message(array: np.ndarray):
    """The TensorProto of ``array`` as TensorFlow's ``serialize_tensor`` writes it."""
    name = "string" if array.dtype is OBJECT else array.dtype.name
    if name not in _PROTO_TYPES:
        raise TypeError(f"serialize_tensor: dtype {name} has no TensorProto encoding in gpuflow")
    proto = _tensor_proto()(dtype=_PROTO_TYPES[name][0])
    proto.tensor_shape.SetInParent()
    for size in array.shape:
        proto.tensor_shape.dim.add(size=int(size))
    if name == "string":
        proto.string_val.extend(array.reshape(-1).tolist())
    elif array.size:
        proto.tensor_content = np.asarray(array, dtype=array.dtype.newbyteorder("<")).tobytes()
    return proto


def _serialize(tensor, name=None) -> Tensor:
    op = "serialize_tensor"
    x = _as_tensor(tensor, op)
    array = x._data if x._data.dtype is OBJECT else np.asarray(x.numpy())
    out = np.empty((), OBJECT)
    out[()] = make_tensor_proto_message(array).SerializeToString()
    return _host_tensor(out)


def tensor_proto_to_array(proto, op: str = "parse_tensor") -> np.ndarray:
    """The NumPy array (strings: an object array of bytes) a TensorProto holds."""
    name = _BY_ENUM.get(proto.dtype)
    if name is None:
        kind = _ENUM_NAMES.get(proto.dtype, str(proto.dtype))
        raise _invalid(op, f"the tensor's dtype {kind} is not supported by gpuflow")
    if proto.tensor_shape.unknown_rank:
        raise _invalid(op, "the tensor's shape has unknown rank")
    shape = tuple(int(d.size) for d in proto.tensor_shape.dim)
    if any(s < 0 for s in shape):
        raise _invalid(op, f"the tensor's shape {list(shape)} has unknown dimensions")
    count = int(np.prod(shape, dtype=np.int64))
    if name == "string":
        values = list(proto.string_val)
        out = np.empty(count, OBJECT)
        if count:
            if not values:
                values = [b""]
            out[:] = values[:count] + [values[-1]] * (count - len(values))
        return out.reshape(shape)
    dtype = np.dtype(name)
    if proto.tensor_content:
        content = proto.tensor_content
        if len(content) != count * dtype.itemsize:
            raise _invalid(
                op,
                f"tensor_content has {len(content)} bytes; shape {list(shape)} of {name} "
                f"needs {count * dtype.itemsize}",
            )
        return np.frombuffer(content, dtype=dtype.newbyteorder("<")).astype(dtype).reshape(shape)
    field = _PROTO_TYPES[name][1]
    values = np.asarray(list(getattr(proto, field)))
    if name in ("float16", "bfloat16"):
        values = values.astype(np.uint16).view(dtype)
    elif name.startswith("complex"):
        values = values.astype(np.float64).reshape(-1, 2) if values.size else values
        values = values[:, 0] + 1j * values[:, 1] if values.size else values
    if count and values.size > count:
        raise _invalid(
            op, f"the tensor holds {values.size} values; shape {list(shape)} needs {count}"
        )
    out = np.zeros(count, dtype=dtype)
    if values.size:
        out[: values.size] = values
        out[values.size :] = values[-1]  # TensorFlow repeats the last value
    return out.reshape(shape)


def _parse(serialized, out_type, name=None) -> Tensor:
    op = "parse_tensor"
    target = dtypes.as_dtype(out_type, op)
    data = _scalar_bytes(serialized, op, "serialized")
    try:
        proto = _tensor_proto().FromString(data)
    except Exception:  # noqa: BLE001 (protobuf's DecodeError)
        raise _invalid(op, f"Could not parse `serialized` as TensorProto: {data[:40]!r}") from None
    parsed = _BY_ENUM.get(proto.dtype, _ENUM_NAMES.get(proto.dtype, str(proto.dtype)))
    if parsed != target.name:
        raise _invalid(
            op,
            f"Type mismatch between parsed tensor ({_tf_name(parsed)}) and dtype "
            f"({_tf_name(target.name)})",
        )
    return _host_tensor(tensor_proto_to_array(proto, op))


def _tf_name(name: str) -> str:
    return {"float32": "float", "float64": "double", "float16": "half"}.get(name, name)


def _scalar_bytes(value, op: str, what: str) -> bytes:
    if isinstance(value, Tensor) and value._data.dtype is OBJECT and value.ndim != 0:
        raise _invalid(op, f"{what} must be a scalar string, received shape {list(value.shape)}")
    return as_bytes(value, op, what)


_RAW_TYPES = (
    "float16",
    "float32",
    "float64",
    "int8",
    "uint8",
    "int16",
    "uint16",
    "int32",
    "uint32",
    "int64",
    "uint64",
    "bool",
    "complex64",
    "complex128",
)


def _decode_raw(input_bytes, out_type, little_endian=True, fixed_length=None, name=None):
    op = "decode_raw"
    target = dtypes.as_dtype(out_type, op)
    if target.name not in _RAW_TYPES:
        raise TypeError(
            f"{op}: out_type must be one of {', '.join(_RAW_TYPES)}, received {target.name}"
        )
    if isinstance(input_bytes, Tensor):
        if input_bytes._data.dtype is not OBJECT:
            raise _invalid(
                op, f"input_bytes must be a string tensor, received {input_bytes.dtype.name}"
            )
        records = input_bytes._data
    elif isinstance(input_bytes, (bytes, np.bytes_)):
        records = np.empty((), OBJECT)
        records[()] = bytes(input_bytes)
    else:
        records = bytes_array(input_bytes, op)
    dtype = np.dtype(target.name).newbyteorder("<" if little_endian else ">")
    size = dtype.itemsize
    flat = records.reshape(-1).tolist()
    if fixed_length is not None:
        length = int(fixed_length.numpy() if hasattr(fixed_length, "numpy") else fixed_length)
        if length < 0 or length % size:
            raise _invalid(
                op,
                f"fixed_length {length} must be a non-negative multiple of {size}, the size "
                f"of {target.name}",
            )
        flat = [b[:length].ljust(length, b"\0") for b in flat]
    elif flat:
        first = len(flat[0])
        for i, b in enumerate(flat):
            if len(b) != first:
                raise _invalid(
                    op,
                    f"DecodeRaw requires input strings to all be the same size, but element "
                    f"{i} has size {first} != {len(b)}",
                )
        if first % size:
            raise _invalid(
                op,
                f"Input to DecodeRaw has length {first} that is not a multiple of {size}, the "
                f"size of {target.name}",
            )
    width = (len(flat[0]) if flat else (int(fixed_length or 0))) // size
    buffer = b"".join(flat)
    values = np.frombuffer(buffer, dtype=dtype).astype(np.dtype(target.name))
    return _host_tensor(values.reshape(records.shape + (width,)))


def _traceable(fn, name: str):
    from ..strings._graph import traceable

    wrapped = traceable(fn, name)
    wrapped.__name__ = wrapped.__qualname__ = name
    return wrapped


serialize_tensor = _traceable(_serialize, "serialize_tensor")
serialize_tensor.__doc__ = """A tensor as a scalar string: its ``TensorProto``, serialized
(the same bytes as TensorFlow's ``tf.io.serialize_tensor``)."""
parse_tensor = _traceable(_parse, "parse_tensor")
parse_tensor.__doc__ = """The tensor in a serialized ``TensorProto`` (a scalar string), whose
dtype must be ``out_type``.

Raises:
    InvalidArgumentError: for bytes that are not a TensorProto, or another dtype.
"""
decode_raw = _traceable(_decode_raw, "decode_raw")
decode_raw.__doc__ = """Each string's bytes as a vector of ``out_type`` (shape
``input_bytes.shape + [n]``): all strings must be of one length, a multiple of the type's
size, unless ``fixed_length`` pads (with zero bytes) or cuts each to that many bytes."""
