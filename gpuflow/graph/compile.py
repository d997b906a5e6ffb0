"""``compile_step``: the one entry point the Trainer uses to compile a step function."""

from __future__ import annotations

from .function import Function


def compile_step(step_fn, jit_compile=None, name: str | None = None) -> Function:
    """Compile a Trainer step (``train_step``, ``test_step``, ``predict_step`` or a function
    looping over them) with :func:`gpuflow.function`.

    The result takes the same arguments and returns the same structure. It traces once per
    batch signature (shapes and dtypes; a smaller last batch traces once more) and replays
    the recorded forward, backward, optimizer and metric steps on every later batch;
    under ``gpuflow.config.run_functions_eagerly(True)`` it runs ``step_fn`` as it is.

    Args:
        step_fn: a callable, usually a bound method such as ``model.train_step``.
        jit_compile: passed on (``model.compile(jit_compile=...)``).
        name: a name for printing (default ``step_fn.__name__``).
    """
    compiled = Function(step_fn, name=name, jit_compile=jit_compile)
    compiled._eager_fallback = False  # the Trainer runs such a step eagerly itself, or raises
    return compiled
