"""The default session of TF 1 code: the innermost ``with session:`` /
``session.as_default()`` block, or an InteractiveSession; what ``tensor.eval()`` and
``operation.run()`` use."""

from __future__ import annotations

import threading


class _Sessions(threading.local):
    def __init__(self) -> None:
        self.stack: list = []


SESSIONS = _Sessions()


def default_session():
    return SESSIONS.stack[-1] if SESSIONS.stack else None


def default_session_for(what: str, session=None):
    session = session or default_session()
    if session is None:
        raise ValueError(
            f"Cannot evaluate tensor using `eval()`: No default session is registered. Use "
            f"`with sess.as_default()` or pass an explicit session to `eval(session=sess)` "
            f"({what})"
        )
    return session
