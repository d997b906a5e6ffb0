"""Creating tensors: constant, zeros, ones, fill, range, linspace, eye, from_dlpack."""
from __future__ import annotations

import numpy as np

from .. import dtypes
from ..backend import get_device
from ..tensor import Tensor, Variable
from ._common import as_tensor
from ..errors import invalid_argument


def _dtype(dtype, default=None):
    if dtype is None:
        return default if default is not None else dtypes.floatx()
    return dtypes.as_dtype(dtype)


def _shape(shape, op):
    if isinstance(shape, Tensor):
        shape = shape.numpy().tolist()
    shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
    if any(int(n) < 0 for n in shape):
        raise invalid_argument(op, f"dimensions must be >= 0, received shape {shape}")
    return tuple(int(n) for n in shape)


def constant(value, dtype=None, shape=None, name=None, device=None) -> Tensor:
    """A tensor holding ``value`` (array-like, scalar, NumPy or CuPy array, Tensor).

    Python floats become the default float type; NumPy arrays keep their dtype.
    """
    if isinstance(value, Variable):  # a tensor of the current value, not the variable itself
        value = value.read_value()
    if isinstance(value, Tensor):
        value = value.to(device) if device is not None else value
        t = value if dtype is None else as_tensor(value._data.astype(dtypes.as_dtype(dtype)), value._device)
    else:
        t = Tensor(value, device=device, dtype=dtype)
    if shape is not None:
        shape = _shape(shape, "constant")
        if t.size == 1:
            t = Tensor._wrap(t._device.xp.broadcast_to(t._data.reshape(()), shape).copy(), t._device)
        elif tuple(t.shape) != shape:
            raise invalid_argument(
                "constant", f"value of shape {tuple(t.shape)} does not fit shape {shape}")
    t._name = name
    return t


convert_to_tensor = constant


def zeros(shape, dtype=None, device=None) -> Tensor:
    dev = get_device(device)
    return Tensor._wrap(dev.xp.zeros(_shape(shape, "zeros"), dtype=_dtype(dtype)), dev)


def ones(shape, dtype=None, device=None) -> Tensor:
    dev = get_device(device)
    return Tensor._wrap(dev.xp.ones(_shape(shape, "ones"), dtype=_dtype(dtype)), dev)


def fill(dims, value, dtype=None, device=None) -> Tensor:
    dev = get_device(device)
    dt = _dtype(dtype, dtypes.scalar_dtype(value, None) if not isinstance(value, Tensor) else value.dtype)
    value = value.item() if isinstance(value, Tensor) else value
    return Tensor._wrap(dev.xp.full(_shape(dims, "fill"), value, dtype=dt), dev)


def zeros_like(input, dtype=None) -> Tensor:  # noqa: A002 - TensorFlow's name
    x = as_tensor(input)
    return Tensor._wrap(x._device.xp.zeros(x._data.shape, dtype=_dtype(dtype, x.dtype)), x._device)


def ones_like(input, dtype=None) -> Tensor:  # noqa: A002
    x = as_tensor(input)
    return Tensor._wrap(x._device.xp.ones(x._data.shape, dtype=_dtype(dtype, x.dtype)), x._device)


def range(start, limit=None, delta=1, dtype=None, device=None) -> Tensor:  # noqa: A001
    """``[start, limit)`` in steps of ``delta`` (``range(n)`` counts from 0), as ``tf.range``."""
    if limit is None:
        start, limit = 0, start
    default = dtypes.int32 if all(isinstance(v, (int, np.integer)) for v in (start, limit, delta)) \
        else dtypes.floatx()
    dev = get_device(device)
    return Tensor._wrap(dev.xp.arange(start, limit, delta, dtype=_dtype(dtype, default)), dev)


def linspace(start, stop, num, dtype=None, device=None) -> Tensor:
    dev = get_device(device)
    return Tensor._wrap(dev.xp.linspace(start, stop, int(num), dtype=_dtype(dtype)), dev)


def eye(num_rows, num_columns=None, dtype=None, device=None) -> Tensor:
    dev = get_device(device)
    return Tensor._wrap(dev.xp.eye(int(num_rows), None if num_columns is None else int(num_columns),
                                   dtype=_dtype(dtype)), dev)


def from_dlpack(obj) -> Tensor:
    """A tensor sharing memory with ``obj`` (a NumPy/CuPy array, torch tensor, ... with ``__dlpack__``)."""
    kind, index = obj.__dlpack_device__()
    if int(kind) == 1:  # kDLCPU
        return Tensor._wrap(np.from_dlpack(obj), get_device("cpu"))
    dev = get_device(f"cuda:{index}")
    return Tensor._wrap(dev.xp.from_dlpack(obj), dev)


def variable(initial_value, trainable=True, name=None, dtype=None, device=None) -> Variable:
    return Variable(initial_value, trainable=trainable, name=name, dtype=dtype, device=device)
