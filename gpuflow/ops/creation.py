"""Creating tensors: constant, convert_to_tensor, zeros, ones, fill, range, linspace, eye,
zeros_like, ones_like, from_dlpack."""

from __future__ import annotations

import math

import numpy as np

from .. import dtypes
from .._string_arrays import empty_strings
from .._tracing import NotSupportedInGraphError, host_call, tracing
from ..autodiff.function import Function
from ..backend import get_device
from ..tensor import Tensor, Variable
from ._common import as_int, as_shape, as_tensor, invalid_argument, invalid_type
from ._conversions import registry
from .cast import cast


def _dtype(dtype, default=None, op="dtype", strings=False):
    if dtype is None:
        dt = default if default is not None else dtypes.floatx()
    else:
        dt = dtypes.as_dtype(dtype, op)
    if dt == dtypes.string and not strings:
        raise invalid_type(op, "dtype string is not supported here (strings have no 1 or range)")
    return dt


def constant(value, dtype=None, shape=None, name=None, device=None) -> Tensor:
    """A tensor holding ``value`` (array-like, scalar, NumPy or CuPy array, Tensor).

    Python floats become the default float type and Python ints int32; NumPy arrays keep
    their dtype. With ``shape``, a scalar (or one-element) value is broadcast to it and a
    value with as many elements is reshaped to it (``tf.constant([1, 2, 3, 4], shape=[2,
    2])``), as in TensorFlow.
    """
    if isinstance(value, Variable):  # a tensor of the current value, not the variable itself
        value = value.read_value()
    if isinstance(value, Tensor):
        value = value.to(device) if device is not None else value
        if dtype is not None and value.dtype != dtypes.as_dtype(dtype, "constant"):
            if dtypes.string in (value.dtype, dtypes.as_dtype(dtype)):
                raise invalid_type(
                    "constant", f"cannot convert a {value.dtype.name} tensor to dtype {dtype}"
                )
            t = Tensor._wrap(value._data.astype(dtypes.as_dtype(dtype)), value._device)
        else:
            t = value
    else:
        t = Tensor(value, device=device, dtype=dtype)
    if shape is not None:
        shape = as_shape("constant", shape)
        if t.size == 1:
            t = Tensor._wrap(
                t._device.xp.broadcast_to(t._data.reshape(()), shape).copy(), t._device
            )
        elif t.size == math.prod(shape):  # as TensorFlow: the values reshaped
            t = Tensor._wrap(t._data.reshape(shape), t._device)
        else:
            raise invalid_argument(
                "constant",
                f"value of shape {tuple(t.shape)} ({t.size} elements) does not fit shape "
                f"{shape}: expected one element (broadcast) or {math.prod(shape)}",
            )
    if name is not None and t is not value:
        t._name = name
    return t


class ConversionDtypeError(ValueError, TypeError):
    """``convert_to_tensor`` of a tensor to another dtype: TensorFlow's ValueError."""


def convert_to_tensor(value, dtype=None, dtype_hint=None, name=None) -> Tensor:
    """``value`` as a Tensor: Tensors pass through, a Variable gives a differentiable read
    of its current value, anything else becomes a constant.

    Raises:
        ValueError: when a Tensor's dtype differs from ``dtype`` (no silent cast, as TF);
            the error is a TypeError too.
    """
    dense = getattr(type(value), "_gpuflow_dense", None)  # IndexedSlices: its dense tensor
    if dense is not None:
        value = dense(value)
    if isinstance(value, Tensor):
        if dtype is not None and value.dtype != dtypes.as_dtype(dtype, "convert_to_tensor"):
            # TensorFlow raises ValueError here; a TypeError too, as gpuflow's dtype errors
            raise ConversionDtypeError(
                f"convert_to_tensor: requested dtype {dtypes.as_dtype(dtype).name} for a "
                f"tensor of dtype {value.dtype.name} (cast it first with tf.cast)"
            )
        if isinstance(value, Variable):
            from .shape import identity

            return identity(value)
        return value
    if registry.entries:  # tf.register_tensor_conversion_function
        converted = registry.convert(value, dtype, name)
        if converted is not None:
            return convert_to_tensor(converted, dtype=dtype)
    if dtype is None and dtype_hint is not None:
        try:
            return constant(value, dtype=dtype_hint)
        except (TypeError, ValueError):
            pass
    return constant(value, dtype=dtype, name=name)


