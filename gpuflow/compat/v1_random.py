"""Random ops of a TF 1 graph (``_graph_random.HOOK``): ``tf.random.normal([3])`` built in
graph mode is a node that draws new numbers on each ``Session.run``, as TensorFlow's.

TensorFlow's seed rule for graphs: with a graph-level seed (``set_random_seed``) and no op
seed, an op takes a seed of its own from its place in the graph, so that building the same
graph after the same ``set_random_seed`` gives the same numbers run after run; with no
seed at all, the numbers differ from program to program."""

from __future__ import annotations

import inspect

from .. import _graph_random
from .v1_graph import graph_mode


def _record_random(fn, args, kwargs):
    if not graph_mode():
        return NotImplemented
    from ..random import get_global_seed
    from .v1_collections import state
    from .v1_record import record

    params = inspect.signature(fn).parameters
    if "seed" in params and get_global_seed() is not None:
        bound = inspect.signature(fn).bind(*args, **kwargs)
        if bound.arguments.get("seed") is None:
            graph = state()
            graph.random_ops = getattr(graph, "random_ops", 0) + 1
            bound.arguments["seed"] = graph.random_ops
            args, kwargs = bound.args, bound.kwargs
    return record(fn, args, kwargs, fn.__name__)


def install_random_hook() -> None:
    _graph_random.HOOK[0] = _record_random
