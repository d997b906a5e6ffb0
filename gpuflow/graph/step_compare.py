"""Whether two recordings of one function body are the same steps.

A host call whose result's size along an axis follows the values of its arguments (the
token count of a batch of strings: TextVectorization without output_sequence_length) is
recorded at the size of the traced call; a replay gives the ops after it other sizes. That
is right only when no step holds the traced size (a reshape to it, a constant made from
``tf.shape``). function.py records the body a second time with those results one entry
longer (``Trace.widen``) and compares the two recordings here: equal steps do not depend
on the size, as TensorFlow's graph would not.
"""

from __future__ import annotations

import numpy as np

from ..tensor import Tensor, Variable
from .steps import Const, HostStep, OpStep, VarRef, _TensorArg

# Step attributes that describe the traced values (shapes, dtypes) or caches, not the work.
# (A gradient's targets and stop set are this recording's tensors; its ops are compared as
# the OpSteps that made them.)
_SKIPPED = frozenset(
    {"shape", "dtype", "dtypes", "build", "plan", "fused", "plain", "args", "targets", "stop"}
)


def first_difference(a: list, b: list) -> str | None:
    """A description of the first step where the recordings ``a`` and ``b`` differ, or
    None when they are the same steps. Slots are matched in the order the steps use them
    (one recording may number them differently: model building made slots the replay
    drops)."""
    if len(a) != len(b):
        return "the number of recorded steps"
    match = _Match()
    for x, y in zip(a, b):
        found = match.step(x, y)
        if found is not None:
            return found
    return None


class _Match:
    def __init__(self) -> None:
        self.forward: dict = {}
        self.backward: dict = {}

    def slot(self, u, v) -> bool:
        """Whether slot ``u`` of one recording is slot ``v`` of the other."""
        if u.__class__ is not int or v.__class__ is not int:
            return self.same(u, v, slots=True)
        if self.forward.get(u, v) != v or self.backward.get(v, u) != u:
            return False
        self.forward[u], self.backward[v] = v, u
        return True

    def slots(self, us, vs) -> bool:
        return len(us) == len(vs) and all(self.slot(u, v) for u, v in zip(us, vs))

    def step(self, x, y) -> str | None:
        if type(x) is not type(y):
            return f"a {type(x).__name__} step"
        if isinstance(x, OpStep):
            name = x.fn.op_name()
            if type(x.fn) is not type(y.fn) or x.keys != y.keys:
                return f"op {name}"
            if not self.slots(x.refs, y.refs):
                return f"op {name} (an input)"
            # attributes set from this replay's slots: the same slots at the same positions
            traced = _traced_names(x)
            if traced != _traced_names(y) or not all(
                n == m
                and len(p) == len(q)
                and all(i == j and self.slot(s, t) for (i, s), (j, t) in zip(p, q))
                for (n, p), (m, q) in zip(_positions(x), _positions(y))
            ):
                return f"op {name} (a traced attribute)"
            for key in x.keys or ():
                if key in traced:
                    continue
                if not self.same(getattr(x.fn, key, None), getattr(y.fn, key, None)):
                    return f"op {name} ({key})"
            return None if self.slot(x.out, y.out) else f"op {name}"
        if isinstance(x, HostStep):
            name = f"host call {getattr(x.func, '__qualname__', repr(x.func))}"
            if x.func != y.func or not self.same(x.leaves, y.leaves):
                return name
            if [i for i, _ in x.outs] != [i for i, _ in y.outs]:
                return name
            return None if self.slots([s for _, s in x.outs], [s for _, s in y.outs]) else name
        for attr in getattr(type(x), "__slots__", ()):
            if attr in _SKIPPED:
                continue
            u, v = getattr(x, attr, None), getattr(y, attr, None)
            if not self.same(u, v, slots=attr != "limit"):
                return f"a {type(x).__name__} step ({attr})"
        return None

    def same(self, u, v, slots: bool = False) -> bool:
        """``slots``: integers here are slot numbers (the fields of control-flow and
        gradient steps)."""
        if isinstance(u, (list, tuple)):
            return (
                isinstance(v, (list, tuple))
                and len(u) == len(v)
                and all(self.same(p, q, slots) for p, q in zip(u, v))
            )
        if type(u) is not type(v):
            return False
        if slots and u.__class__ is int:
            return self.slot(u, v)
        if hasattr(type(u), "run"):  # a step of a branch or a loop body
            return self.step(u, v) is None
        if isinstance(u, Variable):
            return u is v
        if isinstance(u, Tensor):  # a gradient's source: compared as the step that made it
            return True
        if isinstance(u, Const):
            return _same_array(u.array, v.array)
        if isinstance(u, VarRef):
            return u.var is v.var
        if isinstance(u, _TensorArg):
            return self.slot(u.ref, v.ref)
        if hasattr(u, "__array_interface__") or hasattr(u, "__cuda_array_interface__"):
            return _same_array(u, v)
        if isinstance(u, (int, float, str, bytes, bool, type(None), np.generic)):
            return bool(u == v)
        return u is v or _equal(u, v)


def _traced_names(step) -> set:
    return {name for name, _, _ in step.attrs or ()}


def _positions(step) -> list:
    return [(name, positions) for name, _, positions in step.attrs or ()]


def _equal(u, v) -> bool:
    try:
        return bool(u == v)
    except Exception:  # noqa: BLE001 - an object without a plain equality: not the same
        return False


def _same_array(u, v) -> bool:
    if tuple(u.shape) != tuple(v.shape) or u.dtype != v.dtype:
        return False
    if hasattr(u, "get"):  # CuPy arrays: compared on the host
        u, v = u.get(), v.get()
    return bool(np.array_equal(u, v))
