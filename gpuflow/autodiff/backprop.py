"""Reverse-mode walk: gradients of targets with respect to any tensors of the graph."""

from __future__ import annotations

from ..tensor import Tensor
from . import grad_ops
from .function import Function
from .sparse_rows import leaf_rows
from .state import state


def _topological(targets, min_epoch: int = 0, stop=frozenset(), wanted=None) -> list:
    """Functions reachable from ``targets``, each after every function that consumes its
    output; with ``min_epoch``, only those recorded since (a reset tape forgets the rest);
    the walk does not go past the tensors whose ids are in ``stop``; with ``wanted`` (the
    tensors whose gradients are asked for), only the functions through which a gradient
    reaches one of them (a frozen encoder under a trained head costs no backward pass)."""
    order, seen = [], set()
    if min_epoch:  # the older functions count as seen: the walk never enters them
        seen = _older_than(targets, min_epoch)
    for target in targets:
        if target._node is None or id(target._node) in seen or id(target) in stop:
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
                    if id(t) not in stop:
                        stack.append((t._node, False))
    order.reverse()
    return order if wanted is None else _leading_to(order, wanted)


def _leading_to(order: list, wanted) -> list:
    """The functions of ``order`` one of whose tracked inputs is a ``wanted`` tensor or is
    computed by such a function (their backward passes alone reach ``wanted``)."""
    leaves = {id(t) for t in wanted if t._node is None}
    nodes = {id(t._node) for t in wanted if t._node is not None}
    useful: set = set()
    for fn in reversed(order):  # producers before their consumers
        for t, need in zip(fn.inputs, fn.needs_grad):
            if not need:
                continue
            node = t._node
            if (id(t) in leaves) if node is None else (id(node) in nodes or id(node) in useful):
                useful.add(id(fn))
                break
    return [fn for fn in order if id(fn) in useful]


def _older_than(targets, min_epoch: int) -> set:
    """The ids of the functions reachable from ``targets`` recorded before ``min_epoch``."""
    old, stack, visited = set(), [t._node for t in targets if t._node is not None], set()
    while stack:
        fn = stack.pop()
        if id(fn) in visited:
            continue
        visited.add(id(fn))
        if fn._epoch < min_epoch:
            old.add(id(fn))
            continue
        stack.extend(t._node for t in fn.inputs if t._node is not None)
    return old


def backprop(
    targets,
    target_grads,
    record: bool = False,
    sources=None,
    min_epoch: int = 0,
    stop=frozenset(),
    wanted=None,
    sparse: bool = False,
) -> tuple[dict, dict]:
    """Propagate ``target_grads`` from ``targets`` back through the graph.

    Args:
        targets: Tensors.
        target_grads: their seed gradients: arrays, or Tensors when ``record``.
        record: compute with differentiable ops on Tensors (``TensorOps``), so that an
            outer tape records the backward pass; otherwise on raw arrays.
        sources: the tensors ``tape.gradient`` asks about, for the gradient-ready
            listener (``state.gradient_listener``, see ``autodiff/state.py``); None: no
            listener is told.
        min_epoch: walk only functions recorded in this epoch or later (``state.epoch``;
            a tape's ``reset()`` starts a new one).
        stop: ids of tensors the walk does not go past (their gradient is kept, not
            propagated into what computed them).
        wanted: the tensors whose gradients the caller reads; None: every function's
            backward runs. With it, functions through which no gradient reaches them are
            skipped (the gradients of other tensors are then incomplete).
        sparse: keep the gradient of a leaf read only by row gathers as ``SparseRows``
            (``sparse_rows.py``; ``tape.gradient``'s tf.IndexedSlices); not with a
            gradient-ready listener, which takes dense arrays.

    Returns:
        ``(node_grads, leaf_grads)``: the gradients (arrays, or Tensors when ``record``) of
        each function's output, keyed by ``id(function)``, and of each leaf tensor, keyed
        by ``id(tensor)``.
    """
    node_grads: dict[int, object] = {}
    leaf_grads: dict[int, object] = {}
    for t, g in zip(targets, target_grads):
        _accumulate(t, g, node_grads, leaf_grads)
    tensor_ops = grad_ops.tensor_ops
    array_ops = {}  # device -> ArrayOps, looked up once per device
    order = _topological(targets, min_epoch, stop, wanted)
    session = None
    if sources is not None and state.gradient_listener is not None:
        session = state.gradient_listener.begin(sources)
        if session is not None:
            order = _announcing(order, session, leaf_grads, record)
            sparse = False
    try:
        _walk(order, node_grads, leaf_grads, record, tensor_ops, array_ops, sparse)
    finally:
        if session is not None:
            session.finish()
    return node_grads, leaf_grads


