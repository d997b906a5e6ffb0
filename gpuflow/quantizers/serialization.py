"""``keras.quantizers.serialize`` / ``deserialize`` / ``get``: quantizers and quantization
configs to and from Keras 3's ``{"module": "keras.quantizers", "class_name", "config",
"registered_name"}`` form."""

from __future__ import annotations

import inspect

from ..layers.naming import to_snake_case
from ..saving.object_registration import custom_object_scope, keras_object_config, lookup

_CLASSES: dict = {}  # class name and its snake_case form -> class, filled by __init__


def register(*classes) -> None:
    """Make ``classes`` known by name to :func:`deserialize` and :func:`get`."""
    for cls in classes:
        _CLASSES[cls.__name__] = cls
        _CLASSES[to_snake_case(cls.__name__)] = cls


def serialize(obj):
    """Keras 3's config of a quantizer or quantization config (None gives None)."""
    if obj is None:
        return None
    if not hasattr(obj, "get_config"):
        raise TypeError(
            f"keras.quantizers.serialize: cannot serialize {type(obj).__name__} {obj!r}: it "
            "has no get_config()"
        )
    return keras_object_config(obj, "keras.quantizers")


def deserialize(config, custom_objects=None):
    """The quantizer or config :func:`serialize` described (None gives None)."""
    if config is None:
        return None
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            f"keras.quantizers.deserialize: expected a dict with 'class_name' and 'config', "
            f"received {config!r}"
        )
    name = config["class_name"]
    with custom_object_scope(custom_objects):
        cls = lookup([config.get("registered_name"), name], custom_objects) or _CLASSES.get(name)
    if cls is None:
        raise ValueError(
            f"keras.quantizers.deserialize: unknown quantizer {name!r}; register it with "
            "@keras.saving.register_keras_serializable() or pass custom_objects"
        )
    return cls.from_config(dict(config.get("config") or {}))


def get(identifier, **kwargs):
    """A quantizer from an identifier: None, a config dict, a class name (instantiated
    with ``kwargs``) or a quantizer object (returned as is)."""
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = _CLASSES.get(identifier)
    else:
        obj = identifier
    if callable(obj):
        return obj(**kwargs) if inspect.isclass(obj) else obj
    raise ValueError(f"Could not interpret quantizer identifier: {identifier}")
