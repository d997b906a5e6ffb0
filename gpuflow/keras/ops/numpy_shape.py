"""``keras.ops`` shape, indexing and linear-algebra products with NumPy's signatures
(``split`` at indices, ``take`` with ``axis=None`` on the flattened tensor, ``pad`` with
``pad_width``), each built from differentiable gpuflow ops."""

from __future__ import annotations

import numpy as np

from ...ops import indexing as _ix
from ...ops import linalg as _la
from ...ops import rearrange as _re
from ...ops import shape as _sh
from ...ops.cast import cast as _cast
from ...ops.creation import zeros_like as _zeros_like
from ...ops.select import where as _where
from ...tensor import Tensor
from ._dtypes import convert_to_tensor, tensors


def _axis(axis, ndim: int, op: str) -> int:
    if isinstance(axis, bool) or not hasattr(axis, "__index__"):
        raise TypeError(f"{op}: axis must be an int, received {axis!r}")
    axis = int(axis)
    if not -ndim <= axis < max(ndim, 1):
        raise ValueError(f"{op}: axis {axis} is out of range for a tensor of rank {ndim}")
    return axis % max(ndim, 1)


def reshape(x, newshape):
    """``x`` with shape ``newshape`` (one entry may be -1)."""
    return _sh.reshape(convert_to_tensor(x), newshape)


def ravel(x):
    """``x`` flattened to one axis."""
    return _sh.reshape(convert_to_tensor(x), [-1])


def transpose(x, axes=None):
    """``x`` with its axes permuted by ``axes`` (reversed when None)."""
    return _sh.transpose(convert_to_tensor(x), perm=None if axes is None else list(axes))


