"""Image geometry as ``tf.image`` computes it: flips, ``rot90``, ``transpose``, crops and pads
to a bounding box, ``central_crop``, ``resize_with_crop_or_pad``, ``resize_with_pad`` and
``extract_patches``.

Images are ``[batch, height, width, channels]`` or one image ``[height, width, channels]``.
Every op is a slice, reversal, transpose, pad or gather of the input, so gradients flow.
"""

from __future__ import annotations

import math

import numpy as np

from ..autodiff.function import Function
from ..tensor import Tensor
from ._common import as_int, as_tensor
from .image import resize
from .indexing import GetItem
from .rearrange import pad, reverse
from .shape import expand_dims, reshape, squeeze
from .shape import transpose as _transpose


def batched(images, op: str, ranks=(3, 4)) -> tuple:
    """``(x [N, H, W, C], was_single)`` of an image or a batch of images."""
    x = as_tensor(images)
    if x.ndim not in ranks:
        raise ValueError(
            f"{op}: 'image' (shape {tuple(x.shape)}) must have either 3 or 4 dimensions."
        )
    if x.ndim == 3:
        return expand_dims(x, 0), True
    return x, False


def unbatched(x: Tensor, single: bool) -> Tensor:
    return squeeze(x, axis=0) if single else x


def flip_left_right(image) -> Tensor:
    """The image mirrored along its width."""
    x = as_tensor(image)
    batched(x, "flip_left_right")
    return reverse(x, [x.ndim - 2])


def flip_up_down(image) -> Tensor:
    """The image mirrored along its height."""
    x = as_tensor(image)
    batched(x, "flip_up_down")
    return reverse(x, [x.ndim - 3])


def transpose(image, name=None) -> Tensor:
    """Height and width swapped."""
    x = as_tensor(image)
    batched(x, "transpose")
    perm = [1, 0, 2] if x.ndim == 3 else [0, 2, 1, 3]
    return _transpose(x, perm)


def rot90(image, k=1, name=None) -> Tensor:
    """The image rotated counter-clockwise by ``k`` quarter turns."""
    x, single = batched(image, "rot90")
    k = as_int("rot90", "k", k) % 4
    if k == 1:
        x = reverse(_transpose(x, [0, 2, 1, 3]), [1])
    elif k == 2:
        x = reverse(x, [1, 2])
    elif k == 3:
        x = _transpose(reverse(x, [1]), [0, 2, 1, 3])
    return unbatched(x, single)


def _nonneg(value, name: str, op: str) -> int:
    value = as_int(op, name, value)
    if value < 0:
        raise ValueError(f"{op}: {name} must be >= 0, received {value}")
    return value


def crop_to_bounding_box(image, offset_height, offset_width, target_height, target_width):
    """The ``target_height x target_width`` window whose top-left corner is at the offsets.

    Raises:
        ValueError: for negative offsets, non-positive targets or a window past the image.
    """
    op = "crop_to_bounding_box"
    x, single = batched(image, op)
    top, left = (
        _nonneg(offset_height, "offset_height", op),
        _nonneg(offset_width, "offset_width", op),
    )
    height, width = (
        as_int(op, "target_height", target_height),
        as_int(op, "target_width", target_width),
    )
    if height <= 0 or width <= 0:
        raise ValueError(
            f"{op}: target_height and target_width must be > 0, received {height} and {width}"
        )
    if x.shape[1] < top + height or x.shape[2] < left + width:
        raise ValueError(
            f"{op}: the image of height {x.shape[1]} and width {x.shape[2]} must be >= target + "
            f"offset: received target ({height}, {width}) at offset ({top}, {left})"
        )
    return unbatched(x[:, top : top + height, left : left + width, :], single)


def pad_to_bounding_box(image, offset_height, offset_width, target_height, target_width):
    """The image placed at the offsets on a zero canvas of ``target_height x target_width``.

    Raises:
        ValueError: for negative offsets or an image that does not fit the target.
    """
    op = "pad_to_bounding_box"
    x, single = batched(image, op)
    top, left = (
        _nonneg(offset_height, "offset_height", op),
        _nonneg(offset_width, "offset_width", op),
    )
    height, width = (
        as_int(op, "target_height", target_height),
        as_int(op, "target_width", target_width),
    )
    bottom, right = height - top - x.shape[1], width - left - x.shape[2]
    if bottom < 0 or right < 0:
        raise ValueError(
            f"{op}: the image of height {x.shape[1]} and width {x.shape[2]} must be <= target - "
            f"offset: received target ({height}, {width}) at offset ({top}, {left})"
        )
    return unbatched(pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]]), single)


def central_crop(image, central_fraction) -> Tensor:
    """The centred crop keeping ``central_fraction`` (in ``(0, 1]``) of height and width."""
    x, single = batched(image, "central_crop")
    fraction = float(central_fraction)
    if fraction <= 0.0 or fraction > 1.0:
        raise ValueError("central_fraction must be within (0, 1]")
    if fraction == 1.0:
        return as_tensor(image)
    h, w = x.shape[1], x.shape[2]
    top = int((float(h) - float(h) * fraction) / 2)
    left = int((float(w) - float(w) * fraction) / 2)
    return unbatched(x[:, top : h - top, left : w - left, :], single)