def zeros(shape, dtype=None, name=None, device=None) -> Tensor:
    """A tensor of ``shape`` (a list of ints >= 0) filled with 0."""
    dev = get_device(device)
    dt = _dtype(dtype, op="zeros", strings=True)
    if dt == dtypes.string:  # TensorFlow's zero string is b"", on the host
        return Tensor._wrap(empty_strings(as_shape("zeros", shape)), get_device("cpu"))
    return Tensor._wrap(dev.xp.zeros(as_shape("zeros", shape), dtype=dt), dev)


def ones(shape, dtype=None, name=None, device=None) -> Tensor:
    """A tensor of ``shape`` filled with 1."""
    dev = get_device(device)
    return Tensor._wrap(dev.xp.ones(as_shape("ones", shape), dtype=_dtype(dtype, op="ones")), dev)


def fill(dims, value, name=None, dtype=None, device=None) -> Tensor:
    """A tensor of shape ``dims`` filled with ``value`` (its dtype from ``value``);
    differentiable in a tensor ``value``."""
    dev = get_device(device)
    if isinstance(value, (str, bytes)) or (isinstance(value, Tensor) and value.dtype == "string"):
        return constant(value, dtype=dtype, shape=as_shape("fill", dims, "dims"))
    if isinstance(value, Tensor):
        if value.size != 1:
            raise invalid_argument(
                "fill", f"value must be a scalar, received shape {tuple(value.shape)}"
            )
        # an op on the tensor: differentiable in ``value`` and replayed with each call's
        # value inside tf.function (TensorFlow's Fill)
        from .math import cast
        from .shape import broadcast_to, reshape

        out = broadcast_to(reshape(value, ()), as_shape("fill", dims, "dims"))
        dt = _dtype(dtype, value.dtype, "fill")
        return out if dt == value.dtype else cast(out, dt)
    else:
        if not isinstance(value, (bool, int, float, np.number, np.bool_)):
            raise invalid_type("fill", f"value must be a number, received {value!r}")
        default = dtypes.scalar_dtype(value, None)
    return Tensor._wrap(
        dev.xp.full(as_shape("fill", dims, "dims"), value, dtype=_dtype(dtype, default, "fill")),
        dev,
    )


def zeros_like(input, dtype=None, name=None) -> Tensor:  # noqa: A002 - TensorFlow's name
    x = as_tensor(input)
    dt = _dtype(dtype, x.dtype, "zeros_like", strings=True)
    if dt == dtypes.string:
        return Tensor._wrap(empty_strings(x._data.shape), get_device("cpu"))
    return Tensor._wrap(x._device.xp.zeros(x._data.shape, dtype=dt), x._device)


def ones_like(input, dtype=None, name=None) -> Tensor:  # noqa: A002
    x = as_tensor(input)
    return Tensor._wrap(x._device.xp.ones(x._data.shape, dtype=_dtype(dtype, x.dtype)), x._device)


def _number(value, op, name):
    if isinstance(value, Tensor):
        value = value.item()
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)):
        raise invalid_type(op, f"{name} must be a number, received {value!r}")
    return value


_RANGE_TYPES = ("int32", "int64", "float32", "float64")  # TensorFlow's order for tf.range