def moveaxis(x, source, destination):
    """``x`` with axes ``source`` moved to positions ``destination``."""
    t = convert_to_tensor(x)
    src = [source] if isinstance(source, int) else list(source)
    dst = [destination] if isinstance(destination, int) else list(destination)
    if len(src) != len(dst):
        raise ValueError(
            f"moveaxis: source and destination need the same number of axes, received "
            f"{source} and {destination}"
        )
    src = [_axis(a, t.ndim, "moveaxis") for a in src]
    dst = [_axis(a, t.ndim, "moveaxis") for a in dst]
    order = [a for a in range(t.ndim) if a not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return _sh.transpose(t, order)


def swapaxes(x, axis1, axis2):
    """``x`` with axes ``axis1`` and ``axis2`` exchanged."""
    t = convert_to_tensor(x)
    order = list(range(t.ndim))
    a, b = _axis(axis1, t.ndim, "swapaxes"), _axis(axis2, t.ndim, "swapaxes")
    order[a], order[b] = order[b], order[a]
    return _sh.transpose(t, order)


def expand_dims(x, axis):
    """``x`` with new axes of size 1 at ``axis`` (an int or a tuple)."""
    t = convert_to_tensor(x)
    if isinstance(axis, (list, tuple)):
        ndim = t.ndim + len(axis)
        for a in sorted(_axis(a, ndim, "expand_dims") for a in axis):
            t = _sh.expand_dims(t, a)
        return t
    return _sh.expand_dims(t, axis)


def squeeze(x, axis=None):
    """``x`` without its size-1 axes (only those in ``axis`` when given)."""
    t = convert_to_tensor(x)
    if axis is None:
        return _sh.squeeze(t)
    axes = [axis] if isinstance(axis, int) else list(axis)
    return _sh.squeeze(t, axis=axes)


def broadcast_to(x, shape):
    """``x`` broadcast to ``shape``."""
    return _sh.broadcast_to(convert_to_tensor(x), shape)


def concatenate(xs, axis=0):
    """The tensors ``xs`` joined along ``axis`` (promoted to a common dtype); ``axis=None``
    flattens them first."""
    parts = tensors(*xs)
    if axis is None:
        parts, axis = [_sh.reshape(p, [-1]) for p in parts], 0
    return _sh.concat(parts, axis=axis)


def append(x1, x2, axis=None):
    """``x2`` appended to ``x1`` along ``axis`` (both flattened when None)."""
    return concatenate([x1, x2], axis=axis)


def stack(x, axis=0):
    """The tensors ``x`` stacked along a new ``axis``."""
    return _sh.stack(tensors(*x), axis=axis)


def hstack(xs):
    """The tensors joined along axis 1 (axis 0 for 1-D tensors)."""
    parts = tensors(*xs)
    return _sh.concat(parts, axis=0 if parts[0].ndim == 1 else 1)


def vstack(xs):
    """The tensors joined along axis 0 (1-D tensors become rows)."""
    parts = [p if p.ndim > 1 else _sh.reshape(p, [1, -1]) for p in tensors(*xs)]
    return _sh.concat(parts, axis=0)


def unstack(x, num=None, axis=0):
    """The slices of ``x`` along ``axis``, as a list."""
    return _sh.unstack(convert_to_tensor(x), num=num, axis=axis)


def split(x, indices_or_sections, axis=0):
    """``x`` cut along ``axis`` into ``indices_or_sections`` equal pieces (an int), or at the
    given indices (a list), as ``numpy.split``."""
    t = convert_to_tensor(x)
    if t.ndim == 0:
        raise ValueError("split: cannot split a scalar")
    ax = _axis(axis, t.ndim, "split")
    n = t.shape[ax]
    if isinstance(indices_or_sections, Tensor):
        indices_or_sections = indices_or_sections.numpy().tolist()
    if isinstance(indices_or_sections, (int, np.integer)):
        count = int(indices_or_sections)
        if count <= 0 or n % count:
            raise ValueError(
                f"split: axis {ax} of size {n} does not divide into {count} equal sections; "
                "pass a list of split indices for unequal pieces"
            )
        return _sh.split(t, count, axis=ax)
    points = [min(max(int(i) + (n if int(i) < 0 else 0), 0), n) for i in indices_or_sections]
    edges = [0] + points + [n]
    sizes = [max(b - a, 0) for a, b in zip(edges[:-1], edges[1:])]
    return _sh.split(t, sizes, axis=ax)


def array_split(x, indices_or_sections, axis=0):
    """Like :func:`split`, but a count need not divide the axis: the first pieces are longer."""
    t = convert_to_tensor(x)
    ax = _axis(axis, t.ndim, "array_split")
    if isinstance(indices_or_sections, (int, np.integer)):
        count, n = int(indices_or_sections), t.shape[ax]
        if count <= 0:
            raise ValueError(f"array_split: sections must be >= 1, received {count}")
        sizes = [n // count + (1 if i < n % count else 0) for i in range(count)]
        return _sh.split(t, sizes, axis=ax)
    return split(t, indices_or_sections, axis=ax)


def tile(x, repeats):
    """``x`` repeated ``repeats`` times per axis (NumPy's rule for unequal lengths)."""
    t = convert_to_tensor(x)
    reps = [int(repeats)] if isinstance(repeats, (int, np.integer)) else [int(r) for r in repeats]
    if len(reps) < t.ndim:
        reps = [1] * (t.ndim - len(reps)) + reps
    elif len(reps) > t.ndim:
        t = _sh.reshape(t, [1] * (len(reps) - t.ndim) + list(t.shape))
    return _sh.tile(t, reps)


def repeat(x, repeats, axis=None):
    """Each element of ``x`` repeated ``repeats`` times along ``axis`` (flattened when None)."""
    return _re.repeat(convert_to_tensor(x), repeats, axis=axis)


def flip(x, axis=None):
    """``x`` reversed along ``axis`` (every axis when None)."""
    t = convert_to_tensor(x)
    axes = list(range(t.ndim)) if axis is None else ([axis] if isinstance(axis, int) else axis)
    return _re.reverse(t, list(axes))


def roll(x, shift, axis=None):
    """``x`` rolled by ``shift`` along ``axis`` (of the flattened tensor when None)."""
    t = convert_to_tensor(x)
    if axis is None:
        return _sh.reshape(_re.roll(_sh.reshape(t, [-1]), shift, 0), list(t.shape))
    return _re.roll(t, shift, axis)


def pad(x, pad_width, mode="constant", constant_values=None):
    """``x`` padded by ``pad_width`` (NumPy's form: an int, ``(before, after)`` or one pair
    per axis). Modes: ``"constant"``, ``"reflect"``, ``"symmetric"``."""
    t = convert_to_tensor(x)
    width = np.asarray(pad_width.numpy() if isinstance(pad_width, Tensor) else pad_width)
    if width.dtype.kind not in "iu" or width.ndim > 2:
        raise ValueError(f"pad: pad_width must be integers, received {pad_width!r}")
    width = np.broadcast_to(width.reshape(-1, 2) if width.size == 2 else width, (t.ndim, 2))
    if mode not in ("constant", "reflect", "symmetric"):
        raise ValueError(
            f"pad: mode must be 'constant', 'reflect' or 'symmetric', received {mode!r}"
        )
    if constant_values is not None and mode != "constant":
        raise ValueError(
            f"pad: constant_values is only used with mode='constant', received mode={mode!r}"
        )
    return _re.pad(
        t,
        width.tolist(),
        mode=mode.upper(),
        constant_values=0 if constant_values is None else constant_values,
    )


def _normalized_indices(indices, size: int):
    """Integer indices with negatives counted from the end (as Keras's take), computed with
    recorded ops so that it works inside gpuflow.function."""
    idx = convert_to_tensor(indices)
    if idx.dtype.kind not in "iu":
        raise TypeError(f"take: indices must be integers, received dtype {idx.dtype.name}")
    if idx.dtype.kind == "u":
        return idx
    return _where(idx < 0, idx + size, idx)


def take(x, indices, axis=None):
    """The elements of ``x`` at ``indices`` along ``axis`` (of the flattened tensor when
    None); negative indices count from the end."""
    t = convert_to_tensor(x)
    if axis is None:
        t, axis = _sh.reshape(t, [-1]), 0
    ax = _axis(axis, t.ndim, "take")
    return _ix.gather(t, _normalized_indices(indices, t.shape[ax]), axis=ax)


def take_along_axis(x, indices, axis=None):
    """``x`` picked at ``indices`` along ``axis``, as ``numpy.take_along_axis`` (the other
    axes broadcast)."""
    t = convert_to_tensor(x)
    if axis is None:
        t, axis = _sh.reshape(t, [-1]), 0
        indices = _sh.reshape(convert_to_tensor(indices), [-1])
    ax = _axis(axis, t.ndim, "take_along_axis")
    idx = _normalized_indices(indices, t.shape[ax])
    if idx.ndim != t.ndim:
        raise ValueError(
            f"take_along_axis: indices must have the rank of x ({t.ndim}), received shape "
            f"{tuple(idx.shape)}"
        )
    shape = [idx.shape[i] if i == ax else max(idx.shape[i], t.shape[i]) for i in range(t.ndim)]
    t = _sh.broadcast_to(t, [t.shape[i] if i == ax else shape[i] for i in range(t.ndim)])
    # Coordinates: constant grids for the other axes, the (recorded) indices along `axis`.
    grids = np.meshgrid(*[np.arange(n, dtype=np.int64) for n in shape], indexing="ij")
    columns = [convert_to_tensor(g) for g in grids]
    columns[ax] = _sh.broadcast_to(_cast(idx, "int64"), shape)
    return _ix.gather_nd(t, _sh.stack(columns, axis=-1))


def get_item(x, key):
    """``x[key]``."""
    return convert_to_tensor(x)[key]


def tril(x, k=0):
    """``x`` with the elements above the ``k``-th diagonal of its last two axes set to 0."""
    t = convert_to_tensor(x)
    mask = np.tri(t.shape[-2], t.shape[-1], k, dtype=bool)
    return _where(convert_to_tensor(mask), t, _zeros_like(t))


def triu(x, k=0):
    """``x`` with the elements below the ``k``-th diagonal of its last two axes set to 0."""
    t = convert_to_tensor(x)
    mask = ~np.tri(t.shape[-2], t.shape[-1], k - 1, dtype=bool)
    return _where(convert_to_tensor(mask), t, _zeros_like(t))


def diagonal(x, offset=0, axis1=0, axis2=1):
    """The ``offset`` diagonal of the matrices in axes ``axis1`` and ``axis2`` (last axis
    of the result)."""
    t = convert_to_tensor(x)
    a1, a2 = _axis(axis1, t.ndim, "diagonal"), _axis(axis2, t.ndim, "diagonal")
    if a1 == a2:
        raise ValueError("diagonal: axis1 and axis2 cannot be the same")
    rest = [a for a in range(t.ndim) if a not in (a1, a2)]
    moved = _sh.transpose(t, rest + [a1, a2])
    n, m = t.shape[a1], t.shape[a2]
    rows = np.arange(max(0, -offset), min(n, m - offset))
    flat = _sh.reshape(moved, [t.shape[a] for a in rest] + [n * m])
    return _ix.gather(flat, rows * m + rows + offset, axis=len(rest))


def diag(x, k=0):
    """The ``k``-th diagonal of a matrix, or a matrix with a vector on its ``k``-th diagonal."""
    t = convert_to_tensor(x)
    if t.ndim == 2:
        return diagonal(t, offset=k)
    if t.ndim != 1:
        raise ValueError(f"diag: expected a 1-D or 2-D tensor, received shape {tuple(t.shape)}")
    return _la.diag(t, k=k)


def trace(x, offset=0, axis1=0, axis2=1):
    """The sum of the ``offset`` diagonal in axes ``axis1`` and ``axis2``."""
    from ...ops.reduce import reduce_sum
    from .numpy_reduce import widened

    d = widened(diagonal(x, offset=offset, axis1=axis1, axis2=axis2))
    return reduce_sum(d, axis=-1)


# -- products ----------------------------------------------------------------------
def _product_operands(x1, x2):
    a, b = tensors(x1, x2)
    if a.dtype.name == "bool":
        a, b = _cast(a, "int32"), _cast(b, "int32")
    return a, b


def matmul(x1, x2):
    """The matrix product (batched over leading axes, NumPy's rule for 1-D operands)."""
    a, b = _product_operands(x1, x2)
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError(
            f"matmul: operands must have rank >= 1, received shapes {tuple(a.shape)} and "
            f"{tuple(b.shape)}; use multiply for scalars"
        )
    squeeze_a, squeeze_b = a.ndim == 1, b.ndim == 1
    if squeeze_a:
        a = _sh.expand_dims(a, 0)
    if squeeze_b:
        b = _sh.expand_dims(b, -1)
    if a.shape[-1] != b.shape[-2]:
        raise ValueError(
            f"matmul: the last axis of x1 ({a.shape[-1]}) must equal the second-last of x2 "
            f"({b.shape[-2]}); received shapes {tuple(convert_to_tensor(x1).shape)} and "
            f"{tuple(convert_to_tensor(x2).shape)}"
        )
    batch = np.broadcast_shapes(tuple(a.shape[:-2]), tuple(b.shape[:-2]))
    if tuple(a.shape[:-2]) != batch:
        a = _sh.broadcast_to(a, list(batch) + list(a.shape[-2:]))
    if tuple(b.shape[:-2]) != batch:
        b = _sh.broadcast_to(b, list(batch) + list(b.shape[-2:]))
    out = _la.matmul(a, b)
    if squeeze_a:
        out = _sh.squeeze(out, axis=[-2])
    if squeeze_b:
        out = _sh.squeeze(out, axis=[-1])
    return out


def dot(x1, x2):
    """NumPy's ``dot``: scalars multiply, vectors give the inner product, otherwise the sum
    over the last axis of ``x1`` and the second-last of ``x2``."""
    a, b = _product_operands(x1, x2)
    if a.ndim == 0 or b.ndim == 0:
        return a * b
    if b.ndim == 1:
        return _la.tensordot(a, b, axes=[[a.ndim - 1], [0]])
    return _la.tensordot(a, b, axes=[[a.ndim - 1], [b.ndim - 2]])


def tensordot(x1, x2, axes=2):
    """The sum of products over ``axes`` (an int: the last of ``x1`` and first of ``x2``)."""
    a, b = _product_operands(x1, x2)
    return _la.tensordot(a, b, axes)


def inner(x1, x2):
    """The sum of products over the last axes."""
    a, b = _product_operands(x1, x2)
    if a.ndim == 0 or b.ndim == 0:
        return a * b
    return _la.tensordot(a, b, axes=[[a.ndim - 1], [b.ndim - 1]])


def outer(x1, x2):
    """The outer product of the flattened operands."""
    a, b = _product_operands(x1, x2)
    return _sh.reshape(a, [-1, 1]) * _sh.reshape(b, [1, -1])


def vdot(x1, x2):
    """The dot product of the flattened operands."""
    a, b = _product_operands(x1, x2)
    return _la.tensordot(_sh.reshape(a, [-1]), _sh.reshape(b, [-1]), axes=1)


def einsum(subscripts, *operands, **kwargs):
    """Einstein summation, as ``numpy.einsum`` (operands promoted to a common dtype)."""
    return _la.einsum(subscripts, *_product_operands_many(operands))


def _product_operands_many(operands):
    parts = tensors(*operands)
    if parts and parts[0].dtype.name == "bool":
        parts = [_cast(p, "int32") for p in parts]
    return parts


def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """The cross product of 3-vectors along the last axes."""
    from ...ops.linalg_more import cross as _cross

    if axis is not None:
        axisa = axisb = axisc = axis
    if (axisa, axisb, axisc) not in ((-1, -1, -1),):
        a, b = tensors(x1, x2)
        a, b = moveaxis(a, axisa, -1), moveaxis(b, axisb, -1)
        return moveaxis(_cross(a, b), -1, axisc)
    return _cross(*tensors(x1, x2))


def meshgrid(*x, indexing="xy"):
    """Coordinate grids from 1-D tensors (``"xy"``: Cartesian, ``"ij"``: matrix indexing)."""
    if indexing not in ("xy", "ij"):
        raise ValueError(f"meshgrid: indexing must be 'xy' or 'ij', received {indexing!r}")
    from ...ops.shape_extra import meshgrid as _meshgrid

    return list(_meshgrid(*[convert_to_tensor(v) for v in x], indexing=indexing))


def searchsorted(sorted_sequence, values, side="left"):
    """Indices (int32) where ``values`` would be inserted to keep ``sorted_sequence`` sorted."""
    from ...ops.math_more import searchsorted as _search

    seq, vals = tensors(sorted_sequence, values)
    if seq.ndim != 1:
        raise ValueError(
            f"searchsorted: sorted_sequence must be 1-D, received shape {tuple(seq.shape)}"
        )
    flat = _sh.reshape(vals, [1, -1])
    out = _search(_sh.reshape(seq, [1, -1]), flat, side=side, out_type="int32")
    return _sh.reshape(out, list(vals.shape))


def digitize(x, bins):
    """The index (int32) of the bin of ``bins`` (increasing) each element falls in."""
    return searchsorted(bins, x, side="right")


def diff(a, n=1, axis=-1):
    """The ``n``-th discrete difference along ``axis``."""
    t = convert_to_tensor(a)
    ax = _axis(axis, t.ndim, "diff")
    for _ in range(int(n)):
        size = t.shape[ax]
        hi = [slice(None)] * t.ndim
        lo = [slice(None)] * t.ndim
        hi[ax], lo[ax] = slice(1, size), slice(0, size - 1)
        t = t[tuple(hi)] - t[tuple(lo)]
    return t


def select(condlist, choicelist, default=0):
    """From the first true condition of ``condlist``, the element of ``choicelist``;
    ``default`` where none holds."""
    if len(condlist) != len(choicelist):
        raise ValueError(
            f"select: condlist and choicelist need the same length, received "
            f"{len(condlist)} and {len(choicelist)}"
        )
    choices = tensors(*choicelist, default)
    out = choices[-1]
    for cond, choice in reversed(list(zip(condlist, choices[:-1]))):
        out = _where(convert_to_tensor(cond, "bool"), choice, out)
    return out


def copy(x):
    """A copy of ``x``."""
    return _sh.identity(convert_to_tensor(x))
