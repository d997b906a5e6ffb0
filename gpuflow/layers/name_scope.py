"""``keras.name_scope`` (Keras 3): a scope that prefixes the paths of the Keras variables
(layer weights, ``keras.Variable``) created inside it, and, as Keras's TensorFlow backend
does, the names of ``tf.Variable``s too (it also opens ``tf.name_scope(name)``)."""

from __future__ import annotations

from ..name_scopes import name_scope as _tf_name_scope
from ._context import context, push_path_scope


class name_scope:  # noqa: N801 - Keras's name
    """Creates a sub-namespace for variable paths.

    Args:
        name: the scope's name: a string without ``/``.
        caller: an optional owner (a layer); with ``deduplicate``, entering the scope of the
            same caller and name as the innermost one opens nothing.
        deduplicate: see ``caller``.
        override_parent: a path that replaces the scopes open around this one.

    Raises:
        ValueError: for a name that is not a string or contains ``/``.
    """

    def __init__(self, name, caller=None, deduplicate=True, override_parent=None) -> None:
        if not isinstance(name, str) or "/" in name:
            raise ValueError(
                "Argument `name` must be a string and cannot contain character `/`. "
                f"Received: name={name}"
            )
        self.name = name
        self.caller = caller
        self.deduplicate = deduplicate
        if override_parent is None and deduplicate:
            override_parent = getattr(caller, "_parent_path", None)
        self.override_parent = override_parent
        self._tf_scope = None

    def __enter__(self) -> name_scope:
        caller = self.caller if self.deduplicate else None
        if push_path_scope(self.name, caller, self.override_parent):
            self._tf_scope = _tf_name_scope(self.name)
            self._tf_scope.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        if self._tf_scope is not None:
            self._tf_scope.__exit__(*exc)
            self._tf_scope = None
            context.path_scopes.pop()
