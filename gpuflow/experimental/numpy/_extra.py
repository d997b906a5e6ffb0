"""``tnp`` functions that ``keras.ops`` has no counterpart for, or whose NumPy form differs
(``shape`` answers a tuple, ``meshgrid`` and ``einsum`` promote all operands, ...)."""

from __future__ import annotations

import numpy as np

from ..._tracing import host_call
from ...dtypes import of as _dtype_of
from ...keras import ops as _ops
from ...ops.cast import cast
from ...tensor import Tensor, TensorShape
from . import _dtypes
from ._convert import as_float, asarray, promote_all
from ._table import TABLE

__all__ = [
    "angle", "array_equal", "atleast_1d", "atleast_2d", "atleast_3d", "broadcast_arrays",
    "diag", "diagflat",
    "compress", "divmod", "einsum", "fix", "flatten", "imag", "iscomplex", "iscomplexobj",
    "isreal", "isrealobj", "isscalar", "ix_", "logaddexp2", "meshgrid", "ndim", "nextafter",
    "polyval", "positive", "real", "result_type", "select", "shape", "size", "take",
    "take_along_axis", "vander",
]  # fmt: skip


def result_type(*arrays_and_dtypes):
    """The dtype (a TensorFlow DType) NumPy gives an op on these arrays, dtypes and scalars."""
    return _dtype_of(_dtypes.result_type(*arrays_and_dtypes))


def shape(a) -> TensorShape:
    """``a``'s shape (a TensorShape, as TensorFlow's ``tnp.shape``)."""
    return TensorShape(asarray(a).shape)


def ndim(a) -> int:
    """``a``'s number of dimensions."""
    return asarray(a).ndim


def size(a, axis=None) -> int:
    """The number of elements of ``a`` (along ``axis``)."""
    dims = shape(a)
    return int(np.prod(dims)) if axis is None else dims[axis]


def isscalar(num) -> bool:
    """True for a Python or NumPy scalar and a rank-0 tensor, as TensorFlow's ``tnp``."""
    return ndim(num) == 0 if isinstance(num, Tensor) else bool(np.isscalar(num))


def positive(x) -> Tensor:
    """``x`` itself, as a tensor."""
    return asarray(x)


def flatten(a, order="C") -> Tensor:
    """``a`` as one dimension."""
    if order not in ("C", "F"):
        raise ValueError(f"tnp.flatten: order must be 'C' or 'F', received {order!r}")
    t = asarray(a)
    return _ops.ravel(t if order == "C" else _ops.transpose(t))


def _atleast(ndims: int, arys):
    out = []
    for a in arys:
        t = asarray(a)
        if t.ndim < ndims:
            dims = tuple(t.shape)
            if ndims == 3 and t.ndim == 1:
                dims = (1,) + dims + (1,)
            elif ndims == 3 and t.ndim == 2:
                dims = dims + (1,)
            else:
                dims = (1,) * (ndims - t.ndim) + dims
            t = _ops.reshape(t, dims)
        out.append(t)
    return out[0] if len(out) == 1 else out


def atleast_1d(*arys):
    """Each array with at least one dimension."""
    return _atleast(1, arys)


def atleast_2d(*arys):
    """Each array with at least two dimensions (new ones in front)."""
    return _atleast(2, arys)


def atleast_3d(*arys):
    """Each array with at least three dimensions (NumPy's placement of the new ones)."""
    return _atleast(3, arys)


def broadcast_arrays(*args, subok=False):
    """The arrays broadcast to their common shape."""
    tensors = [asarray(a) for a in args]
    common = np.broadcast_shapes(*[tuple(t.shape) for t in tensors])
    return [_ops.broadcast_to(t, common) for t in tensors]


def array_equal(a1, a2) -> Tensor:
    """True where both have one shape and equal elements (a bool tensor)."""
    x, y = promote_all([a1, a2])
    if tuple(x.shape) != tuple(y.shape):
        return asarray(False)
    return TABLE["all"](TABLE["equal"](x, y))


