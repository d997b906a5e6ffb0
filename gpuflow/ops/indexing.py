"""Indexing: ``x[...]``, slice, strided_slice, gather, gather_nd, scatter_nd,
tensor_scatter_nd_*, boolean_mask, where (one argument), one_hot, sequence_mask."""

from __future__ import annotations

import builtins

import numpy as np

from .. import dtypes
from .._tracing import host_call, tracing
from ..autodiff.function import Function
from ..autodiff.grad_ops import is_basic_index
from ..tensor import Tensor
from ._common import (
    as_int,
    as_tensor,
    int_list,
    invalid_argument,
    invalid_type,
    normalize_axis,
    out_of_range,
    unsupported_dtype,
)

newaxis = None
_py_slice = builtins.slice  # `slice` below is TensorFlow's op


class GetItem(Function):
    """``x[index]``; its adjoint is ScatterAdd, and ScatterAdd's is GetItem."""

    def __init__(self, index) -> None:
        self.index = index

    keeps_strings = True  # also moves tf.string elements

    def forward(self, x):
        out = x[self.index]
        # one element of a string tensor's object array is a bare `bytes`: keep it 0-d
        return out if hasattr(out, "shape") else self.xp.asarray(out, dtype=x.dtype)

    def backward(self, F, g):
        return (F.scatter_add(g, self.index, self._xs[0].shape),)


class SliceBy(GetItem):
    """``x[index]`` whose slices have bounds computed inside ``tf.function``
    (``x[:, :tf.shape(x)[1] // 2]``): the bounds are the op's arrays, so each replay
    slices with its own call's values instead of the traced ones. In ``template`` a
    bound ``(k,)`` (a tuple, where a slice's bounds are ints or None) is ``bounds[k]``."""

    def __init__(self, template, bounds) -> None:
        self.template, self.bounds = template, bounds

    def forward(self, x):
        def bound(b):
            return int(self.bounds[b[0]]) if b.__class__ is tuple else b

        def resolve(item):
            if item.__class__ is _py_slice:
                return _py_slice(bound(item.start), bound(item.stop), bound(item.step))
            return item

        items = self.template
        self.index = tuple(map(resolve, items)) if items.__class__ is tuple else resolve(items)
        return super().forward(x)


def _traced_bounds(index):
    """``(template, bounds)`` when a slice of ``index`` has a bound that is a traced
    integer scalar tensor (inside tf.function), else None."""
    trace = tracing.trace
    items = index if isinstance(index, tuple) else (index,)
    if trace is None or not any(
        isinstance(b, Tensor) and trace.is_traced(b)
        for i in items
        if isinstance(i, _py_slice)
        for b in (i.start, i.stop, i.step)
    ):
        return None
    bounds: list = []

    def split(b):
        if not isinstance(b, Tensor):
            return b
        if not dtypes.is_integer(b.dtype) or b.ndim != 0:
            raise invalid_type(
                "getitem",
                f"slice bounds must be integer scalars, received {b.dtype.name} "
                f"of shape {tuple(b.shape)}",
            )
        bounds.append(b._data)
        return (len(bounds) - 1,)

    template = tuple(
        _py_slice(split(i.start), split(i.stop), split(i.step)) if isinstance(i, _py_slice) else i
        for i in items
    )
    return (template if isinstance(index, tuple) else template[0]), tuple(bounds)


class ScatterAdd(Function):
    """Zeros of ``shape`` with ``g`` added at ``index`` (repeated indices add up)."""

    def __init__(self, index, shape) -> None:
        self.index, self.shape = index, shape

    def forward(self, g):
        out = self.xp.zeros(self.shape, dtype=g.dtype)
        if is_basic_index(self.index):
            out[self.index] = g
        else:
            self.xp.add.at(out, self.index, g)
        return out

    def backward(self, F, g):
        return (F.getitem(g, self.index),)


def _device_index(index, device, op):
    """Tensors and lists inside an index become integer/bool arrays of ``device``."""
    if isinstance(index, tuple):
        return tuple(_device_index(i, device, op) for i in index)
    if isinstance(index, Tensor):
        if index.dtype.kind not in "iub":
            raise unsupported_dtype(
                op, f"indices must be integers or bools, received dtype {index.dtype.name}"
            )
        return index._data if index._device is device else device.asarray(index.numpy())
    if isinstance(index, (list, np.ndarray)):
        array = np.asarray(index)
        if array.dtype.kind not in "iub":
            raise invalid_type(op, f"indices must be integers or bools, received {index!r}")
        return device.asarray(array)
    if isinstance(index, float):
        raise invalid_type(
            op, f"indices must be integers, slices, None or Ellipsis, received {index!r}"
        )
    return index


