"""Keras 3's automatic config of a user's layer: the arguments its ``__init__`` received.

A layer subclass that does not override ``get_config`` still saves and reloads in Keras 3
when every argument of its constructor (defaults included) is a plain value (``str``,
``int``, ``float``, ``bool``, ``None``, and lists, tuples and dicts of them): Keras records
them when the object is created and ``get_config`` returns them. Any other argument (a
layer, an array, a function) leaves the layer without an automatic config, and
``get_config`` raises, as in Keras.
"""

from __future__ import annotations

import inspect

_PLAIN = (str, int, float, bool, type(None))
_BASE_ARGUMENTS = ("self", "trainable", "name", "dtype", "activity_regularizer")


def _plain(value) -> bool:
    if isinstance(value, (list, tuple)):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(_plain(v) for v in value.values())
    return isinstance(value, _PLAIN)


def auto_config(cls, args: tuple, kwargs: dict) -> dict | None:
    """Keras 3.15's automatic config (``Operation.__new__``): every parameter of
    ``cls.__init__`` bound to what ``cls(*args, **kwargs)`` received, defaults included and
    ``**kwargs`` spread out, less ``name``; None when the call does not bind, uses
    positional-only or variadic positional arguments, or passes a value that is not
    plain."""
    try:
        signature = inspect.signature(cls.__init__)
        bound = signature.bind(None, *args, **kwargs)
    except (TypeError, ValueError):
        return None
    params = list(signature.parameters.values())
    if any(p.kind is p.POSITIONAL_ONLY for p in params[1:]):
        return None
    bound.apply_defaults()
    config = dict(bound.arguments)
    config.pop(params[0].name)  # self
    for p in params:
        if p.kind is p.VAR_KEYWORD:
            config.update(config.pop(p.name, {}))
        elif p.kind is p.VAR_POSITIONAL and config.pop(p.name, ()):
            return None
    config.pop("name", None)  # get_config writes the layer's own
    return config if _plain(config) else None


def config_of(layer, auto: dict) -> dict:
    """``{"name": ..., **auto}`` as Keras' ``Operation.get_config`` returns it (``name``
    left out when ``__init__`` could not take it back)."""
    params = inspect.signature(type(layer).__init__).parameters
    config = {"name": layer.name, **auto}
    # Keras looks for a ``**kwargs`` by that name: ``**kw`` does not count (name dropped)
    takes_kwargs = "kwargs" in params and params["kwargs"].kind is inspect.Parameter.VAR_KEYWORD
    if "name" not in params and not takes_kwargs:
        config.pop("name")
    return config


def own_init_parameters(cls) -> list:
    """The names of the parameters ``cls.__init__`` takes beyond Layer's own."""
    return [
        p.name
        for p in inspect.signature(cls.__init__).parameters.values()
        if p.name not in _BASE_ARGUMENTS and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)
    ]
