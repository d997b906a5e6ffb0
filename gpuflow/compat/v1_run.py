"""``Session.run`` of a TF 1 graph: the nodes the fetches need, computed in dependency
order with the fed values, each once per run (a loss fetched beside the train op that
minimizes it is the value its gradients came from, before the update). A run that
takes gradients records under one GradientTape."""

from __future__ import annotations

import numpy as np

from ..tensor import Tensor, Variable
from . import v1_record  # noqa: F401 - installs GraphTensor's operators
from .v1_graph import (
    CallNode,
    GraphOperation,
    GraphTensor,
    PlaceholderNode,
    computing,
    graph_nodes,
    substitute,
)


class Run:
    def __init__(self, feeds: dict, unchecked: bool = False, random_streams=None) -> None:
        self.cache: dict = dict(feeds)  # node -> value
        # node id -> the op-seeded random streams of a seeded random node (v1_random.py):
        # the session's, kept from run to run
        self.random_streams: dict = {} if random_streams is None else random_streams
        self.unchecked = unchecked  # reading uninitialized variables allowed (build time)
        self.tape = None
        self.watched: set = set()  # nodes whose values gradients are taken against

    def value(self, t: GraphTensor):
        value = self.cache[t._node] if t._node in self.cache else self.compute([t._node])
        for i in t._path:
            value = value[i]
        return value

    def substitute(self, value):
        return substitute(value, self.value)

    def compute(self, targets) -> object:
        """Compute ``targets`` (nodes) and what they need; the last one's value."""
        order = _order(targets, self.cache)
        with computing():
            for node in order:
                value = node.compute(self)
                if node in self.watched and self.tape is not None and _differentiable(value):
                    self.tape.watch(value)
                self.cache[node] = value
        return self.cache[targets[-1]] if targets else None


def _differentiable(value) -> bool:
    """Whether gradients can be taken against ``value``: tf.gradients gives None for an
    integer variable (a step counter among the trainable ones), not a tape warning."""
    dtype = getattr(value, "dtype", None)
    return (
        dtype is None or getattr(dtype, "is_floating", False) or getattr(dtype, "is_complex", False)
    )


def _order(targets, done) -> list:
    """The nodes ``targets`` need (inputs and control inputs first), not in ``done``."""
    order, seen = [], set(done)
    stack = [(n, False) for n in reversed(targets)]
    while stack:
        node, expanded = stack.pop()
        if node in seen:
            continue
        if expanded:
            seen.add(node)
            order.append(node)
            continue
        stack.append((node, True))
        for dep in reversed(node.inputs + node.control):
            if dep not in seen:
                stack.append((dep, False))
    return order


class GradientsNode(CallNode):
    """``tf.gradients(ys, xs)``: the gradients of ``sum(ys)`` for each of ``xs``, from the
    run's tape."""

    def __init__(self, ys, xs, grad_ys, name) -> None:
        self.ys, self.xs, self.grad_ys = ys, xs, grad_ys
        super().__init__(self._gradients, "Gradients", name or "gradients", [ys, xs, grad_ys])

    def _gradients(self, run):
        ys = [run.value(y) for y in self.ys]
        xs = [run.value(x) if isinstance(x, GraphTensor) else x for x in self.xs]
        grad_ys = None if self.grad_ys is None else [run.substitute(g) for g in self.grad_ys]
        out = run.tape.gradient(ys, xs, output_gradients=grad_ys)
        return tuple(_dense(g) for g in out)


def _dense(g):
    if g is None or isinstance(g, Tensor):
        return g
    from ..ops.creation import convert_to_tensor

    return convert_to_tensor(g)


def gradients(ys, xs, grad_ys=None, name="gradients", **kwargs):
    """``tf.compat.v1.gradients`` on a TF 1 graph: a list with one GraphTensor (or None
    where ``ys`` does not depend on it) for each of ``xs``."""
    ys = list(ys) if isinstance(ys, (list, tuple)) else [ys]
    xs_list = list(xs) if isinstance(xs, (list, tuple)) else [xs]
    grad_ys = (
        None
        if grad_ys is None
        else (list(grad_ys) if isinstance(grad_ys, (list, tuple)) else [grad_ys])
    )
    node = GradientsNode(ys, xs_list, grad_ys, name)
    feeds = _probe_feeds(ys + xs_list)
    run = Run(feeds, unchecked=True)
    probes = _run_with_tape(run, [node])
    out = []
    for i, (x, g) in enumerate(zip(xs_list, probes)):
        if g is None:
            out.append(None)
        else:
            out.append(GraphTensor(node, (i,), (g, g), shape=tuple(x.shape), dtype=x.dtype))
    return out


def _probe_feeds(tensors) -> dict:
    """Placeholder values for a build-time run: each placeholder's first probe."""
    feeds, seen = {}, set()
    stack = graph_nodes(tensors)
    while stack:  # every node the tensors may read, a cond's branches too
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        stack.extend(node.inputs + node.control + node.lazy)
        if isinstance(node, PlaceholderNode) and node.default is None:
            from .v1_record import probe_value

            feeds[node] = probe_value(node.dtype, node.shape, 2)
    return feeds


