"""Optimizers, as ``tf.keras.optimizers``: SGD, Adam, AdamW, Nadam, Adamax, Adagrad, Adadelta,
RMSprop, Lion and schedules.

``get`` turns a name or instance into an optimizer; ``serialize``/``deserialize`` turn an
optimizer's configuration into JSON-able dicts and back (its state goes through
``Optimizer.get_state`` / ``set_state``).
"""
from __future__ import annotations

import inspect

from . import legacy, schedules  # noqa: F401
from .adadelta import Adadelta
from .adagrad import Adagrad
from .adam import Adam
from .adamax import Adamax
from .adamw import AdamW
from .base import Optimizer
from .lion import Lion
from .loss_scale_optimizer import LossScaleOptimizer
from .nadam import Nadam
from .rmsprop import RMSprop
from .sgd import SGD

_BY_NAME = {"sgd": SGD, "adam": Adam, "rmsprop": RMSprop, "adagrad": Adagrad, "adamw": AdamW,
            "nadam": Nadam, "adamax": Adamax, "adadelta": Adadelta, "lion": Lion}

__all__ = [
    "SGD",
    "Adadelta",
    "Adagrad",
    "Adam",
    "LossScaleOptimizer",
    "AdamW",
    "Adamax",
    "Lion",
    "Nadam",
    "Optimizer",
    "RMSprop",
    "deserialize",
    "get",
    "schedules",
    "serialize",
]


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
        cls = _BY_NAME.get(identifier.lower())
        if cls is None:
            raise ValueError(f"Unknown optimizer {identifier!r}; expected one of: "
                             f"{', '.join(sorted(_BY_NAME))}")
        return cls()
    if inspect.isclass(identifier) and issubclass(identifier, Optimizer):
        return identifier()
    raise TypeError(f"optimizers.get: expected an optimizer name or Optimizer, received "
                    f"{type(identifier).__name__}: {identifier!r}")


def serialize(optimizer) -> dict:
    """``{"class_name": ..., "config": {...}}`` for an optimizer (state excluded)."""
    optimizer = get(optimizer)
    return {"class_name": type(optimizer).__name__, "config": optimizer.get_config()}


def deserialize(config: dict, custom_objects: dict | None = None) -> Optimizer:
    """A new optimizer from :func:`serialize`'s output.

    Raises:
        ValueError: for an unknown class name, saying to pass ``custom_objects``.
    """
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"optimizers.deserialize: expected a dict with 'class_name' and 'config', "
                         f"received {config!r}")
    name = config["class_name"]
    cls = (custom_objects or {}).get(name) or _BY_NAME.get(name.lower())
    if cls is None and name == "LossScaleOptimizer":
        cls = LossScaleOptimizer
    if cls is None:
        known = ", ".join(sorted(c.__name__ for c in _BY_NAME.values()))
        raise ValueError(f"optimizers.deserialize: unknown optimizer {name!r}; expected one of "
                         f"{known}, or pass custom_objects={{{name!r}: cls}}")
    return cls.from_config(dict(config.get("config") or {}), custom_objects=custom_objects)
