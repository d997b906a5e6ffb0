"""Random image ops of ``tf.image``: ``random_flip_*``, ``random_crop``, ``random_brightness``,
``random_contrast``, ``random_saturation``, ``random_hue``, and their ``stateless_random_*``
twins.

The seeded ops follow ``tf.random``'s rule (``gpuflow.random``): with ``seed=s`` a call draws
from the stream of ``(global seed, s)``, which advances on each call and restarts at the next
``set_seed``. The stateless ops take ``seed = [a, b]``: the same seed gives the same result.
The numbers differ from TensorFlow's (another generator); the distributions are the same.
"""

from __future__ import annotations

import numpy as np

from .. import random as _random
from .._tracing import host_call
from ..tensor import Tensor
from ._common import as_tensor, invalid_argument
from .image_color import adjust_brightness, adjust_contrast, adjust_hue, adjust_saturation
from .image_geometry import batched, flip_left_right, flip_up_down
from .indexing import gather
from .math import where
from .shape import reshape


def _uniform(shape, low, high, seed, stateless: bool, dtype="float32", device=None) -> Tensor:
    if stateless:
        return _random.stateless_uniform(shape, seed, low, high, dtype=dtype, device=device)
    return _random.uniform(shape, low, high, dtype=dtype, seed=seed, device=device)


def _random_flip(image, flip, seed, stateless: bool) -> Tensor:
    x = as_tensor(image)
    _, single = batched(x, flip.__name__)
    count = [] if single else [x.shape[0]]
    coins = _uniform(count, 0.0, 1.0, seed, stateless, device=x.device)
    mask = coins < 0.5 if single else reshape(coins < 0.5, (-1, 1, 1, 1))
    return where(mask, flip(x), x)


def random_flip_left_right(image, seed=None) -> Tensor:
    """Each image mirrored along its width with probability 1/2."""
    return _random_flip(image, flip_left_right, seed, False)


def random_flip_up_down(image, seed=None) -> Tensor:
    """Each image mirrored along its height with probability 1/2."""
    return _random_flip(image, flip_up_down, seed, False)


def stateless_random_flip_left_right(image, seed) -> Tensor:
    """:func:`random_flip_left_right` fully determined by ``seed = [a, b]``."""
    return _random_flip(image, flip_left_right, seed, True)


def stateless_random_flip_up_down(image, seed) -> Tensor:
    """:func:`random_flip_up_down` fully determined by ``seed = [a, b]``."""
    return _random_flip(image, flip_up_down, seed, True)


def _crop(value, size, seed, stateless: bool, op: str) -> Tensor:
    x = as_tensor(value)
    size = [int(s) for s in (size.numpy().tolist() if isinstance(size, Tensor) else size)]
    if len(size) != x.ndim:
        raise ValueError(
            f"{op}: size needs one entry per axis of the value of shape {tuple(x.shape)}, "
            f"received {size}"
        )
    if any(s > n or s < 0 for s, n in zip(size, x.shape)):
        raise invalid_argument(op, f"Need value.shape >= size, got {list(x.shape)} and {size}")
    limit = max(np.iinfo(np.int32).max, 2)
    draws = _uniform([x.ndim], 0, limit, seed, stateless, dtype="int32", device=x.device)
    out = x
    for axis, index in enumerate(_crop_indices(draws, tuple(x.shape), tuple(size))):
        if size[axis] != x.shape[axis]:
            out = gather(out, index, axis=axis)
    return out


@host_call(effect=False)
def _crop_indices(draws, shape, size) -> list:
    """Per axis, the ``size`` consecutive indices from an offset in ``[0, n - size]``."""
    offsets = draws.numpy().astype(np.int64) % (np.asarray(shape) - np.asarray(size) + 1)
    return [
        Tensor(np.arange(o, o + s, dtype=np.int64), device=draws.device)
        for o, s in zip(offsets, size)
    ]


def random_crop(value, size, seed=None, name=None) -> Tensor:
    """A ``size`` slice of ``value`` at a uniformly random offset.

    Raises:
        InvalidArgumentError: when ``size`` exceeds the value's shape.
    """
    return _crop(value, size, seed, False, "random_crop")


def stateless_random_crop(value, size, seed, name=None) -> Tensor:
    """:func:`random_crop` fully determined by ``seed = [a, b]``."""
    return _crop(value, size, seed, True, "stateless_random_crop")


def _check_range(lower, upper) -> None:
    if upper <= lower:
        raise ValueError("upper must be > lower.")
    if lower < 0:
        raise ValueError("lower must be non-negative.")


def random_brightness(image, max_delta, seed=None) -> Tensor:
    """:func:`adjust_brightness` by a delta drawn from ``[-max_delta, max_delta)``."""
    if max_delta < 0:
        raise ValueError("max_delta must be non-negative.")
    return adjust_brightness(image, _uniform([], -max_delta, max_delta, seed, False))


def stateless_random_brightness(image, max_delta, seed) -> Tensor:
    """:func:`random_brightness` fully determined by ``seed = [a, b]``."""
    if max_delta < 0:
        raise ValueError("max_delta must be non-negative.")
    return adjust_brightness(image, _uniform([], -max_delta, max_delta, seed, True))


def random_contrast(image, lower, upper, seed=None) -> Tensor:
    """:func:`adjust_contrast` by a factor drawn from ``[lower, upper)``."""
    _check_range(lower, upper)
    return adjust_contrast(image, _uniform([], lower, upper, seed, False))


def stateless_random_contrast(image, lower, upper, seed) -> Tensor:
    """:func:`random_contrast` fully determined by ``seed = [a, b]``."""
    _check_range(lower, upper)
    return adjust_contrast(image, _uniform([], lower, upper, seed, True))


def random_saturation(image, lower, upper, seed=None) -> Tensor:
    """:func:`adjust_saturation` by a factor drawn from ``[lower, upper)``."""
    _check_range(lower, upper)
    return adjust_saturation(image, _uniform([], lower, upper, seed, False))


def stateless_random_saturation(image, lower, upper, seed=None) -> Tensor:
    """:func:`random_saturation` fully determined by ``seed = [a, b]``."""
    _check_range(lower, upper)
    return adjust_saturation(image, _uniform([], lower, upper, seed, True))


def _check_hue(max_delta) -> None:
    if max_delta > 0.5:
        raise ValueError("max_delta must be <= 0.5.")
    if max_delta < 0:
        raise ValueError("max_delta must be non-negative.")


def random_hue(image, max_delta, seed=None) -> Tensor:
    """:func:`adjust_hue` by a delta in ``[-max_delta, max_delta)``, ``max_delta <= 0.5``."""
    _check_hue(max_delta)
    return adjust_hue(image, _uniform([], -max_delta, max_delta, seed, False))


def stateless_random_hue(image, max_delta, seed) -> Tensor:
    """:func:`random_hue` fully determined by ``seed = [a, b]``."""
    _check_hue(max_delta)
    return adjust_hue(image, _uniform([], -max_delta, max_delta, seed, True))


__all__ = [
    "random_brightness",
    "random_contrast",
    "random_crop",
    "random_flip_left_right",
    "random_flip_up_down",
    "random_hue",
    "random_saturation",
    "stateless_random_brightness",
    "stateless_random_contrast",
    "stateless_random_crop",
    "stateless_random_flip_left_right",
    "stateless_random_flip_up_down",
    "stateless_random_hue",
    "stateless_random_saturation",
]
