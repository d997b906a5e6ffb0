"""``tf.autodiff.ForwardAccumulator`` (forward-mode JVPs) and ``tf.recompute_grad``.

gpuflow's autodiff is reverse mode; a Jacobian-vector product comes from it exactly by
the "double backward" identity: ``g(u) = J^T u`` (a gradient with output gradient ``u``)
is linear in ``u``, so ``d/du <g(u), v> = J v``. The accumulator records the ops run
inside its ``with`` block on a tape watching the primals; ``jvp(y)`` runs the gradient of
``y`` with a symbolic ``u`` under a second tape and differentiates it with respect to
``u``. Every op whose backward is written in differentiable ops (all of gpuflow's built-in
ops) supports it, nested accumulators and tapes included (Hessian-vector products).
"""

from __future__ import annotations

import functools

from .. import nest
from ..tensor import Tensor
from .tape import GradientTape, UnconnectedGradients


def _as_tensor(value):
    from ..ops.creation import convert_to_tensor

    return value if isinstance(value, Tensor) else convert_to_tensor(value)


class ForwardAccumulator:
    """Computes Jacobian-vector products of what runs inside its ``with`` block.

    Args:
        primals: a tensor or variable, or a nested structure of them, to differentiate at.
        tangents: the direction, in the structure and shapes of ``primals``.

    Example::

        with tf.autodiff.ForwardAccumulator(primals=x, tangents=v) as acc:
            y = f(x)
        acc.jvp(y)  # J_f(x) @ v
    """

    def __init__(self, primals, tangents) -> None:
        flat_primals = nest.flatten(primals)
        flat_tangents = nest.flatten(tangents)
        if len(flat_primals) != len(flat_tangents):
            raise ValueError(
                f"ForwardAccumulator: {len(flat_primals)} primals but {len(flat_tangents)} "
                "tangents; give one tangent per primal, in the same structure"
            )
        for p in flat_primals:
            if not isinstance(p, Tensor):
                raise TypeError(
                    f"ForwardAccumulator: primals must be tensors or variables, received "
                    f"{type(p).__name__}"
                )
        self._primals = flat_primals
        self._tangents = []
        for p, t in zip(flat_primals, flat_tangents):
            t = _as_tensor(t)
            if tuple(t.shape) != tuple(p.shape):
                raise ValueError(
                    f"ForwardAccumulator: tangent shape {list(t.shape)} does not match the "
                    f"primal's shape {list(p.shape)}"
                )
            if t.dtype != p.dtype:
                from ..ops.math import cast

                t = cast(t, p.dtype)
            self._tangents.append(t)
        self._tape = GradientTape(persistent=True, watch_accessed_variables=False)
        self._entered = False

    def __enter__(self) -> "ForwardAccumulator":
        if self._entered:
            raise ValueError("ForwardAccumulator: a with block can be entered only once")
        self._entered = True
        self._tape.__enter__()
        self._tape.watch(self._primals)
        return self

    def __exit__(self, *exc) -> None:
        self._tape.__exit__(*exc)

    def _jvp_one(self, target, zero: bool):
        if not isinstance(target, Tensor):
            raise TypeError(
                f"ForwardAccumulator.jvp: expected tensors, received {type(target).__name__}"
            )
        from ..ops.creation import zeros_like
        from ..ops.math import multiply
        from ..ops.reduce import reduce_sum

        if target.dtype.kind != "f":
            return zeros_like(target) if zero else None
        for p, t in zip(self._primals, self._tangents):
            if target is p:
                return t
        seed = zeros_like(target)
        with GradientTape() as outer:
            outer.watch(seed)
            grads = self._tape.gradient(
                target,
                self._primals,
                output_gradients=seed,
                unconnected_gradients=UnconnectedGradients.NONE,
            )
            pairs = [(g, t) for g, t in zip(grads, self._tangents) if g is not None]
            if not pairs:
                return zeros_like(target) if zero else None
            total = reduce_sum(multiply(pairs[0][0], pairs[0][1]))
            for g, t in pairs[1:]:
                total = total + reduce_sum(multiply(g, t))
        out = outer.gradient(total, seed, unconnected_gradients=UnconnectedGradients.ZERO)
        return out

    def jvp(self, primals, unconnected_gradients=UnconnectedGradients.NONE):
        """The Jacobian-vector product of each tensor in ``primals`` (any nest of tensors
        computed inside the block) in the direction of the tangents.

        Args:
            unconnected_gradients: ``NONE`` (``None`` for a tensor that does not depend on
                the primals) or ``ZERO`` (zeros of its shape).
        """
        zero = str(getattr(unconnected_gradients, "value", unconnected_gradients)).lower()
        if zero not in ("none", "zero"):
            raise ValueError(
                f"ForwardAccumulator.jvp: unconnected_gradients must be NONE or ZERO, "
                f"received {unconnected_gradients!r}"
            )
        return nest.map_structure(lambda t: self._jvp_one(t, zero == "zero"), primals)


def recompute_grad(f):
    """``f`` with the same values and gradients, its inner activations recomputed in the
    backward pass rather than kept (as ``tf.recompute_grad``).

    ``f`` takes tensors and returns one tensor; trainable Variables it reads get their
    gradients too. ``f`` must be deterministic (a random op draws again when recomputed).
    gpuflow records ``f`` once to find the Variables it reads, so the memory saving is
    not guaranteed; the gradients are exact.
    """
    from .custom_gradient import custom_gradient

    @functools.wraps(f)
    def inner(*args, **kwargs):
        @custom_gradient
        def run(*inputs):
            result = f(*inputs, **kwargs)

            def grad_fn(upstream, variables=None):
                # recomputed from the inputs' values only: a gradient reaching a Variable
                # through an input (an earlier layer's weight) flows back through the input
                # gradient, not a second time through this recomputation
                leaves = [_detached(t) for t in inputs]
                with GradientTape(watch_accessed_variables=False) as tape:
                    tape.watch(leaves + list(variables or []))
                    again = f(*leaves, **kwargs)
                sources = leaves + list(variables or [])
                grads = tape.gradient(again, sources, output_gradients=upstream)
                if variables:
                    return grads[: len(inputs)], grads[len(inputs) :]
                return grads

            return result, grad_fn

        return run(*args)

    return inner


def _detached(value):
    """A tensor input as a new leaf holding its values (other inputs as they are)."""
    if isinstance(value, Tensor):
        return Tensor._wrap(value._data, value._device)
    return value
