"""More of ``keras.ops``' NumPy set: NaN-ignoring reductions, ``fmod`` / ``fmax`` /
``fmin``, integer bit operations, stacking and splitting helpers, ``kron``, ``trapezoid``,
``isin``, ``bincount``, window functions and a few elementwise tests."""

from __future__ import annotations

import math as _math

import numpy as np

from ..._tracing import host_call
from ...ops import compare as _cmp
from ...ops import complex_ops as _cx
from ...ops import linalg as _la
from ...ops import math as _m
from ...ops import reduce as _r
from ...ops import shape as _sh
from ...ops import unary as _u
from ...ops.cast import cast as _cast
from ...ops.creation import zeros_like as _zeros_like
from ...ops.select import where as _where
from ...tensor import Tensor
from ._dtypes import as_float, convert_to_tensor, result_type, tensors
from ._dtypes import int64_as_float64 as _int64_as_float64
from .numpy_reduce import _axes
from .numpy_shape import flip, split, stack

_FLOATS = ("float16", "float32", "float64")


# -- NaN-ignoring reductions ------------------------------------------------------------
def _nan_free(x, fill):
    t = convert_to_tensor(x)
    if t.dtype.name not in _FLOATS:
        return t, None
    nan = _u.is_nan(t)
    return _where(nan, _zeros_like(t) + fill, t), nan


def nansum(x, axis=None, keepdims=False):
    """The sum over ``axis``, NaNs counted as zero."""
    from .numpy_reduce import sum as _sum

    t, _ = _nan_free(x, 0.0)
    return _sum(t, axis=axis, keepdims=keepdims)


def nanprod(x, axis=None, keepdims=False):
    """The product over ``axis``, NaNs counted as one."""
    from .numpy_reduce import prod

    t, _ = _nan_free(x, 1.0)
    return prod(t, axis=axis, keepdims=keepdims)


def nanmean(x, axis=None, keepdims=False):
    """The mean over ``axis`` of the elements that are not NaN (NaN where all are)."""
    t = as_float(x)
    clean, nan = _nan_free(t, 0.0)
    count = _r.reduce_sum(
        _cast(_u.logical_not(nan), t.dtype.name),
        axis=_axes(axis, t.ndim, "nanmean"),
        keepdims=keepdims,
    )
    total = _r.reduce_sum(clean, axis=_axes(axis, t.ndim, "nanmean"), keepdims=keepdims)
    return total / count


def nanvar(x, axis=None, keepdims=False):
    """The variance over ``axis`` of the elements that are not NaN."""
    t = as_float(x)
    mean = nanmean(t, axis=axis, keepdims=True)
    return nanmean(_u.square(t - mean), axis=axis, keepdims=keepdims)


def nanstd(x, axis=None, keepdims=False):
    """The standard deviation over ``axis`` of the elements that are not NaN."""
    return _u.sqrt(nanvar(x, axis=axis, keepdims=keepdims))


def nanmax(x, axis=None, keepdims=False):
    """The maximum over ``axis``, ignoring NaNs (NaN where all are)."""
    t, nan = _nan_free(x, -np.inf)
    if nan is None:  # no NaNs in ints and bools: the plain max (bools too)
        from .numpy_reduce import max as _plain

        return _plain(t, axis=axis, keepdims=keepdims)
    out = _r.reduce_max(t, axis=_axes(axis, t.ndim, "nanmax"), keepdims=keepdims)
    return out if nan is None else _where(_u.is_inf(out) & (out < 0), out * np.nan, out)


def nanmin(x, axis=None, keepdims=False):
    """The minimum over ``axis``, ignoring NaNs (NaN where all are)."""
    t, nan = _nan_free(x, np.inf)
    if nan is None:  # no NaNs in ints and bools: the plain min (bools too)
        from .numpy_reduce import min as _plain

        return _plain(t, axis=axis, keepdims=keepdims)
    out = _r.reduce_min(t, axis=_axes(axis, t.ndim, "nanmin"), keepdims=keepdims)
    return out if nan is None else _where(_u.is_inf(out) & (out > 0), out * np.nan, out)


