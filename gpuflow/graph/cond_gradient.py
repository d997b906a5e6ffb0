"""Gradients through ``gpuflow.cond`` on a traced predicate (a tape recording).

Both branches are recorded as one CondStep (``control_flow.py``). Their outputs are then
passed through a custom-gradient op (``autodiff/custom_gradient.py``) whose inputs are
the tensors the branches read from outside (what a tape differentiates them by: watched
tensors, variables, values computed before the cond). Its ``grad_fn`` is itself a cond on
the same predicate: each branch takes the gradient of that branch's outputs with respect
to those inputs. A trace records ``grad_fn`` as the op's backward program
(``custom_backward.py``), so each replay differentiates the branch its predicate took,
through that branch's ops, which keep this replay's arrays.
"""

from __future__ import annotations

from .. import nest
from ..autodiff.custom_gradient import custom_gradient
from ..autodiff.state import is_tracked
from ..tensor import Tensor, Variable


def differentiable_cond(trace, pred, true_fn, false_fn, record_cond):
    """``cond`` inside a trace while a tape records; ``record_cond(trace, pred, t, f)``
    records the CondStep and returns ``(result, [true outputs, false outputs])``."""
    from .trace import NotSupportedInGraphError

    first = len(trace.arrays)
    before = set(trace.slot_of)  # the arrays of tensors made before the cond
    result, structures = record_cond(trace, pred, true_fn, false_fn)
    # places where both branches return None carry no tensor (and no gradient)
    branch_outs = [[t for t in nest.flatten(s) if t is not None] for s in structures]
    flat_result = nest.flatten(result)
    outputs = [t for t in flat_result if t is not None]
    inputs = _outside_inputs(trace, branch_outs, first, before)
    if not inputs or not outputs:
        return result  # nothing a gradient could reach
    if len({t.dtype for t in outputs}) > 1 or not all(t.dtype.is_floating for t in outputs):
        raise NotSupportedInGraphError(
            "gpuflow.cond: gradients through a cond whose outputs are not all of one floating "
            "dtype, on a predicate computed inside gpuflow.function, are not supported yet; "
            "run the function eagerly (gpuflow.config.run_functions_eagerly(True))"
        )

    def branch_gradients(outs, upstream):
        seeds = [u._data for u in upstream]
        # the walk stops at the inputs: the custom op's own backward gives only the
        # paths inside the branch; the outer walk continues from the inputs
        return trace.gradient(outs, seeds, inputs, False, True, stop_at_sources=True)

    @custom_gradient
    def through(*unused):
        def grad_fn(*upstream):
            grads, _ = record_cond(
                trace,
                pred,
                lambda: branch_gradients(branch_outs[0], upstream),
                lambda: branch_gradients(branch_outs[1], upstream),
            )
            return list(grads)

        return (outputs[0] if isinstance(result, Tensor) else list(outputs)), grad_fn

    y = through(*inputs)
    if isinstance(result, Tensor):
        return y
    y = iter(y)
    return nest.pack_sequence_as(result, [None if t is None else next(y) for t in flat_result])


def _outside_inputs(trace, branch_outs, first: int, before: set) -> list:
    """The tracked tensors the branches' recorded graphs read from outside the branches
    (variables, tensors made before the cond: ``before`` holds their arrays' ids, slots
    from ``first`` on were made inside)."""
    found: dict = {}
    seen: set = set()
    stack: list = []

    def visit(t) -> None:
        slot = None if isinstance(t, Variable) else trace.slot_of.get(id(t._data))
        inside = slot is not None and slot >= first and id(t._data) not in before
        if inside:
            if t._node is not None and id(t._node) not in seen:
                seen.add(id(t._node))
                stack.append(t._node)
        elif is_tracked(t):
            found[id(t)] = t

    for outs in branch_outs:
        for t in outs:
            visit(t)
    while stack:
        fn = stack.pop()
        for t, need in zip(fn.inputs, fn.needs_grad):
            if need:
                visit(t)
    return list(found.values())
