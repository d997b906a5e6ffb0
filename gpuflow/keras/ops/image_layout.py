"""``data_format="channels_first"`` for the ``keras.ops.image`` functions written for
channels-last images: the images (the first argument, ``[batch, channels, height, width]``
or one ``[channels, height, width]``) are transposed to channels last, the function runs,
and its image result is transposed back, as Keras 3 returns it."""

from __future__ import annotations

import functools
import inspect

from ...ops.shape import transpose
from ._dtypes import convert_to_tensor

_TO_LAST = {4: (0, 2, 3, 1), 3: (1, 2, 0)}
_TO_FIRST = {4: (0, 3, 1, 2), 3: (2, 0, 1)}


def channels_first_aware(fn):
    """``fn`` (images first, a ``data_format`` argument, channels-last only) taking
    ``data_format="channels_first"`` too; any other value reaches ``fn`` unchanged."""
    signature = inspect.signature(fn)
    first = next(iter(signature.parameters))

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        if bound.arguments.get("data_format") != "channels_first":
            return fn(*args, **kwargs)
        images = convert_to_tensor(bound.arguments[first])
        if images.ndim not in _TO_LAST:
            raise ValueError(
                f"{fn.__name__}: Invalid images rank: expected rank 3 (single image) or rank 4 "
                f"(batch of images). Received input with shape: images.shape="
                f"{tuple(images.shape)}"
            )
        rank = images.ndim
        bound.arguments[first] = transpose(images, _TO_LAST[rank])
        bound.arguments["data_format"] = "channels_last"
        return transpose(fn(*bound.args, **bound.kwargs), _TO_FIRST[rank])

    return wrapper