# -- elementwise ---------------------------------------------------------------------
def fmod(x1, x2):
    """The remainder of ``x1 / x2`` with the sign of ``x1`` (C's ``fmod``)."""
    a, b = tensors(x1, x2)
    if a.dtype.name in _FLOATS:
        quotient = a / b
        quotient = _u.sign(quotient) * _u.floor(_u.abs(quotient))
    else:
        from ...ops.math_more import truncatediv

        quotient = truncatediv(a, b)
    return a - b * quotient


def fmax(x1, x2):
    """The larger of ``x1`` and ``x2``, ignoring a NaN in one of them."""
    a, b = tensors(x1, x2)
    if a.dtype.name not in _FLOATS:
        return _m.maximum(a, b)
    return _where(_u.is_nan(a), b, _where(_u.is_nan(b), a, _m.maximum(a, b)))


def fmin(x1, x2):
    """The smaller of ``x1`` and ``x2``, ignoring a NaN in one of them."""
    a, b = tensors(x1, x2)
    if a.dtype.name not in _FLOATS:
        return _m.minimum(a, b)
    return _where(_u.is_nan(a), b, _where(_u.is_nan(b), a, _m.minimum(a, b)))


def heaviside(x1, x2):
    """0 where ``x1 < 0``, ``x2`` where ``x1 == 0``, 1 where ``x1 > 0``."""
    dtype = _int64_as_float64(result_type(convert_to_tensor(x1), convert_to_tensor(x2)))
    a, b = tensors(x1, x2, dtype=dtype)
    zero = _zeros_like(a)
    return _where(a > 0, zero + 1.0, _where(_cmp.equal(a, 0.0), b + zero, zero))


def signbit(x):
    """Whether the sign bit is set (True for negative numbers and -0.0)."""
    t = convert_to_tensor(x)
    return _host_unary(t, "signbit")


def isneginf(x):
    """Whether each element is -inf."""
    t = convert_to_tensor(x)
    if t.dtype.name not in _FLOATS:
        return _zeros_like(t, dtype="bool")
    return _cmp.equal(t, -np.inf)


def isposinf(x):
    """Whether each element is +inf."""
    t = convert_to_tensor(x)
    if t.dtype.name not in _FLOATS:
        return _zeros_like(t, dtype="bool")
    return _cmp.equal(t, np.inf)


def sinc(x):
    """``sin(pi x) / (pi x)``, 1 at 0."""
    t = as_float(x)
    zero = _cmp.equal(t, 0.0)
    safe = _where(zero, _zeros_like(t) + 1.0, t) * _math.pi
    return _where(zero, _zeros_like(t) + 1.0, _u.sin(safe) / safe)


def ldexp(x1, x2):
    """``x1 * 2 ** x2``."""
    a = as_float(x1)
    b = convert_to_tensor(x2)
    if b.dtype.kind not in "iu":
        raise TypeError(f"ldexp: x2 must be integers, received dtype {b.dtype.name}")
    return a * _m.pow(convert_to_tensor(2.0, a.dtype.name), _cast(b, a.dtype.name))


# -- integer bit operations (not differentiable) -----------------------------------------
@host_call(effect=False)
def _host_unary(t: Tensor, fn: str) -> Tensor:
    return Tensor._wrap(getattr(t._device.xp, fn)(t._data), t._device)


@host_call(effect=False)
def _host_binary(a: Tensor, b: Tensor, fn: str) -> Tensor:
    return Tensor._wrap(getattr(a._device.xp, fn)(a._data, b._data), a._device)


def _int_pair(x, y, op: str):
    a, b = tensors(x, y)
    if a.dtype.kind not in "iub":
        raise TypeError(f"{op}: expected integer or bool tensors, received dtype {a.dtype.name}")
    return a, b


def _bitwise(fn: str, name: str, doc: str):
    def op(x, y):
        return _host_binary(*_int_pair(x, y, name), fn)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    return op