def getitem(x, index) -> Tensor:
    """``x[index]`` with NumPy's rules (ints, slices with negative steps, Ellipsis,
    ``tf.newaxis``, integer and bool tensors); differentiable."""
    x = as_tensor(x)
    if (
        isinstance(index, list)
        and not dtypes.numpy_behavior.enabled  # tnp's NumPy indexing: a list gathers
        and not any(isinstance(i, (bool, np.bool_)) for i in index)
    ):
        # TensorFlow reads a list as a tuple: t[[0, 2]] is t[0, 2], not rows 0 and 2
        index = tuple(index)
    traced = _traced_bounds(index)
    index = _device_index(index, x._device, "getitem")
    try:
        if traced is not None:
            return SliceBy(_device_index(traced[0], x._device, "getitem"), traced[1])(x)
        return GetItem(index)(x)
    except IndexError as exc:
        raise out_of_range(
            "getitem", f"indexing a tensor of shape {tuple(x.shape)} with {_describe(index)}: {exc}"
        ) from None


def _describe(index):
    items = index if isinstance(index, tuple) else (index,)
    return (
        "["
        + ", ".join(
            "..."
            if i is Ellipsis
            else "newaxis"
            if i is None
            else f"array{tuple(i.shape)}"
            if hasattr(i, "shape")
            else repr(i)
            for i in items
        )
        + "]"
    )


def slice(input_, begin, size, name=None) -> Tensor:  # noqa: A001 - TensorFlow's name
    """The block of ``size`` starting at ``begin`` (a size of -1 runs to the end)."""
    x = as_tensor(input_)
    begin, size = _int_list(begin, "slice", "begin"), _int_list(size, "slice", "size")
    if len(begin) != x.ndim or len(size) != x.ndim:
        raise invalid_argument(
            "slice",
            f"begin and size need {x.ndim} entries for shape "
            f"{tuple(x.shape)}, received {begin} and {size}",
        )
    index = []
    for b, s, n in zip(begin, size, x.shape):
        end = n if s == -1 else b + s
        if b < 0 or s < -1 or end > n:
            raise invalid_argument(
                "slice",
                f"begin {begin} and size {size} are out of bounds for shape {tuple(x.shape)}",
            )
        index.append(_py_slice(b, end))
    return GetItem(tuple(index))(x)


def _int_list(value, op, name):
    return int_list(op, name, value)


def strided_slice(
    input_,
    begin,
    end,
    strides=None,
    begin_mask=0,
    end_mask=0,
    ellipsis_mask=0,
    new_axis_mask=0,
    shrink_axis_mask=0,
    var=None,
    name=None,
) -> Tensor:
    """TensorFlow's strided slice: ``begin:end:strides`` per axis, with the bit masks."""
    x = as_tensor(input_)
    begin = _int_list(begin, "strided_slice", "begin")
    end = _int_list(end, "strided_slice", "end")
    strides = (
        [1] * len(begin) if strides is None else _int_list(strides, "strided_slice", "strides")
    )
    if not len(begin) == len(end) == len(strides):
        raise invalid_argument(
            "strided_slice",
            f"begin, end and strides need one length, received {begin}, {end}, {strides}",
        )
    if 0 in strides:
        raise invalid_argument("strided_slice", f"strides must be non-zero, received {strides}")
    index = []
    for i, (b, e, s) in enumerate(zip(begin, end, strides)):
        bit = 1 << i
        if ellipsis_mask & bit:
            index.append(Ellipsis)
        elif new_axis_mask & bit:
            index.append(None)
        elif shrink_axis_mask & bit:
            index.append(b)
        else:
            index.append(
                _py_slice(None if begin_mask & bit else b, None if end_mask & bit else e, s)
            )
    return getitem(x, tuple(index))


def gather(params, indices, validate_indices=None, axis=None, batch_dims=0, name=None) -> Tensor:
    """Slices of ``params`` at ``indices`` along ``axis`` (default 0), the first
    ``batch_dims`` axes of both being batch axes; differentiable in ``params`` (dense
    gradients: the ops built on it; ``tf.gather`` is ``gather_v2``)."""
    return _gather(params, indices, axis, batch_dims, rows=False)


