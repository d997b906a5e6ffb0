"""Replay helpers that do once, at trace time, the Python work a step would repeat per call:
the order of the backward walk, the rebuilding of a host call's arguments, and the
checks of ``apply_gradients``."""

from __future__ import annotations

from collections.abc import Mapping

from .. import nest
from ..autodiff import grad_ops
from ..autodiff.backprop import _topological
from ..autodiff.state import state


def _key(t) -> int:
    """Where a gradient for ``t`` accumulates (as ``backprop._accumulate``)."""
    return id(t._node) if t._node is not None else id(t)


class BackwardPlan:
    """``backprop(targets, seeds)`` on arrays, with the graph walk done once.

    Each replay calls every op's ``backward`` (on ``ArrayOps``, as an eager gradient) in
    the recorded order and sums the gradients into the same places, so the result equals
    the eager gradient of this replay's forward.

    With ``listen``, a gradient-ready listener (``autodiff/state.py``) is told of each
    leaf source's gradient after the last op that feeds it: positions found here, once.
    """

    def __init__(self, targets, sources, listen: bool = True, stop=frozenset()) -> None:
        self.target_keys = [_key(t) for t in targets]
        self.source_keys = [_key(s) for s in sources]
        self.sources = list(sources) if listen else None
        self.plan = []
        self.saved: list = []  # (fn, attribute names holding its input arrays)
        for fn in _topological(targets, stop=stop, wanted=sources):
            ins = tuple(
                (_key(t), t._data.dtype) if need else None
                for t, need in zip(fn.inputs, fn.needs_grad)
            )
            # ops whose backward takes the gradient alone (``_array_backward``) get no F
            F = None if fn._array_backward else grad_ops.array_ops(fn.device)
            self.plan.append((fn, id(fn), F, ins))
            xs = fn.__dict__.get("_xs") or ()
            names = [
                name
                for name, value in vars(fn).items()
                if name not in ("_xs", "inputs") and any(value is x for x in xs)
            ]
            self.saved.append((fn, names))
        self.release = True
        # Where each leaf source's gradient is final: after the last op that feeds it.
        leaves = {_key(s): s for s in sources if s._node is None}
        last = {}
        for position, (_, _, _, ins) in enumerate(self.plan):
            for into in ins:
                if into is not None and into[0] in leaves:
                    last[into[0]] = position
        self.ready_after: dict[int, list] = {}
        for key, position in last.items():
            self.ready_after.setdefault(position, []).append((key, leaves[key]))
        self.ready_first = [(k, s) for k, s in leaves.items() if k not in last]

    def free(self) -> None:
        """Drop the ops' references to this replay's input arrays once no later gradient
        needs them, so the optimizer can update variables in place (as eager does when
        the step's graph is gone); the next forward sets them again."""
        for fn, names in self.saved:
            fn._xs = None
            for name in names:
                setattr(fn, name, None)

    def run(self, seeds) -> list:
        if state.check_hook is not None:  # debugging hooks: the general walk
            raise _UseGeneralWalk
        grads: dict = {}
        for key, seed in zip(self.target_keys, seeds):
            previous = grads.get(key)
            grads[key] = seed if previous is None else previous + seed
        listener = state.gradient_listener if self.sources is not None else None
        session = None if listener is None else listener.begin(self.sources)
        if session is None:
            self._walk(self.plan, grads)
        else:
            try:
                self._walk(self._announcing(session, grads), grads)
            finally:
                session.finish()
        return [grads.get(k) for k in self.source_keys]

    @staticmethod
    def _walk(plan, grads) -> None:
        for fn, key, F, ins in plan:
            gy = grads.get(key)
            if gy is None:
                continue
            for into, gx in zip(ins, fn.backward(gy) if F is None else fn.backward(F, gy)):
                if into is None or gx is None:
                    continue
                k, dtype = into
                if gx.dtype != dtype:
                    gx = gx.astype(dtype)
                previous = grads.get(k)
                grads[k] = gx if previous is None else previous + gx

    def _announcing(self, session, grads):
        """``self.plan``, telling ``session`` of each leaf source's final gradient (as
        ``backprop._announcing``, with the positions found once in ``__init__``)."""
        wanted = session.keys
        for key, source in self.ready_first:  # seeded targets, or sources not reached
            if id(source) in wanted and grads.get(key) is not None:
                session.ready(source, grads[key])
        after = self.ready_after
        poll = session.poll
        for position, step in enumerate(self.plan):
            yield step
            ready = after.get(position)
            if ready is not None:
                for key, source in ready:
                    g = grads.get(key)
                    if g is not None and id(source) in wanted:
                        session.ready(source, g)
            poll()