bitwise_and = _bitwise("bitwise_and", "bitwise_and", "Elementwise bitwise AND of integers.")
bitwise_or = _bitwise("bitwise_or", "bitwise_or", "Elementwise bitwise OR of integers.")
bitwise_xor = _bitwise("bitwise_xor", "bitwise_xor", "Elementwise bitwise XOR of integers.")
bitwise_left_shift = _bitwise("left_shift", "bitwise_left_shift", "``x << y`` elementwise.")
bitwise_right_shift = _bitwise("right_shift", "bitwise_right_shift", "``x >> y`` elementwise.")
left_shift = _bitwise("left_shift", "left_shift", "``x << y`` elementwise.")
right_shift = _bitwise("right_shift", "right_shift", "``x >> y`` elementwise.")
gcd = _bitwise("gcd", "gcd", "The greatest common divisor, elementwise.")
lcm = _bitwise("lcm", "lcm", "The least common multiple, elementwise.")


def bitwise_invert(x):
    """Elementwise bitwise NOT of integers (logical NOT of bools)."""
    t = convert_to_tensor(x)
    if t.dtype.kind not in "iub":
        raise TypeError(f"bitwise_invert: expected integers, received dtype {t.dtype.name}")
    return _host_unary(t, "invert")


bitwise_not = bitwise_invert


# -- stacking, splitting, rearranging ---------------------------------------------------
def dstack(xs):
    """The tensors joined along axis 2 (1-D and 2-D ones expanded first)."""
    parts = []
    for t in tensors(*xs):
        if t.ndim == 1:
            t = _sh.reshape(t, [1, -1, 1])
        elif t.ndim == 2:
            t = _sh.expand_dims(t, -1)
        parts.append(t)
    return _sh.concat(parts, axis=2)


def hsplit(x, indices_or_sections):
    """:func:`split` along axis 1 (axis 0 for 1-D tensors)."""
    t = convert_to_tensor(x)
    return split(t, indices_or_sections, axis=0 if t.ndim == 1 else 1)


def vsplit(x, indices_or_sections):
    """:func:`split` along axis 0."""
    return split(x, indices_or_sections, axis=0)


def dsplit(x, indices_or_sections):
    """:func:`split` along axis 2."""
    return split(x, indices_or_sections, axis=2)


def fliplr(x):
    """``x`` reversed along axis 1."""
    return flip(x, axis=1)


def flipud(x):
    """``x`` reversed along axis 0."""
    return flip(x, axis=0)


def rot90(array, k=1, axes=(0, 1)):
    """``array`` rotated by 90 degrees ``k`` times in the plane of ``axes``."""
    t = convert_to_tensor(array)
    a, b = (ax % t.ndim for ax in axes)
    if a == b:
        raise ValueError(f"rot90: axes must be different, received {axes}")
    order = list(range(t.ndim))
    order[a], order[b] = order[b], order[a]
    for _ in range(int(k) % 4):
        t = _sh.transpose(flip(t, axis=b), order)
    return t


def kron(x1, x2):
    """The Kronecker product."""
    a, b = tensors(x1, x2)
    nd = max(a.ndim, b.ndim)
    a = _sh.reshape(a, [1] * (nd - a.ndim) + list(a.shape))
    b = _sh.reshape(b, [1] * (nd - b.ndim) + list(b.shape))
    inter_a, inter_b = [], []
    for n, m in zip(a.shape, b.shape):
        inter_a += [n, 1]
        inter_b += [1, m]
    out = _sh.reshape(a, inter_a) * _sh.reshape(b, inter_b)
    return _sh.reshape(out, [n * m for n, m in zip(a.shape, b.shape)])


def trapezoid(y, x=None, dx=1.0, axis=-1):
    """The integral of ``y`` along ``axis`` by the trapezoidal rule (sample points ``x``,
    or spacing ``dx``)."""
    t = as_float(y)
    ax = axis % t.ndim
    n = t.shape[ax]
    hi = [slice(None)] * t.ndim
    lo = [slice(None)] * t.ndim
    hi[ax], lo[ax] = slice(1, n), slice(0, n - 1)
    mids = (t[tuple(hi)] + t[tuple(lo)]) * 0.5
    if x is None:
        return _r.reduce_sum(mids, axis=ax) * float(dx)
    xs = convert_to_tensor(x, t.dtype.name)
    if xs.ndim == 1:
        shape = [1] * t.ndim
        shape[ax] = n
        xs = _sh.reshape(xs, shape)
    xhi = [slice(None)] * xs.ndim
    xlo = [slice(None)] * xs.ndim
    xhi[ax], xlo[ax] = slice(1, n), slice(0, n - 1)
    return _r.reduce_sum(mids * (xs[tuple(xhi)] - xs[tuple(xlo)]), axis=ax)