def gather_v2(params, indices, validate_indices=None, axis=None, batch_dims=0, name=None):
    """``tf.gather``: slices of ``params`` at ``indices`` along ``axis`` (default 0), the
    first ``batch_dims`` axes of both being batch axes. As in TensorFlow, ``tape.gradient``
    of a variable read only by row gathers (axis 0) is a ``tf.IndexedSlices``."""
    return _gather(params, indices, axis, batch_dims, rows=True)


def _gather(params, indices, axis, batch_dims, rows: bool) -> Tensor:
    x = as_tensor(params)
    if x.ndim == 0:
        raise invalid_argument("gather", "params must have rank >= 1, received a scalar")
    axis = batch_dims if axis is None else axis
    (ax,) = normalize_axis(axis, x.ndim, "gather")
    idx = _checked_indices(indices, x, "gather", x.shape[ax])
    batch_dims = as_int("gather", "batch_dims", batch_dims)
    if batch_dims < 0:
        batch_dims += idx.ndim
    if not 0 <= batch_dims <= min(ax, idx.ndim) or tuple(idx.shape[:batch_dims]) != tuple(
        x.shape[:batch_dims]
    ):
        raise invalid_argument(
            "gather",
            f"batch_dims={batch_dims} needs the first {batch_dims} "
            f"axes of params {tuple(x.shape)} and indices "
            f"{tuple(idx.shape)} to match, and axis >= batch_dims",
        )
    if batch_dims == 0:
        fn = GetItem((_py_slice(None),) * ax + (idx,))
        # an index array copies the elements, and the backward needs x's shape only (a 0-d
        # index picks a view: NumPy's basic indexing)
        fn.fresh_output = idx.ndim > 0
        if ax == 0 and rows:
            # rows of params: a tape's gradient of a variable read only here is a
            # tf.IndexedSlices of these rows, as TensorFlow's (autodiff/sparse_rows.py)
            fn.sparse_rows = idx
        return fn(x)
    from .shape import transpose

    moved = (
        x
        if ax == batch_dims
        else transpose(
            x, list(range(batch_dims)) + [ax] + [i for i in range(batch_dims, x.ndim) if i != ax]
        )
    )
    xp = x._device.xp
    extra = idx.ndim - batch_dims
    aranges = tuple(
        xp.arange(n).reshape((1,) * i + (n,) + (1,) * (batch_dims - i - 1 + extra))
        for i, n in enumerate(x.shape[:batch_dims])
    )
    out = GetItem(aranges + (idx,))(moved)
    if ax == batch_dims:
        return out
    # out: [B..., I..., params[batch_dims:ax], params[ax+1:]] -> TF's order
    middle = ax - batch_dims
    b, i_end = batch_dims, batch_dims + extra
    perm = (
        list(range(b))
        + list(range(i_end, i_end + middle))
        + list(range(b, i_end))
        + list(range(i_end + middle, out.ndim))
    )
    return transpose(out, perm)


def _checked_indices(indices, x, op, limit):
    t = indices if isinstance(indices, Tensor) else as_tensor(indices, device=x._device)
    if t.dtype.kind not in "iu":
        raise unsupported_dtype(op, f"indices must be integers, received dtype {t.dtype.name}")
    data = t._data if t._device is x._device else x._device.asarray(t.numpy())
    if data.size and (int(data.min()) < 0 or int(data.max()) >= limit):
        raise invalid_argument(
            op,
            f"indices must be in [0, {limit}), received values in "
            f"[{int(data.min())}, {int(data.max())}]",
        )
    return data


def _nd_index(indices, target_shape, op, batch_dims=0):
    """The index tuple for ``x[...]`` from gather_nd-style ``indices [..., k]``."""
    idx = indices
    if idx.ndim < 1:
        raise invalid_argument(op, "indices must have rank >= 1 (last axis: coordinates)")
    k = idx.shape[-1]
    if batch_dims and (
        idx.ndim <= batch_dims or tuple(idx.shape[:batch_dims]) != tuple(target_shape[:batch_dims])
    ):
        raise invalid_argument(
            op,
            f"with batch_dims={batch_dims}, the first {batch_dims} axes of the indices (shape "
            f"{tuple(idx.shape)}) must match those of the tensor (shape {tuple(target_shape)})",
        )
    if k > len(target_shape) - batch_dims:
        raise invalid_argument(
            op,
            f"indices address {k} axes but the tensor of shape "
            f"{tuple(target_shape)} has {len(target_shape) - batch_dims}",
        )
    for j in range(k):
        column = idx[..., j]
        n = target_shape[batch_dims + j]
        if column.size and (int(column.min()) < 0 or int(column.max()) >= n):
            raise invalid_argument(
                op,
                f"indices[..., {j}] must be in [0, {n}), received values "
                f"in [{int(column.min())}, {int(column.max())}]",
            )
    return tuple(idx[..., j] for j in range(k))


