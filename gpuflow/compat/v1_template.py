"""``tf.compat.v1.make_template``: a function whose ``get_variable`` calls make their
variables on the first call and share them on every later one (one variable scope)."""

from __future__ import annotations

import functools

from . import v1_collections as collections
from .v1_graph import graph_mode
from .v1_scopes import _unique_scope_name, variable_scope


class Template:
    """``func_`` wrapped so that all its calls share the variables of the first."""

    def __init__(self, name, func, create_scope_now=False, unique_name=None,
                 custom_getter=None) -> None:  # fmt: skip
        if not name:
            raise ValueError("name cannot be None.")
        self._name, self._func = name, func
        self._unique_name, self._custom_getter = unique_name, custom_getter
        self._scope = None
        self._variables_created = False
        if create_scope_now:
            short = unique_name or _unique_scope_name(name)
            with variable_scope(short, custom_getter=custom_getter) as scope:
                self._scope = scope

    def _call_func(self, args, kwargs):
        trainable = collections.GraphKeys.TRAINABLE_VARIABLES
        before = len(collections.get_collection(trainable))
        result = self._func(*args, **kwargs)
        if self._variables_created:
            created = collections.get_collection(trainable)[before:]
            if created:
                raise ValueError(
                    "Trainable variable created when calling a template after the first time, "
                    "perhaps you used tf.Variable when you meant tf.get_variable: "
                    f"{created}"
                )
        self._variables_created = True
        return result

    def __call__(self, *args, **kwargs):
        if self._scope is not None:  # the scope again (not a new name scope "dense_1")
            reuse = True if self._variables_created else None
            with variable_scope(self._scope, reuse=reuse, auxiliary_name_scope=False):
                return self._call_func(args, kwargs)
        with variable_scope(
            self._unique_name, default_name=self._name, custom_getter=self._custom_getter
        ) as scope:
            self._scope = scope
            return self._call_func(args, kwargs)

    @property
    def name(self) -> str:
        return self._name

    @property
    def func(self):
        return self._func

    @property
    def variable_scope(self):
        return self._scope

    @property
    def variable_scope_name(self) -> str | None:
        """The scope's name with a "/" at the end (so that "dense" does not match "dense_1")."""
        if self._scope is None:
            return None
        name = self._scope.name
        return name if not name or name.endswith("/") else name + "/"

    def _scoped(self, key) -> list:
        """The template's variables of collection ``key``: in creation order in a graph,
        sorted by name eagerly (TF's eager templates list their own store's that way)."""
        if self._scope is None:
            return []
        found = collections.get_collection(key, self.variable_scope_name)
        return found if graph_mode() else sorted(found, key=lambda v: v.name)

    @property
    def variables(self) -> list:
        return self._scoped(collections.GraphKeys.GLOBAL_VARIABLES)

    global_variables = variables

    @property
    def trainable_variables(self) -> list:
        return self._scoped(collections.GraphKeys.TRAINABLE_VARIABLES)


def make_template(name_, func_, create_scope_now_=False, unique_name_=None,
                  custom_getter_=None, **kwargs):  # fmt: skip
    """A :class:`Template` of ``func_`` (``kwargs`` bound to it) in variable scope
    ``name_`` (made unique: ``name__1`` for a second template of that name)."""
    if kwargs:
        func_ = functools.partial(func_, **kwargs)
    return Template(name_, func_, create_scope_now_, unique_name_, custom_getter_)
