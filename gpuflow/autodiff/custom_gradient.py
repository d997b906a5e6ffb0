"""``tf.custom_gradient``: a function whose gradient the user supplies."""

from __future__ import annotations

import functools
import inspect

from .. import nest
from .._tracing import tracing
from ..tensor import Tensor
from .function import Function


class _Custom(Function):
    """Wraps the user's ``grad_fn``; runs it on Tensors, so it is recorded when a tape
    differentiates the gradient again."""

    def __init__(self, grad_fn, name, variables) -> None:
        self.grad_fn, self.name, self.variables = grad_fn, name, variables

    def op_name(self) -> str:  # noqa: D102 - errors name the user's function
        return f"custom_gradient({self.name})"

    def forward(self, *xs):
        return self.result

    def backward(self, F, g):
        if not F.tensors:
            program = self.__dict__.get("program")
            if program is not None and tracing.trace is None:
                # a compiled replay: grad_fn as recorded, on this replay's arrays
                return program.run(self, g)
            if tracing.trace is not None:  # a gradient walk while tracing: record grad_fn
                return tuple(tracing.trace.custom_backward(self, g, self._gradients))
            g = Tensor._wrap(g, self.device)
        return tuple(None if t is None else t if F.tensors else t._data for t in self._gradients(g))

    def _gradients(self, upstream) -> list:
        """``grad_fn(upstream)`` as one Tensor (or None) per input of the op."""
        n = len(self.inputs) - len(self.variables)
        if self.variables:
            grads, var_grads = self.grad_fn(upstream, variables=list(self.variables))
            grads = list(nest.flatten(grads)) + list(var_grads)
        else:
            grads = self.grad_fn(upstream)
            grads = [grads] if isinstance(grads, Tensor) or grads is None else list(grads)
        if len(grads) != len(self.inputs):
            raise ValueError(
                f"custom_gradient({self.name}): grad_fn returned {len(grads)} "
                f"gradients for {n} inputs"
                + (f" and {len(self.variables)} variables" if self.variables else "")
            )
        out = []
        for grad, x in zip(grads, self.inputs):
            if grad is not None and not isinstance(grad, Tensor):
                from ..ops.creation import constant

                grad = constant(grad, dtype=x.dtype, device=x.device)
            out.append(grad)
        return out


def custom_gradient(f=None):
    """Decorator: ``f(*x)`` returns ``(y, grad_fn)``; ``grad_fn(upstream)`` returns the
    gradients of ``x`` (one per input). When ``f`` reads trainable Variables that are not
    inputs, ``grad_fn(upstream, variables=...)`` must return ``(input_grads, variable_grads)``.

    ``grad_fn`` runs on Tensors, so a gradient it computes can be differentiated again.
    """
    if f is None:
        return custom_gradient

    @functools.wraps(f)
    def wrapped(*args, **kwargs):
        from ..ops._common import as_tensor
        from .tape import GradientTape

        inputs = [as_tensor(a) for a in args]
        # Record f privately, only to find the Variables it reads.
        with GradientTape() as tape:
            tape.watch(inputs)
            y, grad_fn = f(*inputs, **kwargs)
        if not isinstance(y, Tensor):
            raise TypeError(
                f"custom_gradient({f.__name__}): the function must return "
                f"(tensor, grad_fn), received {type(y).__name__}"
            )
        variables = []
        if "variables" in inspect.signature(grad_fn).parameters:
            variables = _variables_read(y, inputs)
        fn = _Custom(grad_fn, f.__name__, variables)
        fn.result = y._data
        return fn(*inputs, *variables)

    return wrapped


def _variables_read(y: Tensor, inputs) -> list:
    """Trainable Variables (other than ``inputs``) that ``y``'s recorded graph reads."""
    from ..tensor import Variable

    skip = {id(t) for t in inputs}
    found, seen, stack = {}, set(), [y._node] if y._node is not None else []
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        for t in node.inputs:
            if id(t) in skip:  # an input: what computed it is outside f
                continue
            if t._node is not None:
                stack.append(t._node)
            elif isinstance(t, Variable) and t._trainable:
                found[id(t)] = t
    return list(found.values())
