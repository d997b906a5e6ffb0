"""Layers to and from ``{"class_name": ..., "config": {...}}`` (JSON-compatible), as Keras."""

from __future__ import annotations

import importlib
import inspect

from ..saving.object_registration import custom_object_scope, keras_object_config, lookup
from .base import BUILTIN_LAYERS, Layer

# Modules whose Layer subclasses may be named in a saved config but load lazily.
_LAZY_MODULES = ("gpuflow.models", "gpuflow.quantization")


def serialize(layer: Layer) -> dict:
    """Keras 3's ``{"module", "class_name", "config", "registered_name"}``: ``module`` is
    ``"keras.layers"`` (``"keras"`` for models) for gpuflow's classes, a user class's own
    module otherwise; ``registered_name`` is None for gpuflow's classes, else the name the
    class is registered under (``"package>Name"``, or the class name)."""
    if not isinstance(layer, Layer):
        raise TypeError(f"layers.serialize: expected a Layer, received {type(layer).__name__}")
    model = type(layer).__name__ in ("Sequential", "Functional", "Model")
    out = keras_object_config(layer, "keras" if model else "keras.layers")
    if _is_custom(type(layer)):
        # A custom layer may build in its own way (build(input_shape, extra), its own
        # get_build_config): loading calls its build_from_config with this, as Keras 3.
        build_config = layer.get_build_config()
        if build_config:
            out["build_config"] = build_config
    return out


def _is_custom(cls) -> bool:
    return not cls.__module__.startswith("gpuflow.")


def _lookup(name: str, custom_objects: dict | None, registered_name: str | None = None):
    found = lookup([registered_name, name], custom_objects)
    if found is not None:
        return found
    if name not in BUILTIN_LAYERS:
        for module in _LAZY_MODULES:
            try:
                importlib.import_module(module)
            except ImportError:
                pass
    return BUILTIN_LAYERS.get(name)


def deserialize(config: dict, custom_objects: dict | None = None) -> Layer:
    """The layer described by ``config`` (the output of :func:`serialize`).

    Args:
        config: ``{"class_name": ..., "config": {...}}``.
        custom_objects: ``{name: class}`` for layers defined outside gpuflow.

    Raises:
        ValueError: for an unknown class name, listing the known ones.
    """
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            "layers.deserialize: expected {'class_name': ..., 'config': {...}}, "
            f"received {config!r}"
        )
    name = config["class_name"]
    cls = _lookup(name, custom_objects, config.get("registered_name"))
    if cls is None:
        raise ValueError(
            f"unknown layer {name!r}; pass it in custom_objects={{'{name}': {name}}} or use one of "
            + ", ".join(sorted(n for n in BUILTIN_LAYERS if not n.startswith("_")))
        )
    inner = dict(config.get("config", {}))
    # In scope while the layer rebuilds, as Keras: its activation, initializers, regularizers
    # and constraints may name custom functions too (Dense(activation=my_fn)).
    with custom_object_scope(custom_objects):
        if custom_objects and "custom_objects" in inspect.signature(cls.from_config).parameters:
            layer = cls.from_config(
                inner, custom_objects=custom_objects
            )  # containers (Sequential) pass it on
        else:
            layer = cls.from_config(inner)
        build_config = config.get("build_config")
        if build_config and _is_custom(cls) and not layer.built:
            layer.build_from_config(build_config)
    return layer


def get(identifier, custom_objects: dict | None = None) -> Layer:
    """A layer from a Layer (returned as is), a config dict, or a class name (default arguments)."""
    if isinstance(identifier, Layer):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier, custom_objects)
    if isinstance(identifier, str):
        cls = _lookup(identifier, custom_objects)
        if cls is None:
            return deserialize({"class_name": identifier, "config": {}}, custom_objects)
        try:
            return cls()
        except TypeError as exc:
            raise ValueError(
                f"layers.get({identifier!r}): {identifier} needs arguments ({exc}); "
                "pass a config dict or a Layer"
            ) from None
    raise TypeError(
        f"layers.get: expected a Layer, a config dict or a name, received {identifier!r}"
    )