def isin(x1, x2, assume_unique=False, invert=False):
    """Whether each element of ``x1`` is among the elements of ``x2``."""
    a, b = tensors(x1, x2)
    found = _r.reduce_any(_cmp.equal(_sh.expand_dims(a, -1), _sh.reshape(b, [-1])), axis=-1)
    return _u.logical_not(found) if invert else found


def bincount(x, weights=None, minlength=0, sparse=False):
    """The count (or summed ``weights``) of each non-negative integer in ``x``; a 2-D ``x``
    counts each row."""
    if sparse:
        raise ValueError("bincount: sparse=True is not supported here")
    t = convert_to_tensor(x)
    if t.dtype.kind not in "iu" or t.ndim not in (1, 2):
        raise ValueError(
            f"bincount: x must be 1-D or 2-D integers, received shape {tuple(t.shape)} dtype "
            f"{t.dtype.name}"
        )
    length = max(int(minlength), int(t.numpy().max()) + 1 if t.size else 0)
    from .nn import one_hot

    w = None if weights is None else convert_to_tensor(weights)
    dtype = "int32" if w is None else result_type(w, "int32" if w.dtype.kind in "iu" else w)
    hot = one_hot(t, length, dtype=dtype)
    if w is not None:
        hot = hot * _sh.expand_dims(_cast(w, dtype), -1)
    return _r.reduce_sum(hot, axis=t.ndim - 1)


def unravel_index(indices, shape):
    """The coordinates (a tuple of tensors) of flat ``indices`` in an array of ``shape``."""
    idx = convert_to_tensor(indices)
    coords = np.unravel_index(idx.numpy(), tuple(int(n) for n in shape))
    return tuple(convert_to_tensor(c.astype(idx.dtype.name)) for c in coords)


def vander(x, N=None, increasing=False):  # noqa: N803 - NumPy's name
    """The Vandermonde matrix of the 1-D ``x`` (columns ``x**(N-1) ... x**0``)."""
    t = convert_to_tensor(x)
    if t.ndim != 1:
        raise ValueError(f"vander: x must be 1-D, received shape {tuple(t.shape)}")
    n = t.shape[0] if N is None else int(N)
    powers = list(range(n)) if increasing else list(range(n - 1, -1, -1))
    return stack([t**p if p else t * 0 + 1 for p in powers], axis=1)


def cdist(x, y):
    """The Euclidean distances between the rows of ``x`` and ``y`` (batched)."""
    dtype = result_type(convert_to_tensor(x), convert_to_tensor(y), float)
    a, b = tensors(x, y, dtype=dtype)
    diff = _sh.expand_dims(a, -2) - _sh.expand_dims(b, -3)
    return _u.sqrt(_r.reduce_sum(diff * diff, axis=-1))


def corrcoef(x):
    """The correlation coefficients of the rows of ``x``."""
    t = as_float(x)
    if t.ndim == 1:
        t = _sh.expand_dims(t, 0)
    centered = t - _r.reduce_mean(t, axis=1, keepdims=True)
    cov = _la.matmul(centered, _sh.transpose(centered))
    d = _u.sqrt(_sh.reshape(_r.reduce_sum(centered * centered, axis=1), [-1, 1]))
    return cov / (d * _sh.transpose(d))


def _window(fn: str, name: str):
    def op(x):
        n = int(convert_to_tensor(x).numpy())
        return convert_to_tensor(getattr(np, fn)(n), "float32")

    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"NumPy's ``{fn}`` window of length ``x`` (float32)."
    return op


bartlett = _window("bartlett", "bartlett")
blackman = _window("blackman", "blackman")
hamming = _window("hamming", "hamming")
hanning = _window("hanning", "hanning")


def kaiser(x, beta):
    """NumPy's Kaiser window of length ``x`` and shape ``beta`` (float32)."""
    return convert_to_tensor(np.kaiser(int(convert_to_tensor(x).numpy()), float(beta)), "float32")


def real(x):
    """The real part of a complex tensor; a real tensor itself."""
    return _cx.real(convert_to_tensor(x))


