"""``tf.name_scope``: the scope prefixed to the names of Variables (and Modules) created
inside it. A leaf module (imports nothing from gpuflow), so that Variable can ask it."""

from __future__ import annotations

import threading


class _Local(threading.local):
    def __init__(self) -> None:
        self.current = ""  # the active scopes, each followed by "/"


_local = _Local()


def current_name_scope() -> str:
    """The active name scopes joined with ``/``, with a trailing ``/`` (``""`` outside any)."""
    return _local.current


class name_scope:  # noqa: N801 - TensorFlow's name
    """A context manager that adds ``name/`` to the names of Variables and Modules created
    inside it, as ``tf.name_scope``; a name ending in ``/`` is a whole scope (it replaces
    the active ones, as a Module's ``name_scope`` does). ``with ... as scope`` gives the
    scope's full prefix (``"outer/inner/"``).

    Args:
        name: the scope's name (a string).
    """

    def __init__(self, name) -> None:
        if not isinstance(name, str):
            raise ValueError(
                f"name_scope: the name must be a string, received {type(name).__name__}"
            )
        self._name = name
        self._saved: list = []

    @property
    def name(self) -> str:
        return self._name

    def __enter__(self) -> str:
        self._saved.append(_local.current)
        if self._name.endswith("/") or not self._name:
            _local.current = self._name
        else:
            _local.current = _local.current + self._name + "/"
        return _local.current

    def __exit__(self, *exc) -> None:
        _local.current = self._saved.pop()
