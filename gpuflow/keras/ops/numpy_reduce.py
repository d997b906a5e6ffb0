"""``keras.ops`` reductions, scans and sorting with NumPy's signatures (``axis=None`` means
every axis) and Keras's result dtypes (``sum`` of bools is int32, ``mean`` of ints a float)."""

from __future__ import annotations

from ...errors import InvalidArgumentError
from ...ops import math_extra as _mx
from ...ops import reduce as _r
from ...ops import sorting as _s
from ...ops.cast import cast as _cast
from ...ops.shape import expand_dims as _expand_dims
from ...ops.shape import reshape as _reshape
from ._dtypes import as_float, convert_to_tensor, result_type

# Keras' accumulator for sums and products of narrow dtypes (JAX's rule)
_WIDER = {"bool": "int32", "int8": "int32", "int16": "int32", "uint8": "uint32", "uint16": "uint32"}


def widened(t):
    """``t`` cast to the dtype Keras sums and multiplies it in (uint8 -> uint32, int8 -> int32)."""
    wider = _WIDER.get(t.dtype.name)
    return t if wider is None else _cast(t, wider)


def _axes(axis, ndim: int, op: str):
    """``axis`` (None, an int or a sequence) as what the gpuflow reductions take."""
    if axis is None:
        return None
    if isinstance(axis, (list, tuple)):
        return [int(a) for a in axis]
    if isinstance(axis, bool) or not hasattr(axis, "__index__"):
        raise TypeError(f"{op}: axis must be None, an int or a tuple of ints, received {axis!r}")
    return int(axis)


def sum(x, axis=None, keepdims=False):  # noqa: A001 - NumPy's name
    """The sum over ``axis`` (all axes when None); bools and small ints sum as int32, small
    unsigned ints as uint32."""
    t = widened(convert_to_tensor(x))
    return _r.reduce_sum(t, axis=_axes(axis, t.ndim, "sum"), keepdims=keepdims)


def mean(x, axis=None, keepdims=False):
    """The mean over ``axis``; integer inputs give the default float type."""
    t = as_float(x)
    return _r.reduce_mean(t, axis=_axes(axis, t.ndim, "mean"), keepdims=keepdims)


def average(x, axis=None, weights=None):
    """The mean over ``axis`` weighted by ``weights`` (broadcast along ``axis`` when 1-D)."""
    t = convert_to_tensor(x)
    if weights is None:
        return mean(t, axis=axis)
    w = convert_to_tensor(weights)
    dtype = result_type(t, w, float)
    t, w = _cast(t, dtype), _cast(w, dtype)
    if w.ndim == 1 and t.ndim > 1 and axis is not None:
        shape = [1] * t.ndim
        shape[int(axis) % t.ndim] = w.shape[0]
        w = _reshape(w, shape)
    return _r.reduce_sum(t * w, axis=axis) / _r.reduce_sum(w * (t * 0 + 1), axis=axis)


def _extremum(reduce_fn, name: str):
    def op(x, axis=None, keepdims=False, initial=None):
        t = convert_to_tensor(x)
        if initial is None and t.size == 0:  # tf.reduce_max gives -inf; Keras raises
            raise InvalidArgumentError(None, name, f"Cannot compute the {name} of an empty tensor.")
        if t.dtype.name == "bool":  # Keras: the max of bools is any, the min all
            out = op(_cast(t, "int32"), axis, keepdims, None if initial is None else int(initial))
            return _cast(out, "bool")
        out = reduce_fn(t, axis=_axes(axis, t.ndim, name), keepdims=keepdims)
        if initial is not None:
            from ...ops import math as _m

            pick = _m.maximum if name == "max" else _m.minimum
            out = pick(out, convert_to_tensor(initial, out.dtype.name))
        return out

    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"The {name}imum over ``axis`` (all axes when None), at least ``initial``."
    return op


max = _extremum(_r.reduce_max, "max")  # noqa: A001 - NumPy's name
min = _extremum(_r.reduce_min, "min")  # noqa: A001 - NumPy's name
amax = max
amin = min


def prod(x, axis=None, keepdims=False, dtype=None):
    """The product over ``axis``."""
    t = widened(convert_to_tensor(x, dtype))
    out = _r.reduce_prod(t, axis=_axes(axis, t.ndim, "prod"), keepdims=keepdims)
    return out if out.dtype == t.dtype else _cast(out, t.dtype.name)


