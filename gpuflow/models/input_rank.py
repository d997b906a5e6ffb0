"""Keras 3's input-rank rule, shared by Functional and Sequential models: data one axis
short of an input whose last axis is 1 gets that axis (a ``(batch,)`` array for
``Input(shape=(1,))``); data with one axis of 1 too many loses it."""

from __future__ import annotations


def adjusted_sample_shape(want: tuple, got: tuple) -> tuple:
    """``got`` (a sample's shape, or a batch's) as the rule makes it for ``want``."""
    if len(got) + 1 == len(want) and want[-1] == 1:
        return tuple(got) + (1,)
    if len(got) == len(want) + 1 and got[-1] == 1:
        return tuple(got)[:-1]
    return tuple(got)


def adjust_rank(want: tuple, value):
    """``value`` (a Tensor) with the axis added or dropped that the rule asks for."""
    got = tuple(value.shape)
    if len(got) + 1 == len(want) and want[-1] == 1:
        from ..ops.shape import expand_dims

        return expand_dims(value, -1)
    if len(got) == len(want) + 1 and got[-1] == 1:
        from ..ops.shape import squeeze

        return squeeze(value, -1)
    return value


def check_rank(want: tuple, value, model_name: str) -> None:
    """Keras 3's error for data whose rank the rule cannot fit to the input's (a built
    Sequential called on one unbatched image, or on sequences where it took vectors)."""
    got = tuple(value.shape)
    if len(got) != len(want):
        raise ValueError(
            f"Invalid input shape for input of model '{model_name}'. Expected shape "
            f"{tuple(want)}, but input has incompatible shape {got}"
        )
