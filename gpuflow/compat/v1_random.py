"""Random ops of a TF 1 graph (``_graph_random.HOOK``): ``tf.random.normal([3])`` built in
graph mode is a node that draws new numbers on each ``Session.run``, as TensorFlow's.

TensorFlow's seed rule for graphs: with a graph-level seed (``set_random_seed``) and no op
seed, an op takes a seed of its own from its place in the graph, so that building the same
graph after the same ``set_random_seed`` gives the same numbers run after run; with no
seed at all, the numbers differ from program to program."""

from __future__ import annotations

import inspect

from .. import _graph_random
from .._tracing import tracing
from .v1_graph import GraphTensor, OpNode, graph_mode


def _graph_seed():
    """The graph-level seed: set in the graph by ``set_random_seed``, else the global one
    when eager execution is disabled and this is the default graph (TensorFlow's
    ``tf.random.set_seed`` then sets that graph's seed); a new ``tf.Graph()`` entered from
    eager code has none."""
    from ..graph.graph_view import default_graph as entered_graph
    from ..random import get_global_seed
    from .v1_collections import default_graph

    seed = default_graph().seed
    if seed is None and tracing.eager_disabled and entered_graph() is None:
        seed = get_global_seed()
    return seed


def _record_random(fn, args, kwargs):
    if not graph_mode():
        return NotImplemented
    from .v1_collections import state
    from .v1_record import record

    signature = inspect.signature(fn)
    graph_seed = _graph_seed()
    if "seed" not in signature.parameters:
        return record(fn, args, kwargs, fn.__name__)
    bound = signature.bind(*args, **kwargs)
    if bound.arguments.get("seed") is None:
        if graph_seed is None:  # no seed at all: new numbers in every session
            return record(fn, args, kwargs, fn.__name__)
        graph = state()
        graph.random_ops = getattr(graph, "random_ops", 0) + 1
        bound.arguments["seed"] = graph.random_ops
        args, kwargs = bound.args, bound.kwargs
    out = record(fn, args, kwargs, fn.__name__, node_type=SeededRandomNode)
    first = out if isinstance(out, GraphTensor) else None
    if first is not None:
        first._node.graph_seed = graph_seed
    return out


class SeededRandomNode(OpNode):
    """A random op with a seed (its own, or one from the graph seed): as a TensorFlow
    kernel, its stream belongs to the session that runs it, so a new Session draws the
    same sequence again."""

    graph_seed = None

    def compute(self, run):
        from ..random import private_streams

        streams = run.random_streams.setdefault(self.id, {})
        with private_streams(streams, self.graph_seed):
            return super().compute(run)


def install_random_hook() -> None:
    _graph_random.HOOK[0] = _record_random
