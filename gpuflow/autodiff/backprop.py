"""Reverse-mode walk: gradients of targets with respect to any tensors of the graph."""
from __future__ import annotations

from .state import state


def _topological(targets) -> list:
    """Functions reachable from ``targets``, each after every function that consumes its output."""
    order, seen = [], set()
    for target in targets:
        if target._node is None or id(target._node) in seen:
            continue
        stack = [(target._node, False)]
        while stack:
            fn, done = stack.pop()
            if done:
                order.append(fn)
                continue
            if id(fn) in seen:
                continue
            seen.add(id(fn))
            stack.append((fn, True))
            for t, need in zip(fn.inputs, fn.needs_grad):
                if need and t._node is not None and id(t._node) not in seen:
                    stack.append((t._node, False))
    order.reverse()
    return order


def backprop(targets, target_grads) -> tuple[dict, dict]:
    """Propagate ``target_grads`` (arrays) from ``targets`` back through the graph.

    Returns:
        ``(node_grads, leaf_grads)``: the gradient arrays of each function's output,
        keyed by ``id(function)``, and of each leaf tensor, keyed by ``id(tensor)``.
    """
    node_grads: dict[int, object] = {}
    leaf_grads: dict[int, object] = {}
    for t, g in zip(targets, target_grads):
        _accumulate(t, g, node_grads, leaf_grads)
    for fn in _topological(targets):
        gy = node_grads.get(id(fn))
        if gy is None:
            continue
        gxs = fn.backward(gy)
        for t, need, gx in zip(fn.inputs, fn.needs_grad, gxs):
            if need and gx is not None:
                if gx.dtype != t._data.dtype:
                    gx = gx.astype(t._data.dtype)
                if state.check_hook is not None:
                    state.check_hook(fn, gx, "backward")
                _accumulate(t, gx, node_grads, leaf_grads)
    return node_grads, leaf_grads


def _accumulate(t, g, node_grads, leaf_grads) -> None:
    grads, key = (node_grads, id(t._node)) if t._node is not None else (leaf_grads, id(t))
    previous = grads.get(key)
    grads[key] = g if previous is None else previous + g
