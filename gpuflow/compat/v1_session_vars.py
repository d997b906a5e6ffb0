"""Variables are per session in a TF 1 graph: each ``Session`` has its own values, so a
second session on the same graph reads its variables uninitialized (TF's
FailedPreconditionError) until it runs their initializer or restores them.

The graph variables hold the values of one session at a time, the *active* one: before a
session runs (or a Saver reads or writes through it), :func:`activate` keeps the values of
the session that was active (unless it was closed) and puts back the new session's own
(variables it never initialized are uninitialized there). A program with one session at a
time never swaps anything; the first session takes the variables as they are."""

from __future__ import annotations

import threading
import weakref

from .v1_graph import computing


class _Active(threading.local):
    def __init__(self) -> None:
        self.session = None  # a weak reference to the session whose values are in place


_ACTIVE = _Active()
_ALL: weakref.WeakSet = weakref.WeakSet()  # every graph variable alive


def register(variable) -> None:
    """A new graph variable (v1_variables.GraphVariable), whose values are per session."""
    _ALL.add(variable)


_LOCK = threading.Lock()


def activate(session) -> None:
    """Make the graph variables hold ``session``'s values (``session``: a tf.compat.v1
    Session; anything else, a MonitoredSession wrapping one, is let be)."""
    if not getattr(type(session), "_owns_variables", False):
        return
    with _LOCK:
        ref = _ACTIVE.session
        active = ref() if ref is not None else None
        if active is session:
            return
        _ACTIVE.session = weakref.ref(session)
        if ref is None:  # the first session: it takes the variables as they are
            return
        variables = list(_ALL)
        with computing():
            if active is not None and not getattr(active, "_closed", True):
                active._variable_values = {
                    v: v._var.numpy().copy() for v in variables if v._initialized
                }
            stored = getattr(session, "_variable_values", None) or {}
            for v in variables:
                if v in stored:
                    v._var.assign(stored[v])
                    v._initialized = True
                else:
                    v._initialized = False
        session._variable_values = None  # its values are the variables' own now