def imag(x):
    """The imaginary part of a complex tensor; zeros for a real tensor."""
    return _cx.imag(convert_to_tensor(x))


def conjugate(x):
    """The complex conjugate; a real tensor itself."""
    t = convert_to_tensor(x)
    return _cx.conj(t) if t.dtype.is_complex else t


conj = conjugate


def isreal(x):
    """Whether each element has a zero imaginary part (always True for real dtypes)."""
    t = convert_to_tensor(x)
    if t.dtype.is_complex:
        return _cmp.equal(_cx.imag(t), 0)
    from ...ops.creation import ones_like

    return ones_like(t, dtype="bool")


def diagflat(x, k=0):
    """A matrix with the flattened ``x`` on its ``k``-th diagonal."""
    from ...ops.linalg import diag

    return diag(_sh.reshape(convert_to_tensor(x), [-1]), k=k)


def unique(
    x,
    sorted=True,  # noqa: A002 - NumPy's name
    return_index=False,
    return_inverse=False,
    return_counts=False,
    axis=None,
    size=None,
    fill_value=None,
):
    """The unique elements of the flattened ``x``, or the unique slices along ``axis`` (with
    their first indices, the inverse map and counts on request), as ``numpy.unique``:
    sorted, or in order of first appearance with ``sorted=False`` (as Keras's TensorFlow
    backend). ``size`` pads or cuts the result to a fixed length along that axis (with
    ``fill_value``, default the smallest element)."""
    t = convert_to_tensor(x)
    data = t.numpy()
    if axis is None:
        data, ax = data.reshape(-1), 0
    else:
        if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
            raise TypeError(f"unique: axis must be an int or None, received {axis!r}")
        if not -data.ndim <= axis < data.ndim:
            raise ValueError(f"unique: axis {axis} is out of range for a rank-{data.ndim} tensor")
        ax = int(axis) % data.ndim
    values, index, inverse, counts = np.unique(
        data, return_index=True, return_inverse=True, return_counts=True, axis=ax
    )
    inverse = inverse.reshape(-1)
    if not sorted:
        order = np.argsort(index, kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(order.size)
        values, index, counts, inverse = (
            np.take(values, order, ax),
            index[order],
            counts[order],
            rank[inverse],
        )
    if size is not None:
        size = int(size)
        fill = values.min() if fill_value is None and values.size else (fill_value or 0)
        have = values.shape[ax]
        if have < size:
            extra = size - have
            pad_shape = list(values.shape)
            pad_shape[ax] = extra
            values = np.concatenate([values, np.full(pad_shape, fill, values.dtype)], axis=ax)
            index = np.concatenate([index, np.zeros(extra, index.dtype)])
            counts = np.concatenate([counts, np.zeros(extra, counts.dtype)])
        values = np.take(values, np.arange(size), ax)
        index, counts = index[:size], counts[:size]
    outs = [convert_to_tensor(values.astype(t.dtype.name))]
    if return_index:
        outs.append(convert_to_tensor(index.astype("int32")))
    if return_inverse:
        outs.append(convert_to_tensor(inverse.reshape(-1).astype("int32")))
    if return_counts:
        outs.append(convert_to_tensor(counts.astype("int32")))
    return outs[0] if len(outs) == 1 else tuple(outs)


def argpartition(x, kth, axis=-1):
    """Indices (int32) that put the ``kth`` element of each slice in its sorted place,
    the smaller ones before it and the larger after (a stable argsort here)."""
    from .numpy_reduce import argsort

    t = convert_to_tensor(x)
    n = t.shape[axis]
    if not -n <= int(kth) < n:
        raise ValueError(f"argpartition: kth {kth} is out of range for an axis of size {n}")
    return argsort(t, axis=axis)


def histogram(x, bins=10, range=None):  # noqa: A002 - NumPy's name
    """``(counts, bin_edges)`` of the values of ``x`` in ``bins`` equal bins over ``range``
    (default: the values' min and max)."""
    t = convert_to_tensor(x)
    counts, edges = np.histogram(t.numpy().reshape(-1), bins=int(bins), range=range)
    dtype = t.dtype.name if t.dtype.name in _FLOATS else "float32"
    return convert_to_tensor(counts.astype(dtype)), convert_to_tensor(edges.astype(dtype))
