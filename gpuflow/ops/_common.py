"""Helpers shared by the op modules: turning inputs into tensors, checking shapes, and
the one place op argument errors are made (``invalid_argument`` and friends), so that
their classes can change in one place."""

from __future__ import annotations

import numpy as np

from .. import dtypes
from .._deferred_error import FailedResult
from ..backend import mismatch_error
from ..errors import InvalidArgumentError, invalid_argument  # noqa: F401  (re-exported for ops)
from ..tensor import Tensor
from ._convert import as_tensor  # noqa: F401  (re-exported: the ops import it from here)
from .cast import cast


def invalid_type(op: str, message: str) -> TypeError:
    """The error for an argument of the wrong type or dtype: names ``op``."""
    return TypeError(f"{op}: {message}")


class UnsupportedDtypeError(InvalidArgumentError, TypeError):
    """A dtype an op has no kernel for (bfloat16 matrix functions): TensorFlow's
    ``InvalidArgumentError``, and a ``TypeError`` as gpuflow's other dtype errors."""


def unsupported_dtype(op: str, message: str) -> UnsupportedDtypeError:
    """The error for a dtype the op has no kernel for (tf.floor of int32, tf.nn.softmax of
    int32, tf.gather with float indices): TensorFlow raises ``InvalidArgumentError`` there;
    it is a ``TypeError`` too, as gpuflow's other dtype errors."""
    return UnsupportedDtypeError(None, op, f"{op}: {message}")


def no_bfloat16(op: str, t, allowed: str = "float16, float32, float64") -> None:
    """Raise, naming ``op`` and the dtype, when ``t`` (a Tensor) is bfloat16: the ops
    TensorFlow registers no bfloat16 kernel for (matrix decompositions, FFTs)."""
    if t.dtype == dtypes.bfloat16:
        raise UnsupportedDtypeError(
            None,
            op,
            f"{op}: dtype bfloat16 is not supported (allowed: {allowed}); "
            "use tf.cast(x, tf.float32) first",
        )


class IndexOutOfBoundsError(InvalidArgumentError, IndexError):
    """An index outside a tensor: TensorFlow's ``InvalidArgumentError``, and also an
    ``IndexError`` (what Python's sequence protocol and older gpuflow code expect)."""


def out_of_range(op: str, message: str) -> IndexError:
    """The error for an index outside a tensor: names ``op``."""
    return IndexOutOfBoundsError(None, op, f"{op}: {message}")


def broadcast_shape(op: str, a_shape, b_shape) -> tuple:
    """The broadcast of two shapes, or an error naming ``op`` and both shapes."""
    if a_shape == b_shape:
        return tuple(a_shape)
    try:
        return tuple(np.broadcast_shapes(tuple(a_shape), tuple(b_shape)))
    except ValueError:
        raise invalid_argument(
            op,
            f"shapes {tuple(a_shape)} and {tuple(b_shape)} are not "
            "broadcastable (each axis must match or be 1)",
        ) from None


def as_int(op: str, name: str, value, minimum=None) -> int:
    """``value`` as a Python int (an integral number or 0-d integer tensor), else an error."""
    if isinstance(value, Tensor):
        if value.size != 1 or not dtypes.is_integer(value.dtype):
            raise invalid_type(
                op,
                f"{name} must be an integer, received a tensor of dtype "
                f"{value.dtype.name} and shape {tuple(value.shape)}",
            )
        value = value.item()
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise invalid_type(op, f"{name} must be an integer, received {value!r}")
    if minimum is not None and value < minimum:
        raise invalid_argument(op, f"{name} must be >= {minimum}, received {value}")
    return int(value)


def packed_size(n):
    """One entry of a list of sizes: a scalar integer or floating Tensor counts as its value
    cast to int (toward zero), as TensorFlow packs ``[n, 3]`` into an int32 shape and casts
    the tensors in it (``tf.tile(x, [tf.math.ceil(h / 8), 1])``); anything else unchanged."""
    if isinstance(n, Tensor) and n.ndim == 0:
        if dtypes.is_integer(n.dtype):
            return n.numpy()[()]
        if n.dtype.is_floating:
            return int(n.numpy()[()])
    return n


def as_shape(op: str, shape, name: str = "shape") -> tuple:
    """``shape`` (an int, a list of ints, a 1-D integer tensor) as a tuple of ints >= 0."""
    if isinstance(shape, Tensor):
        shape = shape.numpy().tolist()
    elif isinstance(shape, np.ndarray):
        shape = shape.tolist()
    if isinstance(shape, (int, np.integer)) and not isinstance(shape, (bool, np.bool_)):
        shape = (shape,)
    try:
        dims = tuple(packed_size(n) for n in shape)
    except TypeError:
        raise invalid_type(op, f"{name} must be a list of integers, received {shape!r}") from None
    for n in dims:
        if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)):
            raise invalid_type(op, f"{name} must be a list of integers, received {list(dims)!r}")
        if n < 0:
            raise invalid_argument(op, f"dimensions must be >= 0, received {name} {list(dims)}")
    return tuple(int(n) for n in dims)


