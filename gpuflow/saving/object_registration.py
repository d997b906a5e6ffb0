"""Custom objects by name: ``register_keras_serializable``, ``custom_object_scope``, as Keras.

Loading a saved model finds its custom layers, models, regularizers, losses, ... here by the
name recorded in the file (``"package>ClassName"``): a registered class is looked up, never
imported or executed from the file.
"""

from __future__ import annotations

import threading

_GLOBAL_CUSTOM_OBJECTS: dict = {}
_GLOBAL_CUSTOM_NAMES: dict = {}


class _Scopes(threading.local):
    def __init__(self) -> None:
        self.stack: list = []


_scopes = _Scopes()


def register_keras_serializable(package: str = "Custom", name: str | None = None):
    """Register a class (or function) under ``"package>name"`` for saving and loading.

    Args:
        package: a namespace for the name (default ``"Custom"``).
        name: the name within the package (default the class or function name).

    Returns:
        A decorator that registers its argument and returns it unchanged.

    Raises:
        ValueError: when ``package`` contains ``">"`` or the name is taken by another object.
    """
    if not isinstance(package, str) or ">" in package:
        raise ValueError(
            f"register_keras_serializable: package must be a string without '>', "
            f"received {package!r}"
        )

    def decorator(arg):
        class_name = name if name is not None else arg.__name__
        registered_name = f"{package}>{class_name}"
        if isinstance(arg, type) and not hasattr(arg, "get_config"):
            raise ValueError(
                f"register_keras_serializable: cannot register {arg.__name__}: a "
                "class must implement get_config() to be serializable"
            )
        existing = _GLOBAL_CUSTOM_OBJECTS.get(registered_name)
        if existing is not None and existing is not arg and _qualname(existing) != _qualname(arg):
            raise ValueError(
                f"register_keras_serializable: {registered_name!r} is already "
                f"registered to {existing!r}"
            )
        _GLOBAL_CUSTOM_OBJECTS[registered_name] = arg
        _GLOBAL_CUSTOM_NAMES[arg] = registered_name
        return arg

    return decorator


def _qualname(obj) -> str:
    return f"{getattr(obj, '__module__', '')}.{getattr(obj, '__qualname__', repr(obj))}"


def get_registered_name(obj) -> str:
    """The name ``obj`` is registered under (``"package>Name"``), else its own name."""
    if obj in _GLOBAL_CUSTOM_NAMES:
        return _GLOBAL_CUSTOM_NAMES[obj]
    return getattr(obj, "__name__", type(obj).__name__)


def user_module(cls) -> str | None:
    """The ``"module"`` Keras 3 writes for a user's class: its ``__module__``, or None for a
    class defined in the main script (Keras 3 replaces ``"__main__"`` by None)."""
    module = getattr(cls, "__module__", None)
    return None if module == "__main__" else module


def keras_object_config(obj, module: str, config: dict | None = None) -> dict:
    """Keras 3's ``{"module", "class_name", "config", "registered_name"}`` of ``obj``.

    ``module`` is Keras's public module of the kind (``"keras.losses"``): a gpuflow class
    gets it and ``registered_name`` None; a user's class its own ``__module__`` and its
    registered name (``"package>Name"``, else the class name), as Keras writes them (a
    class of the main script: module None).
    ``config``: the config to write (default ``obj.get_config()``)."""
    cls = type(obj)
    builtin = getattr(cls, "__module__", "").split(".")[0] == "gpuflow"
    # A gpuflow class Keras exports under another name (its own class only, not subclasses)
    public = cls.__dict__.get("_keras_class_name", cls.__name__) if builtin else cls.__name__
    return {
        "module": module if builtin else user_module(cls),
        "class_name": public,
        "config": obj.get_config() if config is None else config,
        "registered_name": None if builtin else get_registered_name(cls),
    }


def function_config(fn) -> dict:
    """Keras 3's config of a plain function (a loss or metric function, a registered one
    by its ``"package>name"``)."""
    return {
        "module": "builtins",
        "class_name": "function",
        "config": get_registered_name(fn),
        "registered_name": "function",
    }


def is_function_config(config) -> bool:
    return isinstance(config, dict) and config.get("class_name") == "function"


def locate_function(name: str, custom_objects, builtins: dict, what: str):
    """The function a :func:`function_config` names: registered, in a custom object scope
    or ``custom_objects``, or one of ``builtins`` (``{name: function}``).

    Raises:
        ValueError: when none has that name.
    """
    found = get_registered_object(name, custom_objects, builtins)
    if found is None:
        raise ValueError(
            f"{what}: unknown function {name!r}; register it with "
            "@keras.saving.register_keras_serializable() or pass "
            f"custom_objects={{{name!r}: fn}}"
        )
    return found


def get_registered_object(name: str, custom_objects: dict | None = None, module_objects=None):
    """The object registered (or in a custom object scope, or in ``custom_objects``) as ``name``."""
    for scope in reversed(_scopes.stack):
        if name in scope:
            return scope[name]
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    if name in _GLOBAL_CUSTOM_OBJECTS:
        return _GLOBAL_CUSTOM_OBJECTS[name]
    if module_objects and name in module_objects:
        return module_objects[name]
    return None


def lookup(names, custom_objects: dict | None = None):
    """The first of ``names`` (a registered name, then a class name) that resolves, or None.

    A registered class is found by its full ``"package>Name"`` only (saved configs record it),
    never by a bare class name that another package might use too.
    """
    for name in names:
        if name:
            found = get_registered_object(name, custom_objects)
            if found is not None:
                return found
    return None


def get_custom_objects() -> dict:
    """The global dict of registered objects (``"package>Name" -> object``); it may be edited."""
    return _GLOBAL_CUSTOM_OBJECTS


class custom_object_scope:
    """``with custom_object_scope({"MyLayer": MyLayer}):`` makes the names resolvable in the block.

    Args:
        custom_objects: a dict ``{name: object}`` (several dicts are merged).
    """

    def __init__(self, *custom_objects) -> None:
        self.custom_objects = {}
        for objects in custom_objects:
            if objects is not None:
                if not isinstance(objects, dict):
                    raise TypeError(f"custom_object_scope: expected dicts, received {objects!r}")
                self.custom_objects.update(objects)

    def __enter__(self):
        _scopes.stack.append(self.custom_objects)
        return self

    def __exit__(self, *exc) -> None:
        _scopes.stack.pop()


CustomObjectScope = custom_object_scope


def scope_objects() -> dict:
    """The objects of the active custom object scopes (inner ones win)."""
    merged: dict = {}
    for scope in _scopes.stack:
        merged.update(scope)
    return merged