class _UseGeneralWalk(Exception):
    pass


def builder(structure, is_arg):
    """A function ``values -> structure`` with each leaf for which ``is_arg(leaf)`` holds
    replaced by ``values[i]`` (``i`` counting such leaves in order); subtrees without one
    are the recorded objects themselves."""
    counter = [0]

    def make(node):
        if isinstance(node, Mapping):
            # leaves are counted in nest.flatten's order (sorted keys); the rebuilt dict
            # keeps the recorded one's key order
            keys = nest._sorted_keys(node)
            parts = dict(zip(keys, [make(node[k]) for k in keys]))
            if all(p is None for p in parts.values()):
                return None
            fixed = [(k, (lambda v, x=node[k]: x) if parts[k] is None else parts[k]) for k in node]
            return lambda v: {k: f(v) for k, f in fixed}
        if isinstance(node, (list, tuple)):
            parts = [make(x) for x in node]
            if all(p is None for p in parts):
                return None
            fixed = [(lambda v, x=x: x) if p is None else p for x, p in zip(node, parts)]
            kind = type(node)
            if kind in (list, tuple):
                return lambda v: kind([f(v) for f in fixed])
            if hasattr(kind, "_fields"):
                return lambda v: kind(*[f(v) for f in fixed])
            return lambda v: kind([f(v) for f in fixed])
        if is_arg(node):
            i = counter[0]
            counter[0] += 1
            return lambda v: v[i]
        return None

    made = make(structure)
    return (lambda v: structure) if made is None else made


class ApplyStep:
    """``optimizer.apply_gradients`` replayed from gradient arrays: the pairs were checked
    while tracing (shapes, dtypes, devices); clipping and the update rule run each time.

    Where this replay's update is ``w -= rate * g`` for every variable
    (``Optimizer._fused_update_rate``: plain SGD) and every variable keeps its own dtype
    (float16 ones update in float32), the update rule runs on each pair directly, without
    the general path's unscaling, accumulation, clipping and decay hooks."""

    __slots__ = ("optimizer", "refs", "variables", "dtypes", "fused", "plain")

    def __init__(self, optimizer, refs, variables, dtypes) -> None:
        self.optimizer, self.refs, self.variables, self.dtypes = optimizer, refs, variables, dtypes
        self.fused = None  # a FusedUpdates (fused_update.py): kernels the gradient updated
        # a variable that takes its gradient as its value (float8 scales) needs the
        # general path (Optimizer._apply_pairs)
        self.plain = all(
            v._data.dtype == d and not v.overwrite_with_gradient for v, d in zip(variables, dtypes)
        )

    def run(self, slots) -> None:
        done = self.fused.skipped() if self.fused is not None else ()
        optimizer = self.optimizer
        rate = optimizer._fused_update_rate() if self.plain else None
        pairs = []
        for ref, dtype, var in zip(self.refs, self.dtypes, self.variables):
            if done and id(var) in done:
                continue
            g = slots[ref] if ref.__class__ is int else ref.get(slots)
            if rate is None:
                pairs.append((g if g.dtype == dtype else g.astype(dtype), var))
                continue
            target = var._update_buffer(dtype)
            optimizer._update(var._device.xp, target, g.astype(dtype, copy=False), None, rate)
            var._data = target
        if rate is None:
            optimizer._apply_pairs(pairs, self.variables)
        else:
            optimizer._finish_step(self.variables)

    def uses(self):
        return [r for r in self.refs if r.__class__ is int]

    def describe(self) -> str:
        names = ", ".join(str(v.path) for v in self.variables)
        return f"{type(self.optimizer).__name__}.apply_gradients({names})"
