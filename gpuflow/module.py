"""``tf.Module``: a named container whose Variables and sub-Modules are found by walking
its attributes (and lists, tuples and dicts inside them), as TensorFlow does."""

from __future__ import annotations

import functools
import re

from .name_scopes import current_name_scope, name_scope
from .tensor import Variable

__all__ = ["Module", "current_name_scope", "name_scope"]


def _camel_to_snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


class Module:
    """Base class of objects holding Variables and other Modules.

    Args:
        name: a Python identifier; default: the class name in snake_case.

    Example:
        >>> class Dense(gpuflow.Module):
        ...     def __init__(self, n_in, n_out):
        ...         super().__init__()
        ...         self.w = gpuflow.Variable(gpuflow.random.normal([n_in, n_out]))
        >>> len(Dense(2, 3).trainable_variables)
        1
    """

    def __init__(self, name: str | None = None) -> None:
        if name is None:
            name = _camel_to_snake(type(self).__name__)
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"Module: name must be a valid Python identifier, received {name!r}")
        self._name = name
        self._scope_name = current_name_scope() + name

    def __setattr__(self, name, value) -> None:
        object.__setattr__(self, name, value)
        # tf.train.Checkpoint restored before this attribute existed (a Variable made on the
        # first call): it takes its saved value now, as TensorFlow's deferred restoration
        pending = self.__dict__.get("_pending_module_restore")
        if pending is not None and name != "_pending_module_restore":
            pending(self)

    @property
    def name(self) -> str:
        return self._name

    @property
    def name_scope(self) -> name_scope:
        """This module's name scope (``name_scope.name`` is ``"outer/name/"``): variables
        created inside it are named ``outer/name/...``."""
        return name_scope(self._scope_name + "/")

    @property
    def variables(self) -> tuple:
        """Every Variable of this module and its submodules (each once)."""
        return tuple(_walk(self, lambda v: isinstance(v, Variable)))

    @property
    def trainable_variables(self) -> tuple:
        """The trainable Variables of this module and its submodules."""
        return tuple(_walk(self, lambda v: isinstance(v, Variable) and v.trainable))

    @property
    def non_trainable_variables(self) -> tuple:
        return tuple(_walk(self, lambda v: isinstance(v, Variable) and not v.trainable))

    @property
    def submodules(self) -> tuple:
        """Every Module reachable from this one (not itself), breadth first."""
        found, seen, queue = [], {id(self)}, [self]
        while queue:
            module = queue.pop(0)
            for value in _children(module):
                if isinstance(value, Module) and id(value) not in seen:
                    seen.add(id(value))
                    found.append(value)
                    queue.append(value)
        return tuple(found)

    @classmethod
    def with_name_scope(cls, method):
        """Decorator: run ``method`` inside the module's name scope."""

        @functools.wraps(method)
        def wrapped(self, *args, **kwargs):
            with self.name_scope:
                return method(self, *args, **kwargs)

        return wrapped


def _leaves(value, seen):
    """Variables and Modules inside ``value``, looking through lists, tuples and dicts."""
    if isinstance(value, (Variable, Module)):
        yield value
    elif isinstance(value, dict):
        if id(value) in seen:
            return
        seen.add(id(value))
        for key in sorted(value, key=str):
            yield from _leaves(value[key], seen)
    elif isinstance(value, (list, tuple)):
        if id(value) in seen:
            return
        seen.add(id(value))
        for item in value:
            yield from _leaves(item, seen)


def _children(module):
    seen: set = set()
    for key in sorted(vars(module)):
        if key in ("_name", "_scope_name"):
            continue
        yield from _leaves(vars(module)[key], seen)


def _walk(module, predicate):
    """Leaves matching ``predicate``: the module's own first, then each submodule's."""
    out, seen_leaves, seen_modules = [], set(), {id(module)}
    queue = [module]
    while queue:
        current = queue.pop(0)
        for value in _children(current):
            if isinstance(value, Module):
                if id(value) not in seen_modules:
                    seen_modules.add(id(value))
                    queue.append(value)
            elif predicate(value) and id(value) not in seen_leaves:
                seen_leaves.add(id(value))
                out.append(value)
    return out
