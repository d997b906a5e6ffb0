"""``tf.constant`` as users call it: :func:`gpuflow.ops.creation.constant`, and in a TF 1
graph a graph constant named under the graph's name scopes (``s/c:0``), as TF's
(compat/v1_record.py sets ``GRAPH_HOOK``). gpuflow's own code calls
``ops.creation.constant``, which always gives a value."""

from __future__ import annotations

import functools

from . import creation

# ``hook(tensor, name)``: the graph constant for ``tensor`` in a TF 1 graph, else ``tensor``
GRAPH_HOOK: list = [None]


@functools.wraps(creation.constant)
def constant(value, dtype=None, shape=None, name=None, device=None):
    made = creation.constant(value, dtype=dtype, shape=shape, name=name, device=device)
    hook = GRAPH_HOOK[0]
    return made if hook is None else hook(made, name)
