"""Differentiable ops the spatial layers need: constant padding and repetition along an axis."""

from __future__ import annotations

from ..autodiff.function import Function
from ..tensor import Tensor
from ._common import as_tensor, normalize_axis


class Pad(Function):
    def __init__(self, paddings, value) -> None:
        self.paddings, self.value = paddings, value

    def forward(self, x):
        self.shape = x.shape
        return self.xp.pad(x, self.paddings, constant_values=self.value)

    def backward(self, g):
        index = tuple(
            slice(before, before + n) for (before, _), n in zip(self.paddings, self.shape)
        )
        return (g[index],)


def pad(tensor, paddings, constant_values=0) -> Tensor:
    """``tensor`` padded with ``constant_values``; ``paddings``: ``[[before, after], ...]``.

    Raises:
        ValueError: when ``paddings`` does not give two non-negative ints per axis.
    """
    x = as_tensor(tensor)
    pads = tuple((int(a), int(b)) for a, b in paddings)
    if len(pads) != x.ndim or any(a < 0 or b < 0 for a, b in pads):
        raise ValueError(
            f"pad: expected {x.ndim} pairs of non-negative ints for shape "
            f"{tuple(x.shape)}, "
            f"received {paddings!r}"
        )
    if not any(a or b for a, b in pads):
        return x
    return Pad(pads, constant_values)(x)


class Repeat(Function):
    def __init__(self, repeats, axis) -> None:
        self.repeats, self.axis = repeats, axis

    def forward(self, x):
        self.shape = x.shape
        return self.xp.repeat(x, self.repeats, axis=self.axis)

    def backward(self, g):
        a = self.axis
        split = self.shape[:a] + (self.shape[a], self.repeats) + self.shape[a + 1 :]
        return (g.reshape(split).sum(axis=a + 1),)


def repeat(input, repeats: int, axis: int) -> Tensor:  # noqa: A002 - TensorFlow's name
    """Each slice along ``axis`` repeated ``repeats`` times in place (``[a, b]`` to
    ``[a, a, b, b]``)."""
    x = as_tensor(input)
    (ax,) = normalize_axis(axis, x.ndim, "repeat")
    if int(repeats) < 1:
        raise ValueError(f"repeat: repeats must be a positive int, received {repeats!r}")
    if int(repeats) == 1:
        return x
    return Repeat(int(repeats), ax)(x)
