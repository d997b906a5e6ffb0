"""tf.strings ops (and lookup tables) inside ``gpuflow.function``: each call is one host step
of the trace (``host_call``), run again on every call's strings, as TensorFlow runs them
inside its graph. RaggedTensors cannot be replayed by a trace yet: an op that takes or
gives one inside a traced function raises NotSupportedInGraphError (run it eagerly)."""

from __future__ import annotations

import functools

from .. import nest
from .._tracing import host_call, tracing


def _has_ragged(structure) -> bool:
    return any(getattr(leaf, "_is_ragged_tensor", False) for leaf in nest.flatten(structure))


def _refuse(name: str):
    from ..graph.trace import NotSupportedInGraphError

    return NotSupportedInGraphError(
        f"{name}: RaggedTensors inside gpuflow.function cannot be replayed yet (a compiled "
        "call would reuse the values of the traced one); call it eagerly, outside "
        "@tf.function, or make the text dense first (e.g. TextVectorization with "
        "output_sequence_length)"
    )


def traceable(fn, name: str):
    """``fn`` as a host step inside a trace; unchanged outside one."""
    host = host_call(fn, effect=False)

    @functools.wraps(fn)
    def op(*args, **kwargs):
        if tracing.trace is None:
            return fn(*args, **kwargs)
        if _has_ragged((args, kwargs)):
            raise _refuse(name)
        out = host(*args, **kwargs)
        if _has_ragged(out):
            raise _refuse(name)
        return out

    op.__gpuflow_host_call__ = fn  # a saveable host step (saved_model/registry.py)
    return op
