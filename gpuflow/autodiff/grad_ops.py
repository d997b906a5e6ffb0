"""The namespaces a backward pass computes with: raw arrays, or recorded Tensors.

Every ``Function.backward(F, g)`` is written once against ``F``. ``ArrayOps`` (one per
device) works on the device's arrays and is what a plain ``tape.gradient`` uses: no
Tensor is built, nothing is recorded. ``TensorOps`` (defined with the ops, in
``gpuflow/ops/_grad_ops.py``, and registered here) works on Tensors through differentiable
ops; ``tape.gradient`` uses it while an outer tape records, so that the gradient can be
differentiated again.
"""

from __future__ import annotations

import math

import numpy as np

from .. import dtypes

#: Up to this many elements, ``ArrayOps.broadcast_to`` copies rather than making a view.
_SMALL = 4096

#: Elementwise functions both namespaces offer under these names.
UNARY = (
    "exp",
    "log",
    "sqrt",
    "tanh",
    "sin",
    "cos",
    "tan",
    "sinh",
    "cosh",
    "sign",
    "abs",
    "log1p",
    "expm1",
    "square",
    "reciprocal",
    "sigmoid",
    "floor",
)
_XP_NAMES = {"reciprocal": None, "sigmoid": None}


class ArrayOps:
    """Backward math on one device's raw arrays (first-order gradients, the fast path)."""

    tensors = False

    def __init__(self, device) -> None:
        self.device = device
        self.xp = device.xp
        for name in UNARY:
            if name not in _XP_NAMES:
                setattr(self, name, getattr(self.xp, name))

    # -- the op's own values ----------------------------------------------------------
    @staticmethod
    def inputs(fn):
        return fn._xs

    @staticmethod
    def output(fn):
        return fn._y

    def const(self, array):
        """An array the op saved in forward (a mask, indices): used as it is."""
        return array

    def apply(self, fn, *arrays):
        """Run another op's forward on arrays (not recorded)."""
        fn.device, fn.xp = self.device, self.xp
        return fn.forward(*arrays)

    # -- math -------------------------------------------------------------------------
    @staticmethod
    def reciprocal(x):
        return 1 / x

    def sigmoid(self, x):
        e = self.xp.exp(-self.xp.abs(x))
        return self.xp.where(x >= 0, 1 / (1 + e), e / (1 + e))

    def erf(self, x):
        return self.device.erf(x)

    def where(self, cond, a, b):
        return self.xp.where(cond, a, b)

    def maximum(self, a, b):
        return self.xp.maximum(a, b)

    def matmul(self, a, b):
        return self.device.matmul(a, b)

    def cast(self, x, dtype):
        if x.dtype.kind == "c" and np.dtype(dtype).kind != "c":
            x = x.real  # as the Cast op: a complex to real cast keeps the real part
        return x.astype(dtype, copy=False)

    def conj(self, x):
        return self.xp.conj(x) if x.dtype.kind == "c" else x

    def zeros(self, shape, dtype, like=None):
        return self.xp.zeros(shape, dtype)

    @staticmethod
    def sum(x, axis=None, keepdims=False):
        return sum_array(x, axis, keepdims)

    @staticmethod
    def mean(x, axis=None, keepdims=False):
        return mean_array(x, axis, keepdims)

    def softmax(self, x, axis=-1):
        e = self.xp.exp(x - x.max(axis=axis, keepdims=True))
        return e / e.sum(axis=axis, keepdims=True)

    def unbroadcast(self, g, shape):
        """Sum ``g`` over the axes along which an input of ``shape`` was broadcast."""
        shape = tuple(shape)
        if g.shape == shape:
            return g
        axes = _broadcast_axes(g.shape, shape)
        if axes:
            g = self.sum(g, axes, keepdims=True)
        return g.reshape(shape)

    # -- shapes -----------------------------------------------------------------------
    @staticmethod
    def reshape(x, shape):
        return x.reshape(shape)

    @staticmethod
    def transpose(x, perm):
        return x.transpose(perm)

    def broadcast_to(self, x, shape):
        shape = tuple(shape)
        if x.shape == shape:
            return x
        if self.xp is np and math.prod(shape) <= _SMALL:
            # a small copy is cheaper than NumPy's broadcast_to view (microseconds of
            # Python per call): a compiled step's loss mean is broadcast on every replay
            out = np.empty(shape, x.dtype)
            np.copyto(out, x)
            return out
        return self.xp.broadcast_to(x, shape)

    def concat(self, xs, axis):
        return self.xp.concatenate(xs, axis=axis)

    def split(self, x, sizes, axis):
        bounds, total = [], 0
        for n in sizes[:-1]:
            total += n
            bounds.append(total)
        return self.xp.split(x, bounds, axis=axis)

    @staticmethod
    def getitem(x, index):
        return x[index]

    def scatter_add(self, g, index, shape):
        """Zeros of ``shape`` with ``g`` added at ``index`` (the adjoint of ``x[index]``)."""
        out = self.xp.zeros(shape, dtype=g.dtype)
        if is_basic_index(index):
            out[index] = g
        else:
            self.xp.add.at(out, index, g)
        return out

    def tile(self, x, multiples):
        return self.xp.tile(x, multiples)

    def pad(self, x, paddings):
        return self.xp.pad(x, paddings)