def var(x, axis=None, keepdims=False):
    """The (population) variance over ``axis``, in a float dtype."""
    t = as_float(x)
    return _r.reduce_variance(t, axis=_axes(axis, t.ndim, "var"), keepdims=keepdims)


def std(x, axis=None, keepdims=False):
    """The (population) standard deviation over ``axis``, in a float dtype."""
    t = as_float(x)
    return _r.reduce_std(t, axis=_axes(axis, t.ndim, "std"), keepdims=keepdims)


def ptp(x, axis=None, keepdims=False):
    """The range ``max - min`` over ``axis``."""
    return max(x, axis=axis, keepdims=keepdims) - min(x, axis=axis, keepdims=keepdims)


def logsumexp(x, axis=None, keepdims=False):
    """``log(sum(exp(x)))`` over ``axis``, computed without overflow."""
    t = as_float(x)
    return _r.reduce_logsumexp(t, axis=_axes(axis, t.ndim, "logsumexp"), keepdims=keepdims)


def any(x, axis=None, keepdims=False):  # noqa: A001 - NumPy's name
    """Whether any element over ``axis`` is true (non-zero)."""
    t = convert_to_tensor(x, "bool")
    return _r.reduce_any(t, axis=_axes(axis, t.ndim, "any"), keepdims=keepdims)


def all(x, axis=None, keepdims=False):  # noqa: A001 - NumPy's name
    """Whether every element over ``axis`` is true (non-zero)."""
    t = convert_to_tensor(x, "bool")
    return _r.reduce_all(t, axis=_axes(axis, t.ndim, "all"), keepdims=keepdims)


def count_nonzero(x, axis=None):
    """The number of non-zero elements over ``axis`` (int32)."""
    t = convert_to_tensor(x)
    return sum(_cast(t, "bool"), axis=axis)


def _arg(fn, name: str):
    def op(x, axis=None, keepdims=False):
        t = convert_to_tensor(x)
        if t.ndim == 0:
            raise ValueError(f"{name}: expected a tensor of rank >= 1, received a scalar")
        if axis is None:
            out = fn(_reshape(t, [-1]), axis=0, output_type="int32")
            if keepdims:
                out = _reshape(out, [1] * t.ndim)
            return out
        out = fn(t, axis=int(axis), output_type="int32")
        return _expand_dims(out, int(axis)) if keepdims else out

    op.__name__ = op.__qualname__ = name
    op.__doc__ = (
        f"The index of the {name[3:]}imum along ``axis`` (of the flattened tensor when None), "
        "int32."
    )
    return op


argmax = _arg(_r.argmax, "argmax")
argmin = _arg(_r.argmin, "argmin")


def sort(x, axis=-1):
    """``x`` sorted ascending along ``axis`` (bools too: False before True)."""
    t = convert_to_tensor(x)
    if t.dtype.name == "bool":
        return _cast(_s.sort(_cast(t, "int8"), axis=axis), "bool")
    return _s.sort(t, axis=axis)


def argsort(x, axis=-1):
    """The indices that sort ``x`` ascending along ``axis`` (int32; ties keep their order)."""
    t = convert_to_tensor(x)
    if t.ndim == 0:
        return convert_to_tensor(0, "int32")
    if t.dtype.name == "bool":
        t = _cast(t, "int8")
    return _cast(_s.argsort(t, axis=axis, stable=True), "int32")


def _scan(fn, name: str):
    def op(x, axis=None, dtype=None):
        t = convert_to_tensor(x)
        if dtype is not None:
            t = convert_to_tensor(t, dtype)
        elif t.dtype.name == "bool":  # Keras keeps int8 and uint8 scans in their dtype
            t = _cast(t, "int32")
        if axis is None:
            t, axis = _reshape(t, [-1]), 0
        return fn(t, axis=int(axis))

    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"The cumulative {name[3:]} along ``axis`` (of the flattened tensor when None)."
    return op


cumsum = _scan(_mx.cumsum, "cumsum")
cumprod = _scan(_mx.cumprod, "cumprod")


def top_k(x, k, sorted=True):  # noqa: A002 - Keras's name
    """The ``k`` largest values along the last axis and their int32 indices, as
    ``tf.math.top_k``'s namedtuple ``(values, indices)``."""
    return _s.top_k(convert_to_tensor(x), k=k, sorted=sorted, index_type="int32")


def in_top_k(targets, predictions, k):
    """Whether each target is among the ``k`` largest predictions of its row."""
    return _s.in_top_k(convert_to_tensor(targets), convert_to_tensor(predictions), k)
