"""Function: one differentiable op, its forward and backward side by side.

Subclasses implement ``forward(*arrays) -> array`` and ``backward(grad) -> tuple``
of input gradients (``None`` for an input that takes none), both on arrays of the
device's array module (``self.xp``). Non-tensor arguments (axes, shapes) go to the
constructor. Calling a Function on Tensors checks they share one device, runs
forward, and links the output into the graph when a tape records.
"""
from __future__ import annotations

from ..backend import mismatch_error
from ..errors import ResourceExhaustedError
from ..tensor import Tensor
from .state import is_tracked, state


class Function:
    """Base class of differentiable ops (see module docstring)."""

    inputs: tuple = ()
    needs_grad: tuple = ()

    def __call__(self, *inputs: Tensor) -> Tensor:
        device = inputs[0]._device
        for t in inputs[1:]:
            if t._device is not device:
                raise mismatch_error(self.op_name(), device, t._device)
        self.device = device
        self.xp = device.xp
        try:
            result = self.forward(*[t._data for t in inputs])
        except MemoryError as exc:  # NumPy's and CuPy's out-of-memory errors are MemoryErrors
            raise ResourceExhaustedError(
                None, self.op_name(), f"{self.op_name()}: out of memory on {device.name} "
                                      f"({exc})") from exc
        out = Tensor._wrap(result, self.output_device(device))
        for t in inputs:
            if t._trainable:  # out (a view, or a graph node's saved arrays) may share its array
                t._note_reader(out)
        if state.recording:
            needs = tuple([is_tracked(t) for t in inputs])
            if True in needs:
                self.inputs = inputs
                self.needs_grad = needs
                out._node = self
        if state.check_hook is not None:  # gpuflow.debugging, per thread
            state.check_hook(self, out._data, "forward")
        return out

    def output_device(self, device):
        return device

    def forward(self, *xs):
        raise NotImplementedError

    def backward(self, gy):
        raise NotImplementedError

    @classmethod
    def op_name(cls) -> str:
        return cls.__name__