def _int_indices(indices, device, op):
    t = indices if isinstance(indices, Tensor) else as_tensor(indices, device=device)
    if t.dtype.kind not in "iu":
        raise unsupported_dtype(op, f"indices must be integers, received dtype {t.dtype.name}")
    return t._data if t._device is device else device.asarray(t.numpy())


class GatherNd(Function):
    """``x`` at the coordinates in the last axis of ``idx`` (an input of the op, so that a
    compiled step replays it with each call's indices), after the constant ``prefix``
    (the batch axes' aranges)."""

    keeps_strings = True  # also moves tf.string elements

    def __init__(self, prefix: tuple) -> None:
        self.prefix = prefix

    def forward(self, x, idx):
        self.index = self.prefix + tuple(idx[..., j] for j in range(idx.shape[-1]))
        return x[self.index]

    def backward(self, F, g):
        return F.scatter_add(g, self.index, self._xs[0].shape), None


def gather_nd(params, indices, batch_dims=0, name=None) -> Tensor:
    """``params`` at the coordinates in the last axis of ``indices``."""
    x = as_tensor(params)
    t = indices if isinstance(indices, Tensor) else as_tensor(indices, device=x._device)
    idx = _int_indices(t, x._device, "gather_nd")
    if idx is not t._data:  # moved from another device
        t = Tensor(idx, device=x._device)
    batch_dims = as_int("gather_nd", "batch_dims", batch_dims, minimum=0)
    _nd_index(idx, x.shape, "gather_nd", batch_dims)  # checks shapes and bounds
    prefix = ()
    if batch_dims:
        xp = x._device.xp
        extra = idx.ndim - 1 - batch_dims
        prefix = tuple(
            xp.arange(n).reshape((1,) * i + (n,) + (1,) * (batch_dims - i - 1 + extra))
            for i, n in enumerate(x.shape[:batch_dims])
        )
    return GatherNd(prefix)(x, t)


class _ScatterNd(Function):
    """``tensor`` with ``updates`` written (mode "update"), added, subtracted, or combined by
    min/max at the coordinates in the last axis of ``idx`` (an input of the op, as
    GatherNd's, so that a compiled step replays it with each call's indices)."""

    def __init__(self, mode) -> None:
        self.mode = mode

    def forward(self, tensor, updates, idx):
        self.index = tuple(idx[..., j] for j in range(idx.shape[-1]))
        out = tensor.copy()
        xp = self.xp
        if self.mode == "update":
            out[self.index] = updates
        elif self.mode in ("max", "min"):
            getattr(self.xp, "maximum" if self.mode == "max" else "minimum").at(
                out, self.index, updates
            )
        else:
            xp.add.at(out, self.index, updates if self.mode == "add" else -updates)
        return out

    def _extremum_backward(self, F, g):
        # TensorFlow's rule: the gradient goes to every input equal to the result, split
        # evenly between ties.
        xp = self.xp
        x, y, z = self._xs[0], self._xs[1], self._y
        x_hits = (x == z).astype(g.dtype)
        y_hits = (y == z[self.index]).astype(g.dtype)
        count = x_hits.copy()
        xp.add.at(count, self.index, y_hits)
        gx = g * F.const(x_hits / count) if self.needs_grad[0] else None
        gy = F.getitem(g * F.const(1 / count), self.index) * F.const(y_hits)
        return gx, gy if self.needs_grad[1] else None, None

    def backward(self, F, g):
        if self.mode in ("max", "min"):
            return self._extremum_backward(F, g)
        gt = g
        if self.mode == "update" and self.needs_grad[0]:
            keep = self.xp.ones(self._xs[0].shape, dtype=g.dtype)
            keep[self.index] = 0
            gt = g * F.const(keep)
        gu = F.getitem(g, self.index) if self.needs_grad[1] else None
        if gu is not None and self.mode == "sub":
            gu = -gu
        return gt, gu, None