@host_call(effect=False)
def _true_indices(condition: Tensor) -> Tensor:
    """The positions of the true entries of a 1-D bool tensor, as int64 (a host step, so a
    traced function recomputes them on each call)."""
    return Tensor(np.nonzero(condition.numpy())[0].astype(np.int64), device=condition.device)


def compress(condition, a, axis=None) -> Tensor:
    """The slices of ``a`` along ``axis`` (all of ``a`` flat when None) where ``condition``."""
    cond = asarray(condition, bool)
    t = asarray(a)
    if axis is None:
        t, axis = _ops.ravel(t), 0
    if cond.ndim != 1:
        raise ValueError(f"tnp.compress: condition must be 1-d, received shape {tuple(cond.shape)}")
    if cond.shape[0] > t.shape[axis]:
        raise ValueError(
            f"tnp.compress: condition has {cond.shape[0]} entries, more than axis {axis} "
            f"of size {t.shape[axis]}"
        )
    return _ops.take(t, _true_indices(cond), axis=axis)


def divmod(x1, x2):  # noqa: A001 - NumPy's name
    """``(floor_divide(x1, x2), mod(x1, x2))``."""
    return TABLE["floor_divide"](x1, x2), TABLE["mod"](x1, x2)


def fix(x) -> Tensor:
    """``x`` rounded towards zero (integers as the default float type)."""
    t = as_float(x)
    return _ops.where(t < 0, _ops.ceil(t), _ops.floor(t))


def real(val) -> Tensor:
    """The real part (``val`` itself when not complex)."""
    t = asarray(val)
    return _ops.real(t) if t._data.dtype.kind == "c" else t


def imag(val) -> Tensor:
    """The imaginary part (zeros when not complex)."""
    t = asarray(val)
    return _ops.imag(t) if t._data.dtype.kind == "c" else _ops.zeros_like(t)


def angle(z, deg=False) -> Tensor:
    """The argument of ``z`` (radians, degrees when ``deg``)."""
    t = asarray(z)
    if t._data.dtype.kind == "c":
        out = TABLE["arctan2"](_ops.imag(t), _ops.real(t))
    else:
        t = as_float(t)
        out = TABLE["arctan2"](_ops.zeros_like(t), t)
    return out * (180.0 / np.pi) if deg else out


def iscomplex(x) -> Tensor:
    """True where the imaginary part is not zero."""
    return TABLE["not_equal"](imag(x), 0)


def isreal(x) -> Tensor:
    """True where the imaginary part is zero."""
    return TABLE["equal"](imag(x), 0)


def iscomplexobj(x) -> bool:
    """Whether ``x`` has a complex dtype."""
    return asarray(x)._data.dtype.kind == "c"


def isrealobj(x) -> bool:
    """Whether ``x`` has no complex dtype."""
    return not iscomplexobj(x)


def ix_(*args):
    """Open meshes of the 1-D index arrays, for indexing the cross product."""
    out = []
    for k, a in enumerate(args):
        t = asarray(a)
        if t.ndim != 1:
            raise ValueError(f"tnp.ix_: arguments must be 1-d, received shape {tuple(t.shape)}")
        if t._data.dtype.kind == "b":
            t = _true_indices(t)
        out.append(_ops.reshape(t, (1,) * k + (-1,) + (1,) * (len(args) - k - 1)))
    return out


def logaddexp2(x1, x2) -> Tensor:
    """``log2(2**x1 + 2**x2)``, computed without overflow."""
    a, b = promote_all([x1, x2], float_result=True)
    high = _ops.maximum(a, b)
    return high + _ops.log2(1 + _ops.power(asarray(2.0, a._data.dtype), -_ops.abs(a - b)))


def nextafter(x1, x2) -> Tensor:
    """The next float after ``x1`` towards ``x2``."""
    a, b = promote_all([x1, x2], float_result=True)
    return _nextafter(a, b)


@host_call(effect=False)
def _nextafter(a: Tensor, b: Tensor) -> Tensor:
    return Tensor(np.nextafter(a.numpy(), b.numpy()), device=a.device)


