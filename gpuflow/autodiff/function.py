"""Function: one differentiable op, its forward and backward side by side.

Subclasses implement ``forward(*arrays) -> array`` on arrays of the device's array
module (``self.xp``) and ``backward(F, g) -> tuple`` of input gradients (``None`` for
an input that takes none). Non-tensor arguments (axes, shapes) go to the constructor.

``backward`` is written once, against the namespace ``F`` it receives (see
``autodiff/grad_ops.py``): ``F.inputs(self)`` / ``F.output(self)`` are the op's inputs
and output, and ``F.exp``, ``F.reshape``, ``F.sum``, ... compute with them. For a plain
gradient ``F`` works on raw arrays (fast); when an outer GradientTape records the
gradient computation (second derivatives, gradient penalties, jacobians) ``F`` works on
Tensors through differentiable ops, so the backward pass is itself recorded. Arithmetic
operators (``+ - * / **``) and ``.shape`` work on both. Arrays an op saves in
``forward`` (masks, indices) enter a recorded backward as constants.
"""
from __future__ import annotations

from .._tracing import tracing
from ..backend import mismatch_error
from ..tensor import Tensor
from .state import is_tracked, state


class Function:
    """Base class of differentiable ops (see module docstring)."""

    inputs: tuple = ()
    needs_grad: tuple = ()
    #: False for ops whose backward is not built from differentiable ops: asking for a
    #: second derivative through one raises an error naming it (as TF's "no gradient").
    twice_differentiable = True
    #: hook run on each output (and each input gradient) by gpuflow.debugging.
    check_hook = None

    def __call__(self, *inputs: Tensor) -> Tensor:
        device = inputs[0]._device
        for t in inputs[1:]:
            if t._device is not device:
                raise mismatch_error(self.op_name(), device, t._device)
        self.device = device
        self.xp = device.xp
        arrays = [t._data for t in inputs]
        y = self.forward(*arrays)
        out = Tensor._wrap(y, self.output_device(device))
        if state.recording:
            needs = tuple([is_tracked(t) for t in inputs])
            if True in needs:
                self.inputs = inputs
                self.needs_grad = needs
                # The arrays as they were when the op ran (a Variable may be reassigned later).
                self._xs = arrays
                self._y = y
                out._node = self
        if Function.check_hook is not None:
            Function.check_hook(self, out._data, "forward")
        if tracing.trace is not None:  # inside gpuflow.function: this op is one step
            tracing.trace.record_op(self, inputs, arrays, y, out)
        return out

    def output_device(self, device):
        return device

    def forward(self, *xs):
        raise NotImplementedError

    def backward(self, F, g):
        raise NotImplementedError

    @classmethod
    def op_name(cls) -> str:
        return cls.__name__