def _scatter(tensor, indices, updates, mode, op):
    t = as_tensor(tensor)
    # As TensorFlow: Python/NumPy updates convert to the tensor's dtype (1.5 into int32 is
    # a TypeError); a tensor of another dtype is an error, never a silent cast.
    u = as_tensor(updates, device=t._device, dtype=None if isinstance(updates, Tensor) else t.dtype)
    if u.dtype != t.dtype:
        raise invalid_argument(
            op, f"updates must have the tensor's dtype {t.dtype.name}, received {u.dtype.name}"
        )
    it = indices if isinstance(indices, Tensor) else as_tensor(indices, device=t._device)
    idx = _int_indices(it, t._device, op)
    if idx is not it._data:  # moved from another device
        it = Tensor(idx, device=t._device)
    _nd_index(idx, t.shape, op)  # checks shapes and bounds
    expected = tuple(idx.shape[:-1]) + tuple(t.shape[idx.shape[-1] :])
    if tuple(u.shape) != expected:
        raise invalid_argument(
            op,
            f"updates must have shape {expected} for indices "
            f"{tuple(idx.shape)} and tensor {tuple(t.shape)}, received "
            f"{tuple(u.shape)}",
        )
    return _ScatterNd(mode)(t, u, it)


def scatter_nd(indices, updates, shape, name=None) -> Tensor:
    """Zeros of ``shape`` with ``updates`` added at ``indices`` (repeats add up)."""
    u = as_tensor(updates)
    from ._common import as_shape

    zeros = Tensor._wrap(u._device.xp.zeros(as_shape("scatter_nd", shape), u.dtype), u._device)
    return _scatter(zeros, indices, u, "add", "scatter_nd")


def tensor_scatter_nd_update(tensor, indices, updates, name=None) -> Tensor:
    """A copy of ``tensor`` with ``updates`` written at ``indices``."""
    return _scatter(tensor, indices, updates, "update", "tensor_scatter_nd_update")


def tensor_scatter_nd_add(tensor, indices, updates, name=None) -> Tensor:
    """A copy of ``tensor`` with ``updates`` added at ``indices``."""
    return _scatter(tensor, indices, updates, "add", "tensor_scatter_nd_add")


def tensor_scatter_nd_sub(tensor, indices, updates, name=None) -> Tensor:
    """A copy of ``tensor`` with ``updates`` subtracted at ``indices``."""
    return _scatter(tensor, indices, updates, "sub", "tensor_scatter_nd_sub")


def tensor_scatter_nd_max(tensor, indices, updates, name=None) -> Tensor:
    """A copy of ``tensor`` with each element at ``indices`` the max of it and the updates."""
    return _scatter(tensor, indices, updates, "max", "tensor_scatter_nd_max")


def tensor_scatter_nd_min(tensor, indices, updates, name=None) -> Tensor:
    """A copy of ``tensor`` with each element at ``indices`` the min of it and the updates."""
    return _scatter(tensor, indices, updates, "min", "tensor_scatter_nd_min")


def boolean_mask(tensor, mask, axis=None, name=None) -> Tensor:
    """The elements (or slices) of ``tensor`` where ``mask`` is true, flattened over the
    masked axes."""
    x = as_tensor(tensor)
    m = as_tensor(mask, device=x._device)
    if m.dtype != dtypes.bool_ and m.dtype.kind not in "iuf":
        # As TensorFlow (its Where op): a numeric mask keeps the non-zero entries.
        raise unsupported_dtype(
            "boolean_mask", f"mask must be a bool or numeric tensor, received dtype {m.dtype.name}"
        )
    ax = 0 if axis is None else normalize_axis(axis, x.ndim, "boolean_mask")[0]
    # TensorFlow checks these shapes statically: ValueErrors.
    if m.ndim == 0:
        raise ValueError("boolean_mask: mask cannot be scalar.")
    if tuple(x.shape[ax : ax + m.ndim]) != tuple(m.shape):
        raise ValueError(
            f"boolean_mask: mask of shape {tuple(m.shape)} does not match "
            f"the shape {tuple(x.shape)} from axis {ax}"
        )
    coords = _mask_coords(m)  # a host step when traced: each call's own mask
    return GetItem((_py_slice(None),) * ax + tuple(c._data for c in coords))(x)


@host_call(effect=False)
def _mask_coords(mask: Tensor) -> tuple:
    """The coordinates of ``mask``'s true (non-zero) entries, one index tensor per axis."""
    return tuple(Tensor._wrap(c, mask._device) for c in mask._device.xp.nonzero(mask._data))


