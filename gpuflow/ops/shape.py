"""Shape ops: reshape, transpose, expand_dims, squeeze, concat, stack, indexing, gather."""
from __future__ import annotations

import numpy as np

from .. import dtypes
from ..autodiff.function import Function
from ..errors import invalid_argument
from ..tensor import Tensor
from ._common import as_tensor, normalize_axis, unbroadcast
from .cast import cast


class Reshape(Function):
    def __init__(self, shape) -> None:
        self.shape = shape

    def forward(self, x):
        self.source = x.shape
        return x.reshape(self.shape)

    def backward(self, g):
        return (g.reshape(self.source),)


def reshape(tensor, shape) -> Tensor:
    """``tensor`` with a new shape of the same size (one dimension may be -1)."""
    x = as_tensor(tensor)
    shape = tuple(int(n) for n in (shape.numpy().tolist() if isinstance(shape, Tensor) else shape))
    known = int(np.prod([n for n in shape if n != -1]))
    if shape.count(-1) > 1 or (-1 not in shape and known != x.size) or \
            (-1 in shape and (known == 0 or x.size % known)):
        raise invalid_argument("reshape", f"cannot reshape a tensor of shape {tuple(x.shape)} "
                                          f"({x.size} elements) into shape {shape}")
    if shape == tuple(x.shape):
        return x
    return Reshape(shape)(x)


class Transpose(Function):
    def __init__(self, perm) -> None:
        self.perm = perm

    def forward(self, x):
        return x.transpose(self.perm)

    def backward(self, g):
        return (g.transpose(np.argsort(self.perm)),)


def transpose(a, perm=None) -> Tensor:
    """Permute the axes (reverse them when ``perm`` is None)."""
    x = as_tensor(a)
    perm = tuple(reversed(range(x.ndim))) if perm is None else tuple(int(p) % max(x.ndim, 1) for p in perm)
    if sorted(perm) != list(range(x.ndim)):
        raise invalid_argument(
            "transpose",
            f"perm {perm} is not a permutation of the {x.ndim} axes of shape {tuple(x.shape)}")
    return Transpose(perm)(x)


def expand_dims(input, axis) -> Tensor:  # noqa: A002 - TensorFlow's name
    x = as_tensor(input)
    if not -x.ndim - 1 <= axis <= x.ndim:
        raise invalid_argument(
            "expand_dims", f"axis {axis} is out of range for a tensor of rank {x.ndim}")
    axis = axis % (x.ndim + 1)
    shape = list(x.shape)
    shape.insert(axis, 1)
    return Reshape(tuple(shape))(x)


def squeeze(input, axis=None) -> Tensor:  # noqa: A002
    x = as_tensor(input)
    axes = normalize_axis(axis, x.ndim, "squeeze")
    if axes is None:
        axes = tuple(i for i, n in enumerate(x.shape) if n == 1)
    for a in axes:
        if x.shape[a] != 1:
            raise invalid_argument(
                "squeeze", f"axis {a} has size {x.shape[a]}, expected 1 (shape {tuple(x.shape)})")
    return Reshape(tuple(n for i, n in enumerate(x.shape) if i not in axes))(x)


class Concat(Function):
    def __init__(self, axis) -> None:
        self.axis = axis

    def forward(self, *xs):
        self.sizes = [x.shape[self.axis] for x in xs]
        return self.xp.concatenate(xs, axis=self.axis)

    def backward(self, g):
        bounds = np.cumsum(self.sizes)[:-1].tolist()  # host ints: CuPy's split takes no arrays
        return tuple(self.xp.split(g, bounds, axis=self.axis))


def concat(values, axis) -> Tensor:
    """Join tensors along an existing axis."""
    ragged = _first_ragged(values)
    if ragged is not None:  # tf.RaggedTensor inputs: gpuflow.ragged joins them
        return ragged._concat(values, axis)
    xs = _same_dtype([as_tensor(v) for v in values], "concat")
    (ax,) = normalize_axis(axis, xs[0].ndim, "concat")
    for x in xs[1:]:
        if x.ndim != xs[0].ndim or any(a != b for i, (a, b) in enumerate(zip(x.shape, xs[0].shape)) if i != ax):
            raise invalid_argument(
                "concat", f"shapes {tuple(xs[0].shape)} and {tuple(x.shape)} differ "
                          f"outside axis {ax}")
    return Concat(ax)(*xs)


def stack(values, axis=0) -> Tensor:
    """Join tensors of one shape along a new axis."""
    ragged = _first_ragged(values)
    if ragged is not None:
        return ragged._stack(values, axis)
    xs = _same_dtype([as_tensor(v) for v in values], "stack")
    for x in xs[1:]:
        if x.shape != xs[0].shape:
            raise invalid_argument(
                "stack",
                f"all shapes must match, received {tuple(xs[0].shape)} and {tuple(x.shape)}")
    return concat([expand_dims(x, axis) for x in xs], axis)


