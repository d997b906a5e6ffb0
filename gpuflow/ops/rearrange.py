"""Ops that move elements around: pad, reverse, roll, repeat."""

from __future__ import annotations

import numpy as np

from ..autodiff.function import Function
from ..tensor import Tensor
from ._common import (
    as_int,
    as_tensor,
    int_list,
    invalid_argument,
    invalid_type,
    normalize_axis,
    unsupported_dtype,
)
from .indexing import GetItem


class Pad(Function):
    """Constant padding; the gradient is the slice of the padded gradient (``GetItem``).
    String tensors pad with bytes (``b""`` for the default 0), as TensorFlow's."""

    keeps_strings = True

    def __init__(self, paddings, value) -> None:
        self.paddings, self.value = paddings, value

    def forward(self, x):
        if x.dtype != object:
            return self.xp.pad(x, self.paddings, constant_values=self.value)
        shape = tuple(n + before + after for n, (before, after) in zip(x.shape, self.paddings))
        out = np.empty(shape, dtype=object)
        out.fill(self.value)  # plain bytes objects, as every string tensor holds
        out[tuple(slice(before, before + n) for n, (before, _) in zip(x.shape, self.paddings))] = x
        return out

    def backward(self, F, g):
        index = tuple(
            slice(before, before + n) for (before, _), n in zip(self.paddings, self._xs[0].shape)
        )
        return (F.getitem(g, index),)


def _string_fill(value) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode()
    if value == 0 and not isinstance(value, bool):  # the default constant_values
        return b""
    raise invalid_type("pad", f"a string tensor pads with a string, received {value!r}")


def _paddings(paddings, x, op):
    if isinstance(paddings, Tensor):
        paddings = paddings.numpy().tolist()
    if not isinstance(paddings, (list, tuple)) or not all(
        isinstance(p, (list, tuple)) for p in paddings
    ):
        raise invalid_type(
            op, f"paddings must be a list of [before, after] pairs, received {paddings!r}"
        )
    pads = [tuple(as_int(op, "paddings", v, minimum=0) for v in pair) for pair in paddings]
    if len(pads) != x.ndim or any(len(p) != 2 for p in pads):
        raise invalid_argument(
            op,
            f"paddings must be {x.ndim} pairs [before, after] for shape "
            f"{tuple(x.shape)}, received {paddings!r}",
        )
    return tuple(pads)


def pad(tensor, paddings, mode="CONSTANT", constant_values=0, name=None) -> Tensor:
    """``tensor`` padded by ``paddings`` ([before, after] per axis).

    Args:
        mode: "CONSTANT", "REFLECT" (mirror without the edge) or "SYMMETRIC" (with it).
    """
    x = as_tensor(tensor)
    pads = _paddings(paddings, x, "pad")
    mode_ = str(mode).upper()
    if mode_ == "CONSTANT":
        value = constant_values.item() if isinstance(constant_values, Tensor) else constant_values
        if x.dtype.name == "string":
            value = _string_fill(value)
        return Pad(pads, value)(x)
    if mode_ not in ("REFLECT", "SYMMETRIC"):
        raise invalid_argument(
            "pad", f"mode must be 'CONSTANT', 'REFLECT' or 'SYMMETRIC', received {mode!r}"
        )
    edge = 0 if mode_ == "SYMMETRIC" else 1
    for (before, after), n in zip(pads, x.shape):
        if max(before, after) > n - edge:
            raise invalid_argument(
                "pad",
                f"{mode_} padding {[before, after]} is too large for "
                f"an axis of size {n} (at most {n - edge})",
            )
    # Mirror padding is a gather along each axis: differentiable through GetItem.
    out = x
    for axis, ((before, after), n) in enumerate(zip(pads, x.shape)):
        if before == after == 0:
            continue
        left = np.arange(before, 0, -1) - (1 - edge)
        right = n - 1 - np.arange(after) - edge
        idx = np.concatenate([left, np.arange(n), right]).astype(np.int64)
        out = GetItem((slice(None),) * axis + (out._device.asarray(idx),))(out)
    return out


