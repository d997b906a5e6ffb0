"""``tf.custom_gradient``: a function whose gradient the user supplies."""

from __future__ import annotations

import functools
import inspect

from .. import nest
from ..tensor import Tensor, Variable
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
        n = len(self.inputs) - len(self.variables)
        # A compiled step's replay gives the op this call's input arrays (_xs): the input
        # tensors grad_fn closes over (recompute_grad's inputs) must hold them too.
        for x, array in zip(self.inputs[:n], self._xs or ()):
            if x._data is not array and not isinstance(x, Variable):
                x._data = array
        upstream = g if F.tensors else Tensor._wrap(g, self.device)
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
            if grad is None:
                out.append(None)
                continue
            if not isinstance(grad, Tensor):
                from ..ops.creation import constant

                grad = constant(grad, dtype=x.dtype, device=x.device)
            out.append(grad if F.tensors else grad._data)
        return tuple(out)


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
            if t._node is not None:
                stack.append(t._node)
            elif isinstance(t, Variable) and t._trainable and id(t) not in skip:
                found[id(t)] = t
    return list(found.values())
