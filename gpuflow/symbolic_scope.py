"""``keras.SymbolicScope`` (Keras 3): marks the symbolic stage, where layers run only to
learn output shapes and dtypes (a layer called on ``keras.Input`` tensors, a subclassed
model built from a shape). Code can ask :func:`in_symbolic_scope` to skip work whose values
are never used there. A leaf module: per-thread state only."""

from __future__ import annotations

import threading


class _Local(threading.local):
    def __init__(self) -> None:
        self.scope = None  # the innermost active SymbolicScope


_local = _Local()


class SymbolicScope:
    """Scope to indicate the symbolic stage."""

    def __enter__(self) -> SymbolicScope:
        self.original_scope = _local.scope
        _local.scope = self
        return self

    def __exit__(self, *exc) -> None:
        _local.scope = self.original_scope


def in_symbolic_scope() -> bool:
    """Whether a SymbolicScope is active on this thread."""
    return _local.scope is not None


def get_symbolic_scope():
    """The innermost active SymbolicScope, or None."""
    return _local.scope