def _needs_tape(order) -> bool:
    return any(isinstance(n, GradientsNode) for n in order)


def _run_with_tape(run: Run, targets):
    order = _order(targets, run.cache)
    if not _needs_tape(order):
        return run.compute(targets)
    from ..autodiff.tape import GradientTape

    for node in order:
        if isinstance(node, GradientsNode):
            run.watched.update(
                x._node for x in node.xs if isinstance(x, GraphTensor) and not x._path
            )
    with GradientTape(persistent=True) as tape:
        run.tape = tape
        for node in order:  # fed placeholders are in the cache: watch the ones asked for
            pass
        for node in run.watched:
            if node in run.cache and _differentiable(run.cache[node]):
                tape.watch(run.cache[node])
        return run.compute(targets)


def evaluate_now(value):
    """The value of ``value`` (GraphTensors in it) now, at graph-build time."""
    run = Run({}, unchecked=True)
    return substitute(value, run.value)


# -- Session.run ---------------------------------------------------------------------------
def _feed_value(key: GraphTensor, value):
    dtype = key.dtype
    if isinstance(value, Tensor):
        value = value.numpy()
    array = np.asarray(value, dtype=dtype.as_numpy_dtype if dtype.name != "string" else object)
    if not key.shape.is_compatible_with(array.shape):
        raise ValueError(
            f"Cannot feed value of shape {array.shape} for Tensor {key.name}, which has shape "
            f"{_shape_text(key.shape)}"
        )
    from ..ops.creation import constant

    return constant(array)


def _shape_text(shape) -> str:
    if shape.rank is None:
        return "<unknown>"
    return (
        "("
        + ", ".join("None" if d is None else str(d) for d in shape)
        + (",)" if shape.rank == 1 else ")")
    )


def _feeds(feed_dict, graph_lookup) -> dict:
    feeds = {}
    for key, value in (feed_dict or {}).items():
        if isinstance(key, str):
            key = graph_lookup(key)
        if isinstance(key, GraphTensor):
            if key._path:
                raise TypeError(
                    f"Session.run: cannot feed {key.name}, an output of a multi-output op"
                )
            feeds[key._node] = _feed_value(key, value)
        elif isinstance(key, Tensor):
            raise TypeError(
                f"Session.run: the feed_dict key {key!r} is an eager tensor; feed the "
                "placeholders of the graph"
            )
        else:
            raise TypeError(
                f"The value of a feed cannot be a tf.Tensor object. Acceptable feed keys are "
                f"placeholders (tf.compat.v1.placeholder), received {type(key).__name__}"
            )
    return feeds


def run(fetches, feed_dict=None, graph_lookup=None, random_streams=None):
    """The values of ``fetches`` (GraphTensors, operations, variables, eager tensors, in
    lists/tuples/dicts) as NumPy values; operations give None. ``random_streams``: the
    session's state of its seeded random ops (a dict kept from run to run)."""
    with computing():
        return _run(fetches, feed_dict, graph_lookup, random_streams)


def _run(fetches, feed_dict, graph_lookup, random_streams=None):
    lookup = graph_lookup or _no_names
    feeds = _feeds(feed_dict, lookup)
    runner = Run(feeds, random_streams=random_streams)

    def resolve(f):
        if isinstance(f, str):
            return resolve(lookup(f))
        return f

    flat = []

    def collect(f):
        f = resolve(f)
        if isinstance(f, (GraphTensor, GraphOperation)):
            flat.append(f._node)
        elif isinstance(f, (list, tuple)):
            for item in f:
                collect(item)
        elif isinstance(f, dict):
            for item in f.values():
                collect(item)

    collect(fetches)
    _run_with_tape(runner, flat)

    def value_of(f):
        f = resolve(f)
        if isinstance(f, GraphOperation):
            return None
        if isinstance(f, GraphTensor):
            return _numpy(runner.value(f))
        if isinstance(f, (Tensor, Variable)):
            return f.numpy()
        if f is None:
            raise TypeError("Fetch argument None has invalid type <class 'NoneType'>")
        if isinstance(f, tuple) and hasattr(f, "_fields"):
            return type(f)(*(value_of(v) for v in f))
        if isinstance(f, (list, tuple)):
            return type(f)(value_of(v) for v in f)
        if isinstance(f, dict):
            return {k: value_of(v) for k, v in f.items()}
        raise TypeError(
            f"Fetch argument {f!r} has invalid type {type(f)}, must be a string or Tensor. "
            f"(Can not convert a {type(f).__name__} into a Tensor or Operation.)"
        )

    return value_of(fetches)


def _numpy(value):
    if isinstance(value, Tensor):
        return value.numpy()
    if isinstance(value, (list, tuple)):
        return type(value)(_numpy(v) for v in value)
    if hasattr(value, "numpy"):
        return value.numpy()
    return value


def _no_names(name):
    raise TypeError(f"Session.run: no tensor named {name!r} in the graph")
