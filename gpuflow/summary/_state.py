"""Which writer and step the module-level summary functions use, per thread (as in TF)."""

from __future__ import annotations

import threading

_local = threading.local()


def _stack() -> list:
    if not hasattr(_local, "stack"):
        _local.stack = []  # (writer, step) pairs; the last one is the default
    return _local.stack


def push(writer, step) -> None:
    _stack().append((writer, step))


def pop() -> None:
    _stack().pop()


def set_default(writer, step) -> None:
    """Makes ``writer`` the default outside any ``as_default`` block (``set_as_default``)."""
    stack = _stack()
    if stack and getattr(_local, "base_set", False):
        stack[0] = (writer, step)
    else:
        stack.insert(0, (writer, step))
        _local.base_set = True


def default_writer():
    stack = _stack()
    return stack[-1][0] if stack else None


def set_step(step) -> None:
    """Sets the step that summary calls without ``step=`` use (``None`` clears it).

    Args:
        step: An int (or anything ``int()`` takes, such as a 0-d Tensor), or ``None``.
    """
    _local.step = None if step is None else int(step)


def get_step():
    """The default step: the innermost ``as_default(step=...)``, else ``set_step``'s, else None."""
    for _, step in reversed(_stack()):
        if step is not None:
            return int(step)
    return getattr(_local, "step", None)


def set_condition(condition) -> object:
    """Sets ``record_if``'s condition (a bool or a callable); returns the previous one."""
    previous = getattr(_local, "condition", True)
    _local.condition = condition
    return previous


def recording() -> bool:
    """Whether summaries are written here: a default writer that writes (not a no-op one)
    and ``record_if``'s condition holding."""
    writer = default_writer()
    if writer is None or getattr(writer, "writes_nothing", False):
        return False
    condition = getattr(_local, "condition", True)
    return bool(condition() if callable(condition) else condition)
