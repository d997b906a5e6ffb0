"""Random ops in a TF 1 graph draw anew on every ``Session.run``.

In TF 1 graph mode (``tf.compat.v1.disable_eager_execution()`` or a
``tf.Graph().as_default()`` block) ``tf.random.normal([3])`` is an op of the graph, not a
value: each ``Session.run`` that computes it draws new numbers. The random functions are
wrapped with :func:`stateful_random`; ``gpuflow/compat/v1_random.py`` sets ``HOOK`` to a
function that records the call as a graph node there (``NotImplemented`` elsewhere). A leaf
module, so that ``gpuflow.random`` and ``gpuflow.ops.nn`` need not import the compat
package.
"""

from __future__ import annotations

import functools

from ._tracing import tracing

# set by gpuflow/compat/v1_random.py: ``hook(fn, args, kwargs)`` gives the graph tensor of
# the recorded op in graph mode, NotImplemented elsewhere
HOOK: list = [None]


def stateful_random(fn):
    """``fn`` (a random op), recorded as a TF 1 graph node in graph mode."""

    @functools.wraps(fn)
    def op(*args, **kwargs):
        hook = HOOK[0]
        if hook is not None and (tracing.eager_disabled or tracing.trace is not None):
            out = hook(fn, args, kwargs)
            if out is not NotImplemented:
                return out
        return fn(*args, **kwargs)

    return op
