"""Keras' safe mode: loading a file never runs code stored in it unless the caller allows it.

``load_model(..., safe_mode=True)`` (the default) runs inside :class:`SafeModeScope`; a Lambda
layer whose config holds Python bytecode refuses to load there.
"""

from __future__ import annotations

import threading


class _State(threading.local):
    def __init__(self) -> None:
        self.scopes: list = []
        self.unsafe_enabled = False


_state = _State()


class SafeModeScope:
    """``with SafeModeScope(True): ...`` loads with safe mode on (or off with False)."""

    def __init__(self, safe_mode: bool = True) -> None:
        self.safe_mode = bool(safe_mode)

    def __enter__(self):
        _state.scopes.append(self.safe_mode)
        return self

    def __exit__(self, *exc) -> None:
        _state.scopes.pop()


def in_safe_mode() -> bool:
    """Whether code stored in a config may not be run here (True unless a scope or
    :func:`enable_unsafe_deserialization` says otherwise)."""
    if _state.unsafe_enabled:
        return False
    return _state.scopes[-1] if _state.scopes else True


def enable_unsafe_deserialization() -> None:
    """Allow loading Lambda layers' stored bytecode on this thread (Keras' function of that
    name)."""
    _state.unsafe_enabled = True