@host_call(effect=False)  # not an autodiff Function: one host step when traced
def where_indices(condition: Tensor) -> Tensor:
    """Coordinates of the true (non-zero) elements, shape ``[n, rank]`` int64."""
    xp = condition._device.xp
    if condition.ndim == 0:  # a scalar: one coordinate of rank 0 when true
        out = xp.zeros((int(bool(condition._data)), 0))
    else:
        out = xp.stack(xp.nonzero(condition._data), axis=1)
    return Tensor._wrap(out.astype(np.int64), condition._device)


@host_call(effect=False)
def one_hot(
    indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None
) -> Tensor:
    """One-hot vectors of length ``depth`` along ``axis`` (default last); indices outside
    ``[0, depth)`` give all-``off_value`` rows, as TensorFlow."""
    if isinstance(indices, (np.ndarray, np.generic)) and indices.dtype.kind == "f":
        # TensorFlow converts a NumPy float array to the int64 indices (truncating); float
        # tensors and Python float lists are refused
        indices = np.asarray(indices).astype(np.int64)
    idx = as_tensor(indices)
    if idx.dtype.kind not in "iu":
        raise unsupported_dtype(
            "one_hot",
            f"indices must be integers (uint8, int8, int32, int64), received a "
            f"{idx.dtype.name} tensor; cast it with tf.cast(indices, tf.int64)",
        )
    depth = as_int("one_hot", "depth", depth, minimum=0)
    dt = _one_hot_dtype(on_value, off_value, dtype)
    xp = idx._device.xp
    on = as_tensor(1 if on_value is None else on_value, dtype=None if on_value is None else dt)
    off = as_tensor(0 if off_value is None else off_value, dtype=None if off_value is None else dt)
    on = xp.asarray(_item(on), dtype=dt)
    off = xp.asarray(_item(off), dtype=dt)
    hot = idx._data[..., None] == xp.arange(depth)
    out = xp.where(hot, on, off)
    if axis is not None and axis != -1:
        (ax,) = normalize_axis(axis, idx.ndim + 1, "one_hot")
        out = xp.moveaxis(out, -1, ax)
    return Tensor._wrap(out, idx._device)


def _one_hot_dtype(on_value, off_value, dtype):
    """TensorFlow's rule: ``dtype`` when given (``on_value``/``off_value`` must have it),
    else the dtype of ``on_value`` (or ``off_value``) as a tensor (a Python int gives
    int32), else float32; ``on_value`` and ``off_value`` of two dtypes are a TypeError."""
    want = None if dtype is None else dtypes.as_dtype(dtype, "one_hot")
    found = {}
    for name, value in (("on_value", on_value), ("off_value", off_value)):
        if value is None:
            continue
        if isinstance(value, Tensor):
            found[name] = value.dtype
            continue
        try:  # TensorFlow converts with dtype as a hint: 5 becomes a float32 5.0
            found[name] = as_tensor(value, dtype=want).dtype
        except (TypeError, ValueError):
            found[name] = as_tensor(value).dtype
    for name, got in found.items():
        if want is not None and got != want:
            raise invalid_type(
                "one_hot", f"dtype {got.name} of {name} does not match dtype parameter {want.name}"
            )
    if len(found) == 2 and found["on_value"] != found["off_value"]:
        raise invalid_type(
            "one_hot",
            f"dtype {found['on_value'].name} of on_value does not match dtype "
            f"{found['off_value'].name} of off_value",
        )
    if want is not None:
        return want
    return next(iter(found.values()), dtypes.float32)


def _item(value):
    return value.item() if isinstance(value, Tensor) else value


@host_call(effect=False)
def sequence_mask(lengths, maxlen=None, dtype="bool", name=None) -> Tensor:
    """``mask[..., j] = j < lengths[...]``, with ``maxlen`` columns (default max length)."""
    t = as_tensor(lengths)
    if t.dtype.kind not in "iu":
        raise unsupported_dtype(
            "sequence_mask", f"lengths must be integers, received dtype {t.dtype.name}"
        )
    xp = t._device.xp
    width = (
        (int(t._data.max()) if t.size else 0)
        if maxlen is None
        else as_int("sequence_mask", "maxlen", maxlen, minimum=0)
    )
    mask = xp.arange(width) < t._data[..., None]
    return Tensor._wrap(mask.astype(dtypes.as_dtype(dtype)), t._device)