def _walk(order, node_grads, leaf_grads, record, tensor_ops, array_ops, sparse=False) -> None:
    for fn in order:
        gy = node_grads.get(id(fn))
        if gy is None:
            continue
        if sparse and getattr(fn, "sparse_rows", None) is not None and fn.needs_grad[0]:
            rows = leaf_rows(fn, gy, fn.inputs[0], record)
            if rows is not None:  # a row gather of a leaf: its gradient stays rows
                _accumulate(fn.inputs[0], rows, node_grads, leaf_grads)
                continue
        if getattr(gy, "_data", gy).dtype.kind == "c" and not (
            fn.complex_grads or fn.keeps_strings
        ):
            raise NotImplementedError(
                f"{fn.op_name()}: gradients through complex values are not supported by gpuflow"
            )
        if not record:
            F = array_ops.get(fn.device)
            if F is None:
                F = array_ops[fn.device] = grad_ops.array_ops(fn.device)
            gxs = fn.backward(gy) if fn._array_backward else fn.backward(F, gy)
        elif fn.twice_differentiable and not fn._array_backward:
            F = tensor_ops
            gxs = fn.backward(F, gy)
        else:
            F = tensor_ops
            gxs = _first_order_only(fn, gy)
        for t, need, gx in zip(fn.inputs, fn.needs_grad, gxs):
            if need and gx is not None:
                if gx.dtype != t._data.dtype:
                    gx = F.cast(gx, t._data.dtype)
                if state.check_hook is not None:
                    state.check_hook(fn, gx._data if record else gx, "backward")
                _accumulate(t, gx, node_grads, leaf_grads)


def _announcing(order, session, leaf_grads, record):
    """``order``, telling ``session`` of each of its variables' gradients once final: after
    the last function that feeds the variable has run its backward (the loop asks for the
    next function only then), and polling the session after every function."""
    keys = session.keys
    last = {}
    for position, fn in enumerate(order):
        for t, need in zip(fn.inputs, fn.needs_grad):
            if need and t._node is None and id(t) in keys:
                last[id(t)] = position
    after: dict[int, list] = {}
    for key, position in last.items():
        after.setdefault(position, []).append(key)

    def tell(key) -> None:
        g = leaf_grads.get(key)
        if g is not None:
            session.ready(keys[key], g._data if record else g)

    for key in keys:
        if key not in last:  # fed by no function: a seeded target, or not reached
            tell(key)
    poll = session.poll
    for position, fn in enumerate(order):
        yield fn
        for key in after.get(position, ()):
            tell(key)
        poll()


class NoSecondDerivative(Function):
    """Stands for a gradient computed by an op that is not twice differentiable."""

    def __init__(self, op: str) -> None:
        self.op = op

    def backward(self, F, g):
        raise LookupError(
            f"gradient: {self.op} is not twice differentiable (its backward pass is not built "
            f"from differentiable ops); a second derivative through {self.op} is not defined"
        )


def _first_order_only(fn, gy):
    """``fn``'s gradients as Tensors whose own gradient raises an error naming ``fn``."""
    from .state import is_tracked, state

    F = grad_ops.array_ops(fn.device)
    gxs = fn.backward(gy._data) if fn._array_backward else fn.backward(F, gy._data)
    marker = NoSecondDerivative(fn.op_name())
    marker.device, marker.xp = fn.device, fn.xp
    marker.inputs = (gy,) + tuple(fn.inputs)
    marker.needs_grad = tuple(is_tracked(t) for t in marker.inputs)
    out = []
    for gx, t in zip(gxs, fn.inputs):
        if gx is None:
            out.append(None)
            continue
        wrapped = Tensor._wrap(gx, t._device)
        if state.recording:
            wrapped._node = marker
        out.append(wrapped)
    return out


def _accumulate(t, g, node_grads, leaf_grads) -> None:
    grads, key = (node_grads, id(t._node)) if t._node is not None else (leaf_grads, id(t))
    previous = grads.get(key)
    grads[key] = g if previous is None else previous + g
