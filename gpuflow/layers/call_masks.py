"""Which ``call()`` arguments receive the inputs' masks, by Keras 3's rule.

When ``call`` receives one tensor argument (a tensor, or a list / dict of tensors), its mask
goes to ``mask=``. When it receives several, ``mask=`` is left alone (None unless passed)
and each tensor argument ``x`` gives its mask to a parameter ``x_mask`` where ``call`` has
one: ``call(self, inputs, context, mask=None)`` gets no mask, ``call(self, inputs, context,
inputs_mask=None, context_mask=None)`` gets both. An RNN called with ``initial_state``
tensors therefore gets no mask, as in Keras 3.
"""

from __future__ import annotations

import inspect

import numpy as np

from .. import nest
from ..tensor import Tensor
from ._masks import get_mask


def mask_parameters(call) -> tuple:
    """The ``x_mask`` parameters of ``call`` whose ``x`` is another parameter."""
    params = inspect.signature(call).parameters
    return tuple(p for p in params if p.endswith("_mask") and p[: -len("_mask")] in params)


def _is_tensor(value) -> bool:
    return isinstance(value, (Tensor, np.ndarray))


def _is_tensor_argument(value) -> bool:
    if _is_tensor(value):
        return True
    if isinstance(value, (list, tuple, dict)) and len(value) > 0:
        flat = nest.flatten(value)
        return bool(flat) and all(v is None or _is_tensor(v) for v in flat)
    return False


def _mask_of(value):
    if isinstance(value, dict):
        masks = {k: get_mask(v) for k, v in value.items()}
        return None if all(m is None for m in masks.values()) else masks
    return get_mask(value)


def populate(layer, inputs, args: tuple, kwargs: dict, first_mask) -> None:
    """Put the masks into ``kwargs`` as Keras 3's ``Layer.__call__`` does (see the module
    docstring); ``first_mask`` is the mask ``inputs`` carries."""
    others = [v for v in args if _is_tensor_argument(v)]
    others += [v for k, v in kwargs.items() if k != "mask" and _is_tensor_argument(v)]
    if not others:  # the common case: the inputs are the only tensor argument
        if first_mask is not None and layer._call_takes_mask:
            kwargs["mask"] = first_mask
        return
    try:
        bound = inspect.signature(layer.call).bind_partial(inputs, *args, **kwargs)
    except TypeError:  # call() itself reports the bad arguments
        return
    tensors = {
        name: value
        for name, value in bound.arguments.items()
        if not name.endswith("_mask") and name != "mask" and _is_tensor_argument(value)
    }
    if len(tensors) == 1:
        if layer._call_takes_mask:
            mask = _mask_of(next(iter(tensors.values())))
            if mask is not None:
                kwargs["mask"] = mask
        return
    for name, value in tensors.items():
        key = f"{name}_mask"
        if key in layer._call_mask_parameters and kwargs.get(key) is None:
            mask = _mask_of(value)
            if mask is not None:
                kwargs[key] = mask
