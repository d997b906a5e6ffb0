"""``keras.saving.serialize_keras_object`` / ``deserialize_keras_object``: any Keras object
(layer, model, regularizer, initializer, constraint, loss, metric, optimizer, learning-rate
schedule, function) to and from Keras 3's ``{"module", "class_name", "config",
"registered_name"}`` form.

The per-kind ``deserialize`` functions (``gpuflow.regularizers.deserialize``, ...) do the
rebuilding; this module only picks the kind, from the object's base class when saving and
from ``"module"`` (or a registered class) when loading.
"""

from __future__ import annotations

import importlib

from .object_registration import custom_object_scope, keras_object_config, lookup

# Keras 3's "module" of each kind -> (gpuflow module, its base class name(s)); the module's
# ``deserialize`` rebuilds objects of the kind.
_KINDS = {
    "keras.layers": ("gpuflow.layers", "Layer"),
    "keras.regularizers": ("gpuflow.regularizers", "Regularizer"),
    "keras.initializers": ("gpuflow.initializers", "Initializer"),
    "keras.constraints": ("gpuflow.constraints", "Constraint"),
    "keras.losses": ("gpuflow.losses", "Loss"),
    "keras.metrics": ("gpuflow.metrics", "Metric"),
    "keras.optimizers.schedules": ("gpuflow.optimizers.schedules", "LearningRateSchedule"),
    "keras.optimizers": ("gpuflow.optimizers", "Optimizer"),
    "keras.quantizers": ("gpuflow.quantizers", ("Quantizer", "QuantizationConfig")),
}
_PRIMITIVES = (str, int, float, bool, bytes, type(None))


def _kind_of(obj) -> str | None:
    for module, (path, bases) in _KINDS.items():
        found = importlib.import_module(path)
        names = (bases,) if isinstance(bases, str) else bases
        if isinstance(obj, tuple(getattr(found, name) for name in names)):
            return module
    return None


def serialize_keras_object(obj):
    """Keras 3's config of ``obj``: primitives, lists and dicts as themselves (their items
    serialized); a function as ``{"class_name": "function", "config": name}``; an object
    with ``get_config()`` as ``{"module", "class_name", "config", "registered_name"}``
    (``registered_name`` is ``"package>Name"`` for a class outside gpuflow, else None)."""
    if isinstance(obj, _PRIMITIVES):
        return obj
    if isinstance(obj, (list, tuple)):
        return type(obj)(serialize_keras_object(x) for x in obj)
    if isinstance(obj, dict):
        return {key: serialize_keras_object(value) for key, value in obj.items()}
    if not hasattr(obj, "get_config"):
        if callable(obj) and hasattr(obj, "__name__"):
            from .. import activations

            name = activations.serialize(obj)
            return {
                "module": "builtins",
                "class_name": "function",
                "config": name if isinstance(name, str) else name["config"],
                "registered_name": "function",
            }
        raise TypeError(
            f"serialize_keras_object: cannot serialize {type(obj).__name__} {obj!r}: it has "
            "no get_config() and is not a function"
        )
    cls = type(obj)
    kind = _kind_of(obj)
    if kind == "keras.layers" and cls.__name__ in ("Sequential", "Functional", "Model"):
        kind = "keras"
    out = keras_object_config(obj, kind or cls.__module__)
    build_config = getattr(obj, "get_build_config", None)
    if kind in ("keras", "keras.layers") and callable(build_config):
        built = build_config()
        if built:
            out["build_config"] = built
    return out


def _locate_function(name: str, custom_objects, config):
    from .. import activations

    found = lookup([name], custom_objects)
    if found is None:
        try:
            found = activations.deserialize(name)
        except ValueError:
            found = None
    if found is None:
        raise TypeError(
            f"deserialize_keras_object: could not locate function {name!r}; register it with "
            "@keras.saving.register_keras_serializable() or pass "
            f"custom_objects={{{name!r}: {name}}}. Full object config: {config!r}"
        )
    return found


def _deserialize_by_module(module: str, config: dict, custom_objects):
    path = _KINDS.get("keras.layers" if module == "keras" else module, (None,))[0]
    if path is None:
        return None
    if module in ("keras", "keras.layers"):
        from ..layers import deserialize

        return deserialize(config, custom_objects)
    return importlib.import_module(path).deserialize(config, custom_objects=custom_objects)


def deserialize_keras_object(config, custom_objects=None, safe_mode: bool = True, **kwargs):
    """The object :func:`serialize_keras_object` described.

    Args:
        config: its output (a dict, a list, or a primitive).
        custom_objects: ``{name: class or function}`` for objects defined outside gpuflow
            (registered ones and those of a ``custom_object_scope`` are found too).
        safe_mode: accepted for Keras compatibility (configs here never hold code).

    Raises:
        TypeError: for a class or function that is not registered nor in custom_objects.
        ValueError: for a ``keras.*`` module that has no class of that name.
    """
    if isinstance(config, _PRIMITIVES):
        return config
    if isinstance(config, (list, tuple)):
        return [deserialize_keras_object(x, custom_objects, safe_mode) for x in config]
    if not isinstance(config, dict):
        raise TypeError(
            f"deserialize_keras_object: expected a dict config, received "
            f"{type(config).__name__}: {config!r}"
        )
    if "class_name" not in config or "config" not in config:
        return {
            key: deserialize_keras_object(value, custom_objects, safe_mode)
            for key, value in config.items()
        }
    name, module = config["class_name"], config.get("module")
    with custom_object_scope(custom_objects):
        if name == "function":
            return _locate_function(config["config"], custom_objects, config)
        registered = config.get("registered_name")
        cls = lookup([registered if registered != "function" else None, name], custom_objects)
        if cls is None and module is not None:
            try:
                obj = _deserialize_by_module(module, config, custom_objects)
            except ValueError as exc:
                raise ValueError(
                    f"deserialize_keras_object: could not deserialize '{module}.{name}': {exc}"
                ) from None
            if obj is not None:
                return _built(obj, config)
        if cls is None:
            raise TypeError(
                f"deserialize_keras_object: could not locate class {name!r}; register it with "
                "@keras.saving.register_keras_serializable() or pass "
                f"custom_objects={{{name!r}: {name}}}. Full object config: {config!r}"
            )
        return _built(cls.from_config(dict(config["config"] or {})), config)


def _built(obj, config: dict):
    """``obj``, built from ``config["build_config"]`` when it records an input shape."""
    shape = (config.get("build_config") or {}).get("input_shape")
    if shape is not None and not getattr(obj, "built", True) and hasattr(obj, "build"):
        obj.build(tuple(shape))
    return obj