def _range_dtype(values):
    """TensorFlow's inference: the widest of the arguments' types (a tensor's or NumPy
    scalar's own dtype; a Python int is int32, a Python float the default float type)."""
    names = []
    for v in values:
        if isinstance(v, (Tensor, np.generic)):
            names.append(np.dtype(v.dtype.name if isinstance(v, Tensor) else v.dtype).name)
        elif isinstance(v, float):
            names.append(dtypes.floatx().name)
        else:
            names.append("int32")
    ranked = [n for n in names if n in _RANGE_TYPES]
    if not ranked:
        return dtypes.int32
    return dtypes.as_dtype(max(ranked, key=_RANGE_TYPES.index))


def range(start, limit=None, delta=1, dtype=None, name="range", device=None) -> Tensor:  # noqa: A001
    """``[start, limit)`` in steps of ``delta`` (``range(n)`` counts from 0), as ``tf.range``."""
    if limit is None:
        start, limit = 0, start
    trace = tracing.trace
    if trace is not None and any(
        isinstance(v, Tensor) and trace.is_traced(v) for v in (start, limit, delta)
    ):
        if trace.symbolic_shapes:
            # bounds from a recorded tf.shape: one step, its length checked to be held by
            # no later step (graph/step_compare.py)
            return _range_on_each_call(start, limit, delta, dtype, device)
        # e.g. the DeepDream tutorial's tf.range(0, img_size[1], tile_size) on arguments
        raise NotSupportedInGraphError(
            "range: a bound computed inside gpuflow.function gives a length that is only "
            "known when the function runs, which a compiled replay cannot follow yet"
        )
    default = _range_dtype((start, limit, delta))
    start, limit, delta = (
        _number(v, "range", n) for v, n in ((start, "start"), (limit, "limit"), (delta, "delta"))
    )
    if delta == 0:
        raise invalid_argument("range", "delta must not be 0")
    if (delta > 0 and start > limit) or (delta < 0 and start < limit):
        # as TensorFlow: a step away from the limit is an error, not an empty range
        relation = "start <= limit when delta > 0" if delta > 0 else "start >= limit when delta < 0"
        raise invalid_argument("range", f"requires {relation}, received {start}/{limit}")
    dev = get_device(device)
    return Tensor._wrap(
        dev.xp.arange(start, limit, delta, dtype=_dtype(dtype, default, "range")), dev
    )


@host_call(effect=False, varying=0)
def _range_on_each_call(start, limit, delta, dtype, device):
    return range(start, limit, delta, dtype, device=device)


def _integer_start_float(start):
    """The float dtype TensorFlow spaces an integer ``start`` in (its truediv table:
    8- and 16-bit integers in float32, 32- and 64-bit ones in float64), else None."""
    value = start.numpy() if isinstance(start, Tensor) else start
    if isinstance(value, bool):
        return None
    try:
        kind = np.asarray(value).dtype
    except (TypeError, ValueError):
        return None
    if kind.kind not in "iu":
        return None
    return dtypes.float32 if kind.itemsize <= 2 else dtypes.float64