def int_list(op: str, name: str, value, minimum=None) -> list:
    """``value`` (an int, a list of ints, a 1-D integer tensor) as a list of Python ints."""
    if isinstance(value, Tensor):
        if not dtypes.is_integer(value.dtype) or value.ndim > 1:
            raise invalid_type(
                op,
                f"{name} must be integers, received a tensor of dtype "
                f"{value.dtype.name} and shape {tuple(value.shape)}",
            )
        value = value.numpy().tolist()
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        value = [value]
    if not isinstance(value, (list, tuple, np.ndarray)):
        raise invalid_type(op, f"{name} must be an integer or a list of them, received {value!r}")
    return [as_int(op, name, v, minimum) for v in value]


def ordered_only(op: str, *tensors: Tensor) -> None:
    """Refuse complex tensors where an order is needed (max, sort, relu ...), as TensorFlow."""
    for t in tensors:
        if t._data.dtype.kind == "c":
            raise invalid_argument(
                op, f"complex tensors have no order; received dtype {t.dtype.name}"
            )


def numbers_only(op: str, *tensors: Tensor) -> None:
    """Refuse bool tensors where arithmetic is meant (TensorFlow has no bool arithmetic)."""
    for t in tensors:
        if t._data.dtype.kind == "b":
            raise unsupported_dtype(op, "expected number tensors, received dtype bool")


def pair_operands(a, b, op: str) -> tuple[Tensor, Tensor]:
    """Two operands as Tensors on one device with one dtype.

    Two tensors of different dtypes are refused, as TensorFlow refuses them
    (``_one_dtype``), unless ``tnp.experimental_enable_numpy_behavior`` is on (then they
    promote as NumPy arrays do). A Python scalar takes its partner's dtype
    (``x_f16 * 2.0`` stays float16); a Python float next to an integer tensor is refused
    as in TensorFlow (``_no_float_into_integers``); a list or NumPy array operand takes
    its partner's dtype where that keeps its kind.
    """
    if isinstance(a, Tensor):
        if isinstance(b, Tensor):
            if a._data.dtype != b._data.dtype:
                _no_strings_with_numbers(op, a, b)
                _one_dtype(op, a, b)
                common = dtypes.promote(a._data.dtype, b._data.dtype)
                a, b = _cast(a, common), _cast(b, common)
            return a, b
        b, scalar = _operand(b, a, op)
    elif isinstance(b, Tensor):
        a, scalar = _operand(a, b, op)
    else:
        a = as_tensor(a)
        b, scalar = _operand(b, a, op)
    if a._data.dtype != b._data.dtype:
        _no_strings_with_numbers(op, a, b)
        # The scalar's dtype was chosen for its partner (scalar_dtype): it is the result's.
        common = (
            (b if scalar is b else a)._data.dtype
            if scalar is not None
            else dtypes.promote(a._data.dtype, b._data.dtype)
        )
        a, b = _cast(a, common), _cast(b, common)
    return a, b


def _operand(value, partner: Tensor, op: str):
    """``(tensor, tensor if value was a Python/NumPy scalar else None)`` on ``partner``'s device."""
    if isinstance(value, (complex, np.complexfloating)) and partner._data.dtype.kind != "c":
        raise invalid_type(
            op,
            f"complex numbers are not supported with a {partner.dtype.name} tensor, "
            f"received {value!r}; make the tensor complex first (tf.complex or tf.cast)",
        )
    if isinstance(value, (complex, np.complexfloating)):
        t = Tensor._wrap(partner._device.asarray(value, dtype=partner._data.dtype), partner._device)
        return t, t
    numpy_value = _numpy_into_partner(value, partner)
    if numpy_value is not None:
        return numpy_value, numpy_value
    if isinstance(value, (bool, int, float, np.bool_, np.integer, np.floating)):
        _no_float_into_integers(op, value, partner)
        if partner._data.dtype.kind == "O":
            raise invalid_type(op, f"cannot combine a string tensor with the number {value!r}")
        dtype = dtypes.scalar_dtype(value, partner._data.dtype)
        t = Tensor._wrap(partner._device.asarray(value, dtype=dtype), partner._device)
        return t, t
    if getattr(type(value), "_gpuflow_dense", None) is not None:
        value = value._gpuflow_dense()  # a tf.IndexedSlices operand: its dense tensor
    try:
        t = value if isinstance(value, Tensor) else Tensor(value, device=partner._device)
    except (TypeError, ValueError) as exc:
        if isinstance(value, FailedResult):
            raise  # an op that failed while tracing: its own error
        raise invalid_type(op, f"cannot use {type(value).__name__} as an operand ({exc})") from None
    target = partner.dtype
    if isinstance(value, np.ndarray) and dtypes.numpy_behavior.enabled:
        return t, None  # a NumPy array promotes with the tensor as NumPy's (float64 stays)
    if t._data.dtype != target and t.dtype.kind in _TAKES_PARTNER_DTYPE.get(target.kind, ""):
        # As TensorFlow converts a list operand to its partner's dtype
        # (x_float32 * [1, 2] stays float32)
        t = _cast(t, target)
        return t, t
    if (
        t._data.dtype != target
        and t.dtype.kind in "biuf"
        and target.kind in "biu"
        and not dtypes.numpy_behavior.enabled
    ):
        # TensorFlow converts a list of floats to its int partner's dtype and refuses
        # (tf.constant([1, 2]) + [1.5, 2.5] raises); NumPy behavior promotes instead.
        raise UnsupportedDtypeError(
            None,
            op,
            f"{op}: cannot compute {op} as input #1(zero-based) was expected to be a "
            f"{target.name} tensor but is a {t.dtype.name} tensor (converted from "
            f"{value!r}); write the values as {target.name} or cast the tensor (tf.cast)",
        )
    return t, None