def _accumulated_sum(x, axis, keepdims):
    """``x``'s sum over ``axis`` in ``accumulation_dtype`` (float32 for float16). On NumPy
    arrays through ``np.add.reduce`` (the same reduction) without the Python wrapper of
    ``ndarray.sum``, which costs microseconds per call on small arrays."""
    acc = dtypes.accumulation_dtype(x.dtype)
    if isinstance(x, np.ndarray):
        if axis.__class__ is list:
            axis = tuple(axis)
        return np.add.reduce(x, axis, acc, None, keepdims)
    return x.sum(axis=axis, keepdims=keepdims, dtype=acc)


def row_max(x):
    """The maximum of each row of a 2-D array, as a column ``[rows, 1]`` (NumPy arrays
    through ``np.maximum.reduce``, without ``ndarray.max``'s Python wrapper)."""
    if isinstance(x, np.ndarray):
        return np.maximum.reduce(x, 1, None, None, True)
    return x.max(axis=1, keepdims=True)


def row_sum(x):
    """The sum of each row of a 2-D array in its own dtype, as a column ``[rows, 1]``."""
    if isinstance(x, np.ndarray):
        return np.add.reduce(x, 1, None, None, True)
    return x.sum(axis=1, keepdims=True)


def sum_array(x, axis=None, keepdims=False):
    """``x.sum(axis, keepdims)`` in ``accumulation_dtype``, cast back."""
    return _accumulated_sum(x, axis, keepdims).astype(x.dtype, copy=False)


def mean_array(x, axis=None, keepdims=False):
    """``x.mean(axis, keepdims)`` in ``accumulation_dtype`` then cast back, for floating
    arrays: NumPy's mean is the sum divided by the count, done here without its Python
    wrapper (several microseconds per call, a compiled step's loss pays it every replay).
    Other dtypes go to NumPy's mean, for its edge cases. The mean over no element is NaN,
    quietly, as TensorFlow's (NumPy would warn "Mean of empty slice")."""
    if x.dtype.kind != "f":
        acc = dtypes.accumulation_dtype(x.dtype)
        return x.mean(axis=axis, keepdims=keepdims, dtype=acc).astype(x.dtype, copy=False)
    if x.size == 0:
        acc = dtypes.accumulation_dtype(x.dtype)
        total = x.sum(axis=axis, keepdims=keepdims, dtype=acc)
        axes = range(x.ndim) if axis is None else np.atleast_1d(axis)
        count = math.prod(x.shape[int(a)] for a in axes)
        with np.errstate(invalid="ignore", divide="ignore"):
            return (total / count).astype(x.dtype, copy=False)
    total = _accumulated_sum(x, axis, keepdims)
    total = total / (x.size // total.size)
    return total.astype(x.dtype, copy=False)


def _broadcast_axes(gshape, shape):
    extra = len(gshape) - len(shape)
    return tuple(range(extra)) + tuple(
        i + extra for i, n in enumerate(shape) if n == 1 and gshape[i + extra] != 1
    )


def is_basic_index(index) -> bool:
    """Whether ``index`` selects a view (ints, slices, None, Ellipsis): no repeats."""
    import numpy as np

    items = index if isinstance(index, tuple) else (index,)
    return all(isinstance(i, (int, np.integer, slice)) or i is None or i is Ellipsis for i in items)


_array_ops: dict = {}
#: set by gpuflow/ops/_grad_ops.py when the ops load (the ops sit above autodiff).
tensor_ops = None


def array_ops(device) -> ArrayOps:
    ops = _array_ops.get(device)
    if ops is None:
        ops = _array_ops[device] = ArrayOps(device)
    return ops