def _first_ragged(values):
    """The first RaggedTensor among ``values`` (they dispatch to gpuflow.ragged), or None."""
    if isinstance(values, (list, tuple)):
        for v in values:
            if getattr(v, "_is_ragged_tensor", False):
                return v
    return None


def _same_dtype(xs, op):
    if not xs:
        raise invalid_argument(op, "expected at least one tensor")
    common = dtypes.promote(*[x.dtype for x in xs])
    return [cast(x, common) for x in xs]


class GetItem(Function):
    def __init__(self, index) -> None:
        self.index = index

    def forward(self, x):
        self.shape, self.dtype = x.shape, x.dtype
        return x[self.index]

    def backward(self, g):
        gx = self.xp.zeros(self.shape, dtype=self.dtype)
        if _is_basic(self.index):
            gx[self.index] = g
        else:
            self.xp.add.at(gx, self.index, g)
        return (gx,)


def _is_basic(index) -> bool:
    items = index if isinstance(index, tuple) else (index,)
    return all(isinstance(i, (int, np.integer, slice)) or i is None or i is Ellipsis for i in items)


def _device_index(index, device):
    """Tensors inside an index become arrays of the indexed tensor's device."""
    if isinstance(index, tuple):
        return tuple(_device_index(i, device) for i in index)
    if isinstance(index, Tensor):
        return index._data if index._device is device else device.asarray(index.numpy())
    if isinstance(index, (list, np.ndarray)):
        return device.asarray(index)
    return index


def getitem(x, index) -> Tensor:
    """``x[index]`` with NumPy's indexing rules; differentiable."""
    x = as_tensor(x)
    index = _device_index(index, x._device)
    try:
        return GetItem(index)(x)
    except IndexError as exc:
        raise IndexError(f"indexing a tensor of shape {tuple(x.shape)}: {exc}") from None


def gather(params, indices, axis=0) -> Tensor:
    """Slices of ``params`` at ``indices`` along ``axis`` (differentiable in ``params``)."""
    x = as_tensor(params)
    (ax,) = normalize_axis(axis, x.ndim, "gather")
    idx = _device_index(as_tensor(indices, device=x._device), x._device)
    return GetItem((slice(None),) * ax + (idx,))(x)


class BroadcastTo(Function):
    def __init__(self, shape) -> None:
        self.shape = shape

    def forward(self, x):
        self.source = x.shape
        return self.xp.broadcast_to(x, self.shape)

    def backward(self, g):
        return (unbroadcast(g, self.source),)


def broadcast_to(input, shape) -> Tensor:  # noqa: A002
    x = as_tensor(input)
    try:
        np.broadcast_shapes(tuple(x.shape), tuple(shape))
    except ValueError:
        raise invalid_argument(
            "broadcast_to", f"cannot broadcast shape {tuple(x.shape)} to {tuple(shape)}") from None
    return BroadcastTo(tuple(shape))(x)


class Tile(Function):
    def __init__(self, multiples) -> None:
        self.multiples = multiples

    def forward(self, x):
        self.shape = x.shape
        return self.xp.tile(x, self.multiples)

    def backward(self, g):
        split = []
        for rep, n in zip(self.multiples, self.shape):
            split += [rep, n]
        axes = tuple(range(0, 2 * len(self.shape), 2))
        return (g.reshape(split).sum(axis=axes),)


def tile(input, multiples) -> Tensor:  # noqa: A002
    x = as_tensor(input)
    multiples = tuple(int(m) for m in multiples)
    if len(multiples) != x.ndim:
        raise invalid_argument(
            "tile", f"expected {x.ndim} multiples for shape {tuple(x.shape)}, received {multiples}")
    return Tile(multiples)(x)


def one_hot(indices, depth, dtype="float32") -> Tensor:
    """One-hot rows of length ``depth`` (out-of-range indices give all-zero rows, as TensorFlow)."""
    idx = as_tensor(indices)
    xp = idx._device.xp
    out = (idx._data[..., None] == xp.arange(int(depth))).astype(dtypes.as_dtype(dtype))
    return Tensor._wrap(out, idx._device)


def where_indices(condition: Tensor) -> Tensor:
    """Coordinates of the true elements, shape ``[n, rank]`` int64 (``where`` with one argument)."""
    xp = condition._device.xp
    return Tensor._wrap(xp.stack(xp.nonzero(condition._data), axis=1).astype(np.int64), condition._device)


def shape(input) -> Tensor:  # noqa: A002
    x = as_tensor(input)
    return Tensor._wrap(x._device.asarray(np.array(x.shape, dtype=np.int32)), x._device)


def size(input) -> Tensor:  # noqa: A002
    x = as_tensor(input)
    return Tensor._wrap(x._device.asarray(np.array(x.size, dtype=np.int32)), x._device)


def rank(input) -> Tensor:  # noqa: A002
    x = as_tensor(input)
    return Tensor._wrap(x._device.asarray(np.array(x.ndim, dtype=np.int32)), x._device)
