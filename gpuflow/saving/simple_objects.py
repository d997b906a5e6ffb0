"""Configs of the small Keras objects that layers hold (regularizers, constraints): one
way to serialize them, resolve names and registered classes, and rebuild them."""

from __future__ import annotations

from .object_registration import get_registered_name, keras_object_config, lookup


def serialize(obj, module: str) -> dict | str | None:
    """Keras 3's ``{"module", "class_name", "config", "registered_name"}`` (``module``: the
    kind's, ``"keras.regularizers"``); a function is saved by its (registered) name."""
    if obj is None:
        return None
    if not hasattr(obj, "get_config"):
        return get_registered_name(obj)
    return keras_object_config(obj, module)


def deserialize(config, custom_objects: dict | None, builtin: dict, kind: str):
    """The ``kind`` (``"regularizer"``, ``"constraint"``) object :func:`serialize` described,
    from the ``builtin`` classes and functions by name, or registered ones.

    Raises:
        ValueError: for an unknown name, listing the built-in ones.
    """
    if isinstance(config, str):
        found = lookup([config], custom_objects) or builtin.get(config)
        if found is None:
            raise ValueError(
                f"Could not interpret {kind} identifier: {config!r}; known: "
                + ", ".join(sorted(builtin))
            )
        return found() if isinstance(found, type) else found
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            f"{kind}s.deserialize: expected {{'class_name', 'config'}}, received {config!r}"
        )
    name = config["class_name"]
    cls = lookup([config.get("registered_name"), name], custom_objects) or builtin.get(name)
    if cls is None:
        raise ValueError(
            f"Unknown {kind} {name!r}; register it with "
            "keras.saving.register_keras_serializable() or pass custom_objects"
        )
    return cls.from_config(dict(config.get("config") or {}))


def get(identifier, builtin: dict, kind: str):
    """An object from None, an instance or callable, a name or a config."""
    if identifier is None:
        return None
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier, None, builtin, kind)
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret {kind} identifier: {identifier!r}")