def _numpy_into_partner(value, partner: Tensor):
    """A NumPy array or scalar operand converted to its tensor partner's dtype, as
    TensorFlow converts it (a C cast: ``tf.constant([1, 2]) + np.array([1.5])`` is int32
    ``[2, 3]``), or None for other values, NumPy strings and complex values, and under
    ``tnp.experimental_enable_numpy_behavior`` (where they promote as NumPy's)."""
    if not isinstance(value, (np.ndarray, np.generic)) or dtypes.numpy_behavior.enabled:
        return None
    if value.dtype.kind not in "biuf" or partner._data.dtype.kind not in "biuf":
        return None
    with np.errstate(invalid="ignore", over="ignore"):  # nan / out of range wrap, as TF
        array = np.asarray(value).astype(partner._data.dtype)
    return Tensor._wrap(partner._device.asarray(array), partner._device)


# The kinds of a non-tensor operand that take a tensor partner's dtype, by the partner's kind.
_TAKES_PARTNER_DTYPE = {"f": "biuf", "i": "biu", "u": "bu", "c": "biufc", "b": "b"}


def _one_dtype(op: str, a: Tensor, b: Tensor) -> None:
    """TensorFlow's ops take one dtype: ``tf.constant(1) + tf.constant(1.0)`` raises
    ``InvalidArgumentError`` eagerly and ``TypeError`` in a graph (the error is both), never
    widens. With ``tnp.experimental_enable_numpy_behavior`` on, tensors promote instead."""
    if dtypes.numpy_behavior.enabled:
        return
    raise UnsupportedDtypeError(
        None,
        op,
        f"{op}: cannot compute {op} as input #1(zero-based) was expected to be a "
        f"{a.dtype.name} tensor but is a {b.dtype.name} tensor; TensorFlow does not convert "
        "tensor dtypes implicitly: cast one operand first (tf.cast)",
    )


def _no_float_into_integers(op: str, value, partner: Tensor) -> None:
    """TensorFlow converts a Python float operand to its partner's dtype, which an integer
    tensor refuses (``tf.constant(1) + 1.5`` and ``+ 1.0`` raise). NumPy scalars, which
    TensorFlow casts, and ``tnp.experimental_enable_numpy_behavior`` (floats promote) pass."""
    if (
        partner._data.dtype.kind in "iu"
        and isinstance(value, float)
        and not isinstance(value, np.generic)
        and not dtypes.numpy_behavior.enabled
    ):
        raise UnsupportedDtypeError(
            None,
            op,
            f"{op}: cannot compute {op} of a {partner.dtype.name} tensor and the Python float "
            f"{value!r}: TensorFlow converts the float to the tensor's dtype and refuses; "
            "cast the tensor to a float dtype first (tf.cast)",
        )


def _no_strings_with_numbers(op: str, a: Tensor, b: Tensor) -> None:
    """A string tensor never promotes with a number tensor (TensorFlow has no such cast)."""
    if a._data.dtype.kind == "O" or b._data.dtype.kind == "O":
        raise invalid_type(
            op, f"cannot combine tensors of dtypes {a.dtype.name} and {b.dtype.name}"
        )


def _cast(t: Tensor, dtype) -> Tensor:
    return t if t.dtype == dtype else cast(t, dtype)


def normalize_axis(axis, ndim: int, op: str):
    """``axis`` (int, list or None) as a tuple of non-negative ints, checked against ``ndim``."""
    if axis is None:
        return None
    if isinstance(axis, Tensor):
        axis = axis.numpy().tolist()
    if isinstance(axis, (int, np.integer)):
        axes = (axis,)
    elif isinstance(axis, (list, tuple)):
        axes = tuple(axis)
    else:
        raise invalid_type(op, f"axis must be an integer or a list of them, received {axis!r}")
    out = []
    for a in axes:
        if isinstance(a, (bool, np.bool_)) or not isinstance(a, (int, np.integer)):
            raise invalid_type(op, f"axis must be an integer or a list of them, received {axis!r}")
        if not -ndim <= int(a) < max(ndim, 1):
            raise invalid_argument(op, f"axis {a} is out of range for a tensor of rank {ndim}")
        out.append(int(a) % max(ndim, 1))
    return tuple(out)


def check_same_device(op: str, *tensors: Tensor) -> None:
    """Raise naming both devices when ``tensors`` do not all live on one device."""
    first = tensors[0]._device
    for t in tensors[1:]:
        if t._device is not first:
            raise mismatch_error(op, first, t._device)
