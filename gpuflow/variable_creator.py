"""``tf.variable_creator_scope``: functions that intercept ``tf.Variable(...)``.

Inside ``with tf.variable_creator_scope(creator):`` every ``Variable(...)`` call becomes
``creator(next_creator, **kwargs)`` with TensorFlow's keyword arguments; the innermost scope's
creator runs first, and ``next_creator(**kwargs)`` hands on to the next one, the last of which
builds the Variable. The scopes are per thread."""

from __future__ import annotations

import contextlib
import inspect
import sys
import threading

_local = threading.local()

# The keyword arguments TensorFlow hands a creator; the ones gpuflow's Variable has no use
# for (graph-mode and checkpoint details) are accepted and dropped when it is built.
_TF_KWARGS = (
    "initial_value",
    "trainable",
    "validate_shape",
    "caching_device",
    "name",
    "variable_def",
    "dtype",
    "import_scope",
    "constraint",
    "synchronization",
    "aggregation",
    "shape",
    "experimental_enable_variable_lifting",
)


def _stack() -> list:
    stack = getattr(_local, "stack", None)
    if stack is None:
        stack = _local.stack = []
    return stack


@contextlib.contextmanager
def variable_creator_scope(variable_creator):
    """Within it, ``variable_creator(next_creator, **kwargs)`` makes every Variable."""
    if not callable(variable_creator):
        raise TypeError(
            f"variable_creator_scope: expected a callable, received {variable_creator!r}"
        )
    stack = _stack()
    stack.append(variable_creator)
    try:
        yield
    finally:
        stack.pop()


@contextlib.contextmanager
def variable_listener(listener):
    """Within it, ``listener(variable, module)`` sees every ``Variable(...)`` made on this
    thread (not its subclasses with their own constructors), with the name of the module
    that called ``Variable``: how a strategy's ``scope()`` notes the variables it mirrors."""
    listeners = getattr(_local, "listeners", None)
    if listeners is None:
        listeners = _local.listeners = []
    listeners.append(listener)
    try:
        yield
    finally:
        listeners.remove(listener)


# TF 1 graph mode (gpuflow/compat/v1_graph.py) sets a function here: ``hook(args, kwargs)``
# gives the graph variable that ``Variable(*args, **kwargs)`` makes there, or None outside.
GRAPH_HOOK: list = [None]


@contextlib.contextmanager
def eager_variables():
    """Within it, ``Variable(...)`` makes a gpuflow Variable even in TF 1 graph mode (the
    state a checkpoint keeps for itself, as its save counter)."""
    saved = getattr(_local, "eager", False)
    _local.eager = True
    try:
        yield
    finally:
        _local.eager = saved


class VariableMeta(type):
    """Metaclass of Variable: routes ``Variable(...)`` (not its subclasses with their own
    constructors, such as ``keras.Variable``) through the active creators and listeners."""

    def __call__(cls, *args, **kwargs):
        listeners = getattr(_local, "listeners", None)
        if not listeners or cls.__module__ != "gpuflow.tensor":
            return VariableMeta._make_through_creators(cls, *args, **kwargs)
        variable = VariableMeta._make_through_creators(cls, *args, **kwargs)
        module = sys._getframe(1).f_globals.get("__name__", "")
        for listener in list(listeners):
            listener(variable, module)
        return variable

    def _make_through_creators(cls, *args, **kwargs):
        if (
            GRAPH_HOOK[0] is not None
            and cls.__module__ == "gpuflow.tensor"
            and not getattr(_local, "eager", False)
        ):
            made = GRAPH_HOOK[0](args, kwargs)
            if made is not None:
                return made
        stack = getattr(_local, "stack", None)
        if not stack or cls.__module__ != "gpuflow.tensor":
            return super().__call__(*args, **kwargs)
        own = inspect.signature(cls.__init__)
        bound = own.bind(None, *args, **kwargs)
        bound.apply_defaults()
        values = dict(bound.arguments)
        values.pop(next(iter(own.parameters)))  # self
        extra = values.pop("kwargs", {}) if "kwargs" in values else {}
        values.update(extra)
        for key in _TF_KWARGS:
            values.setdefault(key, None)
        if values.get("trainable") is None:
            values["trainable"] = True
        accepted = set(own.parameters) - {"self"}
        base = super()

        def build(**kw):
            return base.__call__(**{k: v for k, v in kw.items() if k in accepted})

        creators = list(stack)

        def chain(i):
            if i < 0:
                return build
            return lambda **kw: creators[i](chain(i - 1), **kw)

        return chain(len(creators) - 1)(**values)


__all__ = ["variable_creator_scope", "variable_listener"]