def polyval(p, x) -> Tensor:
    """The polynomial with coefficients ``p`` (highest power first) at ``x``."""
    coeffs = asarray(p)
    dtype = _dtypes.result_type(coeffs, x if not isinstance(x, (list, tuple)) else asarray(x))
    t = asarray(x, dtype)
    out = _ops.zeros_like(t)
    for k in range(coeffs.shape[0]):
        out = out * t + cast(coeffs[k], dtype)
    return out


def diag(v, k=0) -> Tensor:
    """The ``k``-th diagonal of a matrix, or a matrix with a vector on its ``k``-th diagonal."""
    t = asarray(v)
    if t.ndim == 2:
        return cast(_ops.diagonal(t, offset=k), t._data.dtype)
    if t.ndim != 1:
        raise ValueError(f"tnp.diag: v must be 1-d or 2-d, received shape {tuple(t.shape)}")
    square = _ops.diag(t)  # on the main diagonal, then shifted by padding
    k = int(k)
    widths = ((0, k), (k, 0)) if k >= 0 else ((-k, 0), (0, -k))
    return _ops.pad(square, widths) if k else square


def diagflat(v, k=0) -> Tensor:
    """A matrix with the flattened ``v`` on its ``k``-th diagonal."""
    return diag(_ops.ravel(asarray(v)), k)


def take(a, indices, axis=None, out=None, mode="clip") -> Tensor:
    """Elements of ``a`` (flattened when ``axis`` is None) at ``indices``; out-of-range
    indices are clipped (``mode="clip"``, TensorFlow's default) or wrapped (``"wrap"``)."""
    if out is not None:
        raise ValueError("tnp.take: out is not supported")
    if mode not in ("clip", "wrap"):
        raise ValueError(f"tnp.take: mode must be 'clip' or 'wrap', received {mode!r}")
    t = asarray(a)
    if axis is None:
        t, axis = _ops.ravel(t), 0
    size = t.shape[axis]
    idx = asarray(indices)
    if idx._data.dtype.kind not in "iu":
        raise TypeError(f"tnp.take: indices must be integers, received {idx.dtype.name}")
    idx = _ops.clip(idx, 0, size - 1) if mode == "clip" else _ops.mod(idx, size)
    return cast(_ops.take(t, idx, axis=axis), t._data.dtype)


def einsum(subscripts, *operands, casting="safe", optimize=False):
    """Einstein summation over operands promoted to one dtype."""
    if casting != "safe":
        raise ValueError(f"tnp.einsum: only casting='safe' is supported, received {casting!r}")
    return _ops.einsum(subscripts, *promote_all(list(operands)))


def meshgrid(*xi, **kwargs):
    """Coordinate matrices from coordinate vectors (``indexing`` 'xy' or 'ij'), each of
    its vector's dtype."""
    copy, sparse = kwargs.pop("copy", True), kwargs.pop("sparse", False)
    if sparse:
        raise ValueError("tnp.meshgrid: sparse=True is not supported")
    del copy
    tensors = [_ops.ravel(asarray(x)) for x in xi]  # NumPy and TensorFlow flatten each
    grids = _ops.meshgrid(*tensors, **kwargs)
    return [cast(g, t._data.dtype) for g, t in zip(grids, tensors)]


def select(condlist, choicelist, default=0) -> Tensor:
    """Elements of the first choice whose condition holds, else ``default``."""
    choices = promote_all(list(choicelist) + [default])
    conds = [asarray(c, bool) for c in condlist]
    return _ops.select(conds, choices[:-1], choices[-1])


def take_along_axis(arr, indices, axis) -> Tensor:
    """Values of ``arr`` at ``indices`` along ``axis``."""
    t = asarray(arr)
    return cast(_ops.take_along_axis(t, asarray(indices), axis=axis), t._data.dtype)


def vander(x, N=None, increasing=False) -> Tensor:  # noqa: N803 - NumPy's name
    """The Vandermonde matrix of ``x``."""
    t = asarray(x)
    out = _ops.vander(t, N, increasing)
    return cast(out, _dtypes.result_type(t, 1))
