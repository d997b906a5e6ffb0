"""``tf.custom_gradient``: a function whose gradient the user supplies."""

from __future__ import annotations

import functools
import inspect

import numpy as np

from .. import nest
from .._tracing import tracing
from ..tensor import Tensor
from .function import Function
from .state import is_tracked, state


class _Custom(Function):
    """Wraps the user's ``grad_fn``; runs it on Tensors, so it is recorded when a tape
    differentiates the gradient again."""

    shapes = None  # the output shapes when f returns several tensors (packed in one)

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
        """``grad_fn(*upstreams)`` as one Tensor (or None) per input of the op."""
        upstreams = [upstream] if self.shapes is None else _split(upstream, self.shapes)
        n = len(self.inputs) - len(self.variables)
        if self.variables:
            grads, var_grads = self.grad_fn(*upstreams, variables=list(self.variables))
            if len(var_grads) != len(self.variables):
                raise ValueError(
                    f"custom_gradient({self.name}): grad_fn must return a gradient for each "
                    f"variable ({len(self.variables)}), received {len(var_grads)}"
                )
            grads = list(nest.flatten(grads)) + list(var_grads)
        else:
            grads = list(nest.flatten(self.grad_fn(*upstreams)))
        if len(grads) != len(self.inputs):
            raise ValueError(
                f"custom_gradient({self.name}): grad_fn must return {n} gradients (one per "
                f"input), received {len(grads) - len(self.variables)}"
            )
        out = []
        for grad, x in zip(grads, self.inputs):
            if grad is not None and not isinstance(grad, Tensor):
                from ..ops.creation import constant

                grad = constant(grad, dtype=x.dtype, device=x.device)
            out.append(grad)
        return out


def custom_gradient(f=None):
    """Decorator: ``f(*x)`` returns ``(y, grad_fn)``; ``grad_fn(*upstream)`` returns the
    gradients of ``x`` (one per input tensor; ``x`` may be nested structures). ``y`` is a
    tensor or a structure of tensors, with one upstream gradient each (zeros for an output
    the gradient does not reach). When ``f`` reads trainable Variables that are not
    inputs, ``grad_fn(*upstream, variables=...)`` must return ``(input_grads,
    variable_grads)``.

    ``grad_fn`` runs on Tensors, so a gradient it computes can be differentiated again.
    """
    if f is None:
        return custom_gradient

    @functools.wraps(f)
    def wrapped(*args, **kwargs):
        from ..ops._common import as_tensor
        from .tape import GradientTape

        inputs = [as_tensor(a) for a in nest.flatten(args)]
        # Record f privately, only to find the Variables it reads.
        with GradientTape() as tape:
            tape.watch(inputs)
            result, grad_fn = f(*nest.pack_sequence_as(args, inputs), **kwargs)
        outputs = nest.flatten(result)
        if not outputs or not all(isinstance(y, Tensor) for y in outputs):
            raise TypeError(
                f"custom_gradient({f.__name__}): the function must return (y, grad_fn) with "
                f"y a tensor or a structure of tensors, received {type(result).__name__}"
            )
        variables = _variables_read(outputs, inputs)
        if variables and not _takes_variables(grad_fn):
            raise TypeError(
                f"custom_gradient({f.__name__}): grad_fn must accept keyword argument "
                f"'variables', since function uses variables: {[v.name for v in variables]}"
            )
        if state.recording and tracing.trace is None and not _any_tracked(inputs, variables):
            # As TensorFlow's eager custom_gradient: with no recorded input the custom op is
            # not recorded, and f's own ops (on captured watched tensors) stand as they ran.
            return result
        fn = _Custom(grad_fn, f.__name__, variables)
        if isinstance(result, Tensor):
            fn.shapes = None
            fn.result = result._data
            return fn(*inputs, *variables)
        fn.shapes = [tuple(y.shape) for y in outputs]
        fn.result = _packed(f.__name__, outputs)._data
        return nest.pack_sequence_as(result, _split(fn(*inputs, *variables), fn.shapes))

    return wrapped


def _any_tracked(inputs, variables) -> bool:
    return any([is_tracked(t) for t in inputs] + [is_tracked(v) for v in variables])


def _takes_variables(grad_fn) -> bool:
    params = inspect.signature(grad_fn).parameters
    return "variables" in params or any(p.kind is p.VAR_KEYWORD for p in params.values())


def _packed(name: str, outputs) -> Tensor:
    """Several outputs as one flat tensor (the custom op's one output)."""
    from ..ops.shape import concat, reshape

    dtypes = {y.dtype for y in outputs}
    if len(dtypes) > 1:
        raise TypeError(
            f"custom_gradient({name}): outputs of one dtype are supported, received "
            f"{sorted(d.name for d in dtypes)}; return them from separate functions"
        )
    return concat([reshape(y, [-1]) for y in outputs], 0)


def _split(flat: Tensor, shapes) -> list:
    """The packed outputs (or their gradients) back in their shapes."""
    from ..ops.shape import reshape

    parts, start = [], 0
    for shape in shapes:
        size = int(np.prod(shape, dtype=np.int64))
        parts.append(reshape(flat[start : start + size], list(shape)))
        start += size
    return parts


def _variables_read(outputs, inputs) -> list:
    """Trainable Variables (other than ``inputs``) that the outputs' recorded graph reads."""
    from ..tensor import Variable

    skip = {id(t) for t in inputs}
    stack = [y._node for y in outputs if y._node is not None and id(y) not in skip]
    found, seen = {}, set()
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