def reverse(tensor, axis, name=None) -> Tensor:
    """``tensor`` with the order of elements along each axis in ``axis`` reversed."""
    x = as_tensor(tensor)
    axes = normalize_axis(int_list("reverse", "axis", axis), x.ndim, "reverse")
    index = tuple(slice(None, None, -1) if i in axes else slice(None) for i in range(x.ndim))
    return GetItem(index)(x)


class _RollBy(Function):
    """``roll`` by shifts fixed when the op is made."""

    def __init__(self, axes, shifts) -> None:
        self.axes, self.shifts = tuple(axes), tuple(shifts)

    def forward(self, x):
        return self.xp.roll(x, self.shifts, axis=self.axes)

    def backward(self, F, g):
        return (F.apply(_RollBy(self.axes, [-s for s in self.shifts]), g),)


class Roll(Function):
    """``roll`` by shifts read from a tensor when the op runs: a shift computed inside a
    ``tf.function`` (DeepDream's random roll) is only known then."""

    def __init__(self, axes) -> None:
        self.axes = tuple(axes)

    def forward(self, x, shift):
        self.shifts = tuple(int(s) for s in np.asarray(self.device.to_host(shift)).reshape(-1))
        return self.xp.roll(x, self.shifts, axis=self.axes)

    def backward(self, F, g):
        return F.apply(_RollBy(self.axes, [-s for s in self.shifts]), g), None


def roll(input, shift, axis, name=None) -> Tensor:  # noqa: A002 - TensorFlow's name
    """Elements shifted along ``axis`` by ``shift``, wrapping around."""
    x = as_tensor(input)
    if isinstance(shift, Tensor):  # its values are read when the op runs (also when traced)
        return _roll_by_tensor(x, shift, axis)
    shifts = int_list("roll", "shift", shift)
    axes = int_list("roll", "axis", axis)
    if len(shifts) != len(axes):
        raise invalid_argument(
            "roll", f"shift and axis need one length, received {shift!r} and {axis!r}"
        )
    total = {}
    for s, a in zip(shifts, axes):
        (ax,) = normalize_axis(a, x.ndim, "roll")
        total[ax] = total.get(ax, 0) + as_int("roll", "shift", s)
    out = x
    for ax, s in total.items():
        n = x.shape[ax]
        if n == 0:
            continue
        idx = (np.arange(n) - s) % n
        out = GetItem((slice(None),) * ax + (out._device.asarray(idx),))(out)
    return out


def _roll_by_tensor(x: Tensor, shift: Tensor, axis) -> Tensor:
    from .. import dtypes

    if not dtypes.is_integer(shift.dtype):
        raise unsupported_dtype(
            "roll", f"shift must be an integer tensor, received {shift.dtype.name}"
        )
    axes = int_list("roll", "axis", axis)
    count = 1 if shift.ndim == 0 else (shift.shape[0] if shift.ndim == 1 else -1)
    if count != len(axes):
        raise invalid_argument(
            "roll",
            f"shift and axis need one length, received shift of shape {tuple(shift.shape)} "
            f"and axis {axis!r}",
        )
    axes = [normalize_axis(a, x.ndim, "roll")[0] for a in axes]
    if any(x.shape[a] == 0 for a in axes):
        return x
    return Roll(axes)(x, shift)


def repeat(input, repeats, axis=None, name=None) -> Tensor:  # noqa: A002
    """Each element repeated ``repeats`` times along ``axis`` (flattened when None)."""
    from .shape import reshape

    x = as_tensor(input)
    if axis is None:
        x, axis = reshape(x, [-1]), 0
    (ax,) = normalize_axis(axis, x.ndim, "repeat")
    if isinstance(repeats, Tensor):
        repeats = repeats.numpy().tolist()
    reps = np.asarray(repeats)
    if (
        reps.dtype.kind not in "iu"
        or (reps < 0).any()
        or reps.ndim > 1
        or (reps.ndim == 1 and reps.size not in (1, x.shape[ax]))
    ):
        raise invalid_argument(
            "repeat",
            f"repeats must be integers >= 0, one or one per element "
            f"of axis {ax} (size {x.shape[ax]}), received {repeats!r}",
        )
    idx = np.repeat(np.arange(x.shape[ax]), reps)
    return GetItem((slice(None),) * ax + (x._device.asarray(idx),))(x)
