"""``tf.name_scope``: the scope prefixed to the names of Variables (and Modules) created
inside it. A leaf module (imports nothing from gpuflow), so that Variable can ask it."""

from __future__ import annotations

import threading


class _Local(threading.local):
    def __init__(self) -> None:
        self.current = ""  # the active scopes, each followed by "/"


_local = _Local()

# set by gpuflow/compat/v1_scopes.py: ``hook(name)`` enters a TF 1 graph's name scope (ops
# recorded inside are named ``name/Op``) and gives it to exit, or gives None outside one
GRAPH_HOOK: list = [None]


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
        self._graph_scopes: list = []

    @property
    def name(self) -> str:
        return self._name

    def __enter__(self) -> str:
        hook = GRAPH_HOOK[0]
        self._graph_scopes.append(hook(self._name) if hook is not None else None)
        self._saved.append(_local.current)
        if self._name.endswith("/") or not self._name:
            _local.current = self._name
        else:
            _local.current = _local.current + self._name + "/"
        return _local.current

    def __exit__(self, *exc) -> None:
        _local.current = self._saved.pop()
        graph_scope = self._graph_scopes.pop()
        if graph_scope is not None:
            graph_scope.__exit__(*exc)
