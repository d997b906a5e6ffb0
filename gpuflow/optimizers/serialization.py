"""``keras.optimizers.get`` / ``serialize`` / ``deserialize``: optimizers by name or config.

Kept apart from the package's ``__init__`` so that LossScaleOptimizer (which wraps an
optimizer it looks up here) and this module never import each other: the classes are
found in the registry that :class:`Optimizer` fills as its subclasses are defined.
"""

from __future__ import annotations

import inspect

from .base import OPTIMIZER_CLASSES, Optimizer


def get(identifier) -> Optimizer:
    """An optimizer from a name (``"sgd"``, ``"adam"``, ``"adamw"``, ``"rmsprop"``, ...; any case),
    an Optimizer instance (returned as is), an Optimizer class, or :func:`serialize`'s output.

    Raises:
        ValueError: for an unknown name, listing the valid ones.
        TypeError: for anything else.
    """
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        cls = OPTIMIZER_CLASSES.get(identifier.lower())
        if cls is None:
            raise ValueError(
                f"Unknown optimizer {identifier!r}; expected one of: "
                f"{', '.join(sorted(OPTIMIZER_CLASSES))}"
            )
        return cls()
    if inspect.isclass(identifier) and issubclass(identifier, Optimizer):
        return identifier()
    raise TypeError(
        f"optimizers.get: expected an optimizer name or Optimizer, received "
        f"{type(identifier).__name__}: {identifier!r}"
    )


def serialize(optimizer) -> dict:
    """Keras 3's ``{"module", "class_name", "config", "registered_name"}`` for an optimizer
    (state excluded)."""
    from ..saving.object_registration import keras_object_config

    return keras_object_config(get(optimizer), "keras.optimizers")


def deserialize(config: dict, custom_objects: dict | None = None) -> Optimizer:
    """A new optimizer from :func:`serialize`'s output.

    Raises:
        ValueError: for an unknown class name, saying to pass ``custom_objects``.
    """
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            f"optimizers.deserialize: expected a dict with 'class_name' and 'config', "
            f"received {config!r}"
        )
    name = config["class_name"]
    cls = (custom_objects or {}).get(name) or OPTIMIZER_CLASSES.get(name.lower())
    if cls is None:
        known = ", ".join(sorted(c.__name__ for c in OPTIMIZER_CLASSES.values()))
        raise ValueError(
            f"optimizers.deserialize: unknown optimizer {name!r}; expected one of "
            f"{known}, or pass custom_objects={{{name!r}: cls}}"
        )
    return cls.from_config(dict(config.get("config") or {}), custom_objects=custom_objects)
