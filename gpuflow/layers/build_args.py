"""Keras 3's rule for a user ``build()`` with several arguments.

``build(self, a_shape, b_shape)`` gets the shapes of ``call()``'s arguments ``a`` and ``b``
(each ``*_shape`` argument names a ``call()`` argument); a ``build`` with one argument gets
the shape of the first input, whatever its name. A multi-argument ``build`` whose names do
not follow the rule is refused with Keras' ValueError.
"""

from __future__ import annotations

import inspect

import numpy as np

from .. import nest

_NAMED = (
    inspect.Parameter.POSITIONAL_ONLY,
    inspect.Parameter.POSITIONAL_OR_KEYWORD,
    inspect.Parameter.KEYWORD_ONLY,
)


def argument_names(build) -> list:
    """The names ``build`` (an unbound function) takes after ``self``."""
    params = list(inspect.signature(build).parameters.values())[1:]
    return [p.name for p in params if p.kind in _NAMED]


def multi_argument_build(layer) -> list | None:
    """The argument names of the layer's own ``build`` when it takes more than one."""
    names = getattr(type(layer).build, "_build_argument_names", None)
    return names if names is not None and len(names) > 1 else None


def _is_tensor_like(value) -> bool:
    flat = nest.flatten(value)
    return bool(flat) and all(hasattr(x, "shape") and hasattr(x, "dtype") for x in flat)


def _shape(value):
    return nest.map_structure(
        lambda x: tuple(None if n is None else int(n) for n in x.shape), value
    )


def call_shapes(layer, args: tuple, kwargs: dict) -> dict | None:
    """``{name_shape: shape}`` for a multi-argument ``build`` from the arguments of a call
    (``args`` the positional ones, inputs first), or None when ``build`` takes one."""
    names = multi_argument_build(layer)
    if names is None:
        return None
    try:
        bound = inspect.signature(type(layer).call).bind(layer, *args, **kwargs).arguments
    except TypeError:
        bound = {}
    call_params = list(inspect.signature(type(layer).call).parameters)[1:]
    cls = type(layer).__name__
    shapes = {}
    for name in names:
        preamble = (
            "For a `build()` method with more than one argument, all arguments should have "
            "a `_shape` suffix and match an argument from `call()`. E.g. "
            "`build(self, foo_shape, bar_shape)` "
        )
        if not name.endswith("_shape"):
            raise ValueError(
                f"{preamble} For layer '{cls}', Received `build()` argument `{name}`, which "
                "does not end in `_shape`."
            )
        argument = name[: -len("_shape")]
        if argument not in call_params:
            raise ValueError(
                f"{preamble} For layer '{cls}', received `build()` argument `{name}`, but "
                f"`call()` does not have argument `{argument}`."
            )
        value = bound.get(argument)
        if value is not None and (_is_tensor_like(value) or isinstance(value, np.ndarray)):
            shapes[name] = _shape(value)
    return shapes
