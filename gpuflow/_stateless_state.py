"""The active ``keras.StatelessScope`` of this thread.

Kept apart from the scope's class so that ``Variable.assign`` can ask for it without
importing Keras-level modules.
"""

from __future__ import annotations

import threading

_local = threading.local()


def active():
    """The innermost StatelessScope entered on this thread, or None."""
    stack = getattr(_local, "stack", None)
    return stack[-1] if stack else None


def push(scope) -> None:
    stack = getattr(_local, "stack", None)
    if stack is None:
        stack = _local.stack = []
    stack.append(scope)


def pop(scope) -> None:
    stack = _local.stack
    if not stack or stack[-1] is not scope:
        raise RuntimeError("StatelessScope: scopes must be exited in the reverse order of entry")
    stack.pop()


def note_assignment(variable) -> None:
    """Called by a Variable before its value changes: the active scope keeps the value
    it will restore on exit."""
    stack = getattr(_local, "stack", None)
    if stack:
        stack[-1]._note(variable)
