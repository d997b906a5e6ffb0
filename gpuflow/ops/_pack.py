"""TensorFlow's auto-packing: a (nested) list holding tensors, given where a tensor is
expected (``tf.reduce_sum([loss_a, loss_b])``), is stacked by a recorded, differentiable op
-- gradients reach each element and a compiled function replays it. A leaf of gpuflow.ops
(:mod:`._convert` uses it)."""

from __future__ import annotations

from ..autodiff.function import Function
from ..tensor import Tensor


class Pack(Function):
    """Stacks same-shape, same-dtype tensors along a new first axis."""

    keeps_strings = True

    def forward(self, *xs):
        return self.xp.stack(xs, axis=0)

    def backward(self, F, g):
        pieces = F.split(g, [1] * len(self._xs), 0)
        return tuple(F.reshape(p, x.shape) for p, x in zip(pieces, self._xs))


def holds_tensor(value) -> bool:
    """Whether a list or tuple holds a Tensor at any depth."""
    return any(
        isinstance(v, Tensor) or (isinstance(v, (list, tuple)) and holds_tensor(v)) for v in value
    )


def _first_tensor(value):
    for v in value:
        if isinstance(v, Tensor):
            return v
        if isinstance(v, (list, tuple)):
            found = _first_tensor(v)
            if found is not None:
                return found
    return None


def pack(value, convert, dtype=None) -> Tensor:
    """``value`` (a list holding tensors) as one tensor; ``convert(v, device, dtype)`` turns
    each element into a tensor. Python numbers take the tensors' dtype and device, as in
    TensorFlow; tensors of different dtypes or shapes are an error."""
    first = _first_tensor(value)
    dtype = first.dtype if dtype is None else dtype
    elements = []
    for v in value:
        if isinstance(v, (list, tuple)) and holds_tensor(v):
            elements.append(pack(v, convert, dtype))
        else:
            elements.append(convert(v, first._device, dtype))
    for e in elements:
        if e.dtype != elements[0].dtype:
            raise TypeError(
                f"pack: cannot pack a list of tensors of different dtypes into one tensor, "
                f"received {elements[0].dtype.name} and {e.dtype.name}"
            )
        if tuple(e.shape) != tuple(elements[0].shape):
            raise ValueError(
                f"pack: cannot pack a list of tensors of different shapes into one tensor, "
                f"received {tuple(elements[0].shape)} and {tuple(e.shape)}"
            )
    return Pack()(*elements)
