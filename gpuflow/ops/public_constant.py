"""``tf.constant`` as users call it: in a TF 1 graph a graph constant named under the
graph's name scopes (``s/c:0``), as TF's (compat/v1_record.py sets ``GRAPH_HOOK``).
gpuflow's own code calls ``ops.creation.constant``, which always gives a value."""

from __future__ import annotations

import functools

# ``hook(tensor, name)``: the graph constant for ``tensor`` in a TF 1 graph, else ``tensor``
GRAPH_HOOK: list = [None]


def graph_aware(constant):
    """``constant`` (tf.constant as gpuflow's namespace has it) giving what GRAPH_HOOK
    makes of its result."""

    @functools.wraps(constant)
    def call(value, dtype=None, shape=None, name=None, **kwargs):
        made = constant(value, dtype=dtype, shape=shape, name=name, **kwargs)
        hook = GRAPH_HOOK[0]
        return made if hook is None else hook(made, name)

    return call
