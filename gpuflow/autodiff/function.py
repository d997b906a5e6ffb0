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

import numpy as np

from .._tracing import tracing
from ..backend import mismatch_error
from ..errors import InvalidArgumentError, ResourceExhaustedError
from ..tensor import Tensor
from .gradient_registry import override_backward
from .gradient_registry import overrides as _overrides
from .state import is_tracked, state


class Function:
    """Base class of differentiable ops (see module docstring)."""

    inputs: tuple = ()
    needs_grad: tuple = ()
    _epoch = 0  # state.epoch when the op was recorded (GradientTape.reset)
    #: False for ops whose backward is not built from differentiable ops: asking for a
    #: second derivative through one raises an error naming it (as TF's "no gradient").
    twice_differentiable = True
    #: set for subclasses written against the older ``backward(self, g)`` (arrays only):
    #: they still give first derivatives; a second derivative through them is an error.
    _array_backward = False
    #: True for ops that only move elements (reshape, gather, concat, ...): they also run
    #: on tf.string tensors; any other op refuses them (see _strings_refused).
    keeps_strings = False
    #: True for ops whose backward is right for complex gradients (TensorFlow's convention:
    #: the gradient of a complex value is the conjugate of dL/dz). A complex gradient that
    #: reaches any other op (except the element-moving ``keeps_strings`` ones) raises
    #: NotImplementedError rather than giving a wrong gradient.
    complex_grads = False
    #: True on an op whose output is a fresh array and whose backward reads no input's
    #: values (a row gather): its output does not count as a reader of a Variable input,
    #: so the optimizer may still update that variable in place (Variable._update_buffer).
    fresh_output = False

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        code = getattr(cls.backward, "__code__", None)
        cls._array_backward = (
            code is not None and code.co_argcount == 2 and code.co_varnames[1] != "F"
        )

    def __call__(self, *inputs: Tensor) -> Tensor:
        device = inputs[0]._device
        for t in inputs[1:]:
            if t._device is not device:
                if not any(u._data.dtype is _OBJECT for u in inputs):
                    raise mismatch_error(self.op_name(), device, t._device)
                # tf.string tensors live on the host: the op runs there (indices, masks)
                inputs = tuple(u if u._device is _host() else u.to("cpu") for u in inputs)
                device = _host()
                break
        self.device = device
        self.xp = device.xp
        arrays = [t._data for t in inputs]
        # inside gpuflow.function: the constructor's arguments, before forward adds its own
        built = None if tracing.trace is None else dict(vars(self))
        try:
            y = self.forward(*arrays)
        except MemoryError as exc:  # NumPy's and CuPy's out-of-memory errors are MemoryErrors
            raise ResourceExhaustedError(
                None, self.op_name(), f"{self.op_name()}: out of memory on {device.name} ({exc})"
            ) from exc
        except TypeError:
            if any(a.dtype is _OBJECT for a in arrays):
                raise _strings_refused(self) from None
            raise
        if getattr(y, "dtype", None) is _OBJECT and not self.keeps_strings:
            raise _strings_refused(self)
        out = Tensor._wrap(y, self.output_device(device))
        if not self.fresh_output:
            for t in inputs:
                if t._trainable:  # out (a view, or a node's saved arrays) may share its array
                    t._note_reader(out)
        if state.recording:
            if state.substitutes is not None:
                inputs = tuple([state.substitutes.get(id(t), t) for t in inputs])
            needs = tuple([is_tracked(t) for t in inputs])
            if True in needs:
                self.inputs = inputs
                self.needs_grad = needs
                # The arrays as they were when the op ran (a Variable may be reassigned later).
                self._xs = arrays
                self._y = y
                self._epoch = state.epoch
                out._node = self
                if _overrides.active:  # tf.RegisterGradient + gradient_override_map
                    name = _overrides.active.get(self.op_name())
                    if name is not None:
                        override_backward(self, out, name)
        if state.check_hook is not None:  # gpuflow.debugging, per thread
            state.check_hook(self, out._data, "forward")
        if tracing.trace is not None:  # inside gpuflow.function: this op is one step
            tracing.trace.record_op(self, inputs, built, y, out)
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


_OBJECT = np.dtype(object)  # a tf.string tensor's array dtype (gpuflow/_string_arrays.py)


def _host():
    from ..backend import get_device

    return get_device("cpu")


def _strings_refused(fn: Function) -> Exception:
    """TensorFlow's error for an op that has no string kernel (``tf.exp`` of strings)."""
    return InvalidArgumentError(
        None,
        fn.op_name(),
        f"{fn.op_name()}: string tensors are not supported by this op (dtype string is not "
        "in its list of allowed dtypes); use the tf.strings ops on text",
    )
