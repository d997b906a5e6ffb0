"""``tf.executing_eagerly``: False while ``gpuflow.function`` traces a Python function,
True otherwise (also inside a function run with ``run_functions_eagerly(True)``)."""

from __future__ import annotations

from ._tracing import tracing


def executing_eagerly() -> bool:
    """Whether ops run now (eager) rather than being recorded by a trace."""
    return tracing.trace is None and not tracing.eager_disabled