class CropOrPadAxis(Function):
    """One axis of ``resize_with_crop_or_pad``: the centred ``target`` entries of a longer
    axis, or a shorter one centred between zeros (offsets ``(size - target) // 2``, as
    TensorFlow). The backward pass pads or crops the gradient back."""

    # What a SavedModel keeps: the offsets follow the input's size on each call, so one
    # saved trace crops or pads images of every size.
    _saved_keys = ("axis", "target")

    def __init__(self, axis: int, target: int) -> None:
        self.axis, self.target = axis, target

    def _spans(self, size: int) -> tuple:
        """(crop start, kept length, zeros before, zeros after)."""
        kept = min(size, self.target)
        before = max((self.target - size) // 2, 0)
        return max((size - self.target) // 2, 0), kept, before, self.target - kept - before

    def forward(self, x):
        start, kept, before, after = self._spans(x.shape[self.axis])
        index = [slice(None)] * x.ndim
        index[self.axis] = slice(start, start + kept)
        widths = [(0, 0)] * x.ndim
        widths[self.axis] = (before, after)
        return self.xp.pad(x[tuple(index)], widths)  # a new array, also at the target size

    def backward(self, g):
        size = self._xs[0].shape[self.axis]
        start, kept, before, _ = self._spans(size)
        index = [slice(None)] * g.ndim
        index[self.axis] = slice(before, before + kept)
        widths = [(0, 0)] * g.ndim
        widths[self.axis] = (start, size - kept - start)
        return (self.xp.pad(g[tuple(index)], widths),)


def resize_with_crop_or_pad(image, target_height, target_width) -> Tensor:
    """Centred crop or zero padding of each side to ``target_height x target_width``."""
    op = "resize_with_crop_or_pad"
    x, single = batched(image, op)
    th, tw = as_int(op, "target_height", target_height), as_int(op, "target_width", target_width)
    if th <= 0 or tw <= 0:
        raise ValueError(
            f"{op}: target_height and target_width must be > 0, received {th} and {tw}"
        )
    return unbatched(CropOrPadAxis(2, tw)(CropOrPadAxis(1, th)(x)), single)


def resize_with_pad(image, target_height, target_width, method="bilinear", antialias=False):
    """Resized keeping the aspect ratio to fit ``target_height x target_width``, then zero
    padded (centred) to exactly that size."""
    op = "resize_with_pad"
    x, single = batched(image, op)
    th, tw = as_int(op, "target_height", target_height), as_int(op, "target_width", target_width)
    if th <= 0 or tw <= 0:
        raise ValueError(
            f"{op}: target_height and target_width must be > 0, received {th} and {tw}"
        )
    if antialias:
        raise ValueError(f"{op}: antialias=True is not supported")
    f32 = np.float32
    h, w = f32(x.shape[1]), f32(x.shape[2])
    ratio = max(w / f32(tw), h / f32(th))
    rh, rw = h / ratio, w / ratio
    resized = resize(x, (int(math.floor(rh)), int(math.floor(rw))), method)
    top = max(0, int(math.floor((f32(th) - rh) / f32(2))))
    left = max(0, int(math.floor((f32(tw) - rw) / f32(2))))
    return unbatched(pad_to_bounding_box(resized, top, left, th, tw), single)


def _four(value, name: str, op: str) -> tuple:
    values = [int(v) for v in value] if isinstance(value, (list, tuple)) else None
    if values is None or len(values) != 4 or values[0] != 1 or values[3] != 1:
        raise ValueError(f"{op}: {name} must be [1, rows, cols, 1], received {value!r}")
    if min(values) < 1:
        raise ValueError(f"{op}: {name} must be positive, received {value!r}")
    return values[1], values[2]


def extract_patches(images, sizes, strides, rates, padding, name=None) -> Tensor:
    """``[N, out_rows, out_cols, ksize_rows * ksize_cols * C]``: each (dilated) patch flattened
    in row, column, channel order, as ``tf.image.extract_patches``."""
    op = "extract_patches"
    x = as_tensor(images)
    if x.ndim != 4:
        raise ValueError(f"{op}: expected images [N, H, W, C], received shape {tuple(x.shape)}")
    (kh, kw), (sh, sw), (rh, rw) = (
        _four(sizes, "sizes", op),
        _four(strides, "strides", op),
        _four(rates, "rates", op),
    )
    mode = str(padding).upper()
    if mode not in ("VALID", "SAME"):
        raise ValueError(f"{op}: padding must be 'VALID' or 'SAME', received {padding!r}")
    from .conv import conv_geometry

    n, h, w, c = x.shape
    oh, top, bottom = conv_geometry(h, (kh - 1) * rh + 1, sh, mode.lower())
    ow, left, right = conv_geometry(w, (kw - 1) * rw + 1, sw, mode.lower())
    if oh < 1 or ow < 1:
        return reshape(x[:, :0, :0, :0], (n, max(oh, 0), max(ow, 0), kh * kw * c))
    padded = pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]])
    rows = (np.arange(oh) * sh)[:, None] + np.arange(kh) * rh  # [oh, kh]
    cols = (np.arange(ow) * sw)[:, None] + np.arange(kw) * rw  # [ow, kw]
    dev = padded._device
    row_idx = dev.asarray(rows[:, None, :, None])  # [oh, 1, kh, 1]
    col_idx = dev.asarray(cols[None, :, None, :])  # [1, ow, 1, kw]
    # advanced indices broadcast to [oh, ow, kh, kw] and go first, before N and C
    windows = GetItem((slice(None), row_idx, col_idx))(padded)  # [N, oh, ow, kh, kw, C]
    return reshape(windows, (n, oh, ow, kh * kw * c))


__all__ = [
    "central_crop",
    "crop_to_bounding_box",
    "extract_patches",
    "flip_left_right",
    "flip_up_down",
    "pad_to_bounding_box",
    "resize_with_crop_or_pad",
    "resize_with_pad",
    "rot90",
    "transpose",
]
