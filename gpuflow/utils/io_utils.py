"""``keras.utils.enable/disable_interactive_logging``: whether progress output goes to
stdout (interactive, the default) or, line by line, to the ``gpuflow`` logger (as Keras
sends it to absl logging). The setting is per thread, as Keras' global state."""

from __future__ import annotations

import threading


class _State(threading.local):
    def __init__(self) -> None:
        self.interactive = True


_state = _State()


def enable_interactive_logging() -> None:
    """Progress bars and epoch lines print to stdout (the default)."""
    _state.interactive = True


def disable_interactive_logging() -> None:
    """Progress output goes to the ``gpuflow`` logger (INFO level) instead of stdout."""
    _state.interactive = False


def is_interactive_logging_enabled() -> bool:
    return _state.interactive


def log_line(text: str) -> None:
    """One line of progress to the logger (used when interactive logging is off)."""
    from ..logger import get_logger

    line = text.replace("\r", "").strip()
    if line:
        get_logger().info(line)
