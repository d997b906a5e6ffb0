"""TensorOps: the backward namespace on Tensors, through differentiable ops.

``tape.gradient`` hands it to every ``Function.backward`` while an outer tape records,
so the gradient computation is itself recorded (see ``autodiff/grad_ops.py`` for the
array twin ``ArrayOps``, which has the same methods).
"""

from __future__ import annotations

from ..autodiff import grad_ops
from ..autodiff.grad_ops import UNARY, _broadcast_axes
from ..tensor import Tensor
from . import indexing, linalg, math, reduce, shape, unary


class TensorOps:
    """Backward math on Tensors; every result is recorded by the tapes that watch its inputs."""

    tensors = True

    @staticmethod
    def inputs(fn):
        return fn.inputs

    @staticmethod
    def output(fn):
        """The op's output as a Tensor linked to the op (so it differentiates through it)."""
        out = Tensor._wrap(fn._y, fn.output_device(fn.device))
        out._node = fn
        return out

    @staticmethod
    def const(array):
        return array

    @staticmethod
    def apply(fn, *tensors):
        """Run another op on Tensors (recorded)."""
        return fn(*tensors)

    @staticmethod
    def where(cond, a, b):
        device = next(t._device for t in (a, b, cond) if isinstance(t, Tensor))
        if not isinstance(cond, Tensor):
            cond = Tensor._wrap(cond, device)
        a, b = (
            x if isinstance(x, Tensor) else Tensor._wrap(device.xp.asarray(x), device)
            for x in (a, b)
        )
        return math.where(cond, a, b)

    maximum = staticmethod(math.maximum)
    matmul = staticmethod(linalg.matmul)
    cast = staticmethod(math.cast)

    @staticmethod
    def conj(x):
        from .complex_ops import conj

        return conj(x)

    erf = staticmethod(unary.erf)

    @staticmethod
    def zeros(shape_, dtype, like):
        return Tensor._wrap(like._device.xp.zeros(shape_, dtype), like._device)

    @staticmethod
    def sum(x, axis=None, keepdims=False):
        return reduce.reduce_sum(x, axis, keepdims)

    @staticmethod
    def mean(x, axis=None, keepdims=False):
        return reduce.reduce_mean(x, axis, keepdims)

    @staticmethod
    def softmax(x, axis=-1):
        from .nn import softmax

        return softmax(x, axis)

    @staticmethod
    def unbroadcast(g, shape_):
        shape_ = tuple(shape_)
        if tuple(g.shape) == shape_:
            return g
        axes = _broadcast_axes(tuple(g.shape), shape_)
        if axes:
            g = reduce.reduce_sum(g, axes, keepdims=True)
        return shape.reshape(g, shape_)

    reshape = staticmethod(shape.reshape)
    transpose = staticmethod(shape.transpose)
    broadcast_to = staticmethod(shape.broadcast_to)
    tile = staticmethod(shape.tile)

    @staticmethod
    def concat(xs, axis):
        return shape.concat(list(xs), axis)

    @staticmethod
    def split(x, sizes, axis):
        return shape.split(x, list(sizes), axis)

    @staticmethod
    def getitem(x, index):
        return indexing.GetItem(index)(x)

    @staticmethod
    def scatter_add(g, index, shape_):
        return indexing.ScatterAdd(index, tuple(shape_))(g)

    @staticmethod
    def pad(x, paddings):
        from .rearrange import pad

        return pad(x, paddings)


for _name in UNARY:
    if _name == "sign":
        setattr(TensorOps, _name, staticmethod(unary.sign))
    else:
        setattr(TensorOps, _name, staticmethod(getattr(unary, _name)))

grad_ops.tensor_ops = TensorOps()