def linspace(start, stop, num, name=None, axis=0, dtype=None, device=None) -> Tensor:
    """``num`` evenly spaced values from ``start`` to ``stop`` (both included); with
    tensors (or lists) of starts and stops, one sequence for each pair (broadcast) laid
    along ``axis`` of the result, as TensorFlow."""
    dev = get_device(device)
    num = as_int("linspace", "num", num, minimum=0)
    if dtype is None and isinstance(start, Tensor) and start.dtype.is_floating:
        dtype = start.dtype  # as TensorFlow: the result takes start's dtype
    elif dtype is None and _integer_start_float(start) is not None:
        # as TensorFlow: integer starts (0, [0, 1], int32) in float64, int8/int16 in float32
        dtype = _integer_start_float(start)
    if _batched(start) or _batched(stop):
        lo, hi = (
            np.asarray(v.numpy() if isinstance(v, Tensor) else v, dtype=np.float64)
            for v in (start, stop)
        )
        try:
            lo, hi = np.broadcast_arrays(lo, hi)
        except ValueError:
            raise invalid_argument(
                "linspace",
                f"start of shape {lo.shape} and stop of shape {hi.shape} do not broadcast",
            ) from None
        axis = as_int("linspace", "axis", axis)
        if not -(lo.ndim + 1) <= axis <= lo.ndim:
            raise invalid_argument(
                "linspace", f"axis {axis} is out of range for a result of rank {lo.ndim + 1}"
            )
        dtype = _dtype(dtype, op="linspace")
        return Tensor._wrap(dev.asarray(np.linspace(lo, hi, num, axis=axis).astype(dtype)), dev)
    dt = _dtype(dtype, op="linspace")
    if _differentiable(start, stop, dt):  # as TensorFlow: the gradient reaches start and stop
        ends = [v if isinstance(v, Tensor) else as_tensor(v) for v in (start, stop)]
        for v in ends:
            _number(v, "linspace", "start or stop")
        low, high = (cast(v, dt) if v.dtype != dt else v for v in ends)
        return LinSpace(num)(low, high)
    start, stop = _number(start, "linspace", "start"), _number(stop, "linspace", "stop")
    if dt == dtypes.bfloat16:  # no bfloat16 linspace in NumPy: spaced in float64, rounded
        out = dev.xp.linspace(start, stop, num).astype(dt)
    else:
        out = dev.xp.linspace(start, stop, num, dtype=dt)
    return Tensor._wrap(out, dev)


def _differentiable(start, stop, dt) -> bool:
    """Scalar float tensor endpoints (a float result): linspace is then a LinSpace op."""
    ends = (start, stop)
    return (
        any(isinstance(v, Tensor) and v.dtype.is_floating for v in ends)
        and all(isinstance(v, (Tensor, int, float, np.number)) for v in ends)
        and dt in (dtypes.float16, dtypes.float32, dtypes.float64)
    )


class LinSpace(Function):
    """``num`` values from ``start`` to ``stop``; each value is ``start * (1 - f) + stop * f``
    (``f`` from 0 to 1), so the gradients are the sums of ``g * (1 - f)`` and ``g * f``."""

    def __init__(self, num) -> None:
        self.num = num

    def forward(self, start, stop):
        self.frac = self.xp.linspace(0.0, 1.0, self.num, dtype=start.dtype)
        return self.xp.linspace(start, stop, self.num, dtype=start.dtype)

    def backward(self, F, g):
        frac = F.const(self.frac)
        return F.sum(g - g * frac), F.sum(g * frac)


def _batched(value) -> bool:
    """A start or stop with dimensions (a list, an array or a non-scalar tensor)."""
    return np.ndim(value.numpy() if isinstance(value, Tensor) else value) > 0


def eye(num_rows, num_columns=None, batch_shape=None, dtype=None, name=None, device=None) -> Tensor:
    """The identity matrix ``[num_rows, num_columns]`` (batched by ``batch_shape``)."""
    dev = get_device(device)
    rows = as_int("eye", "num_rows", num_rows, minimum=0)
    cols = rows if num_columns is None else as_int("eye", "num_columns", num_columns, minimum=0)
    out = dev.xp.eye(rows, cols, dtype=_dtype(dtype, op="eye"))
    if batch_shape is not None:
        batch = as_shape("eye", batch_shape, "batch_shape")
        out = dev.xp.broadcast_to(out, batch + (rows, cols)).copy()
    return Tensor._wrap(out, dev)


def from_dlpack(obj) -> Tensor:
    """A tensor sharing memory with ``obj`` (an array or tensor with ``__dlpack__``)."""
    kind, index = obj.__dlpack_device__()
    if int(kind) == 1:  # kDLCPU
        return Tensor._wrap(np.from_dlpack(obj), get_device("cpu"))
    dev = get_device(f"cuda:{index}")
    return Tensor._wrap(dev.xp.from_dlpack(obj), dev)


def variable(initial_value, trainable=True, name=None, dtype=None, device=None) -> Variable:
    return Variable(initial_value, trainable=trainable, name=name, dtype=dtype, device=device)
