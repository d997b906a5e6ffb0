"""Keras' aspect-ratio rules for resizing: the largest centred crop, or the symmetric
padding, that gives images ``[N, H, W, C]`` (or ``[H, W, C]``) a target aspect ratio
(the Resizing layer and ``keras.ops.image.resize``)."""

from __future__ import annotations

from .rearrange import pad


def crop_box(images, top, left, height, width):
    """The ``height x width`` box of ``images`` at ``(top, left)``."""
    if images.ndim == 4:
        return images[:, top : top + height, left : left + width, :]
    return images[top : top + height, left : left + width, :]


def crop_to_aspect_ratio(images, height: int, width: int):
    """The centred crop of ``images`` with the aspect ratio ``height / width`` (Keras' rule)."""
    h, w = images.shape[-3], images.shape[-2]
    crop_h = min(h, int(float(w * height) / width))
    crop_w = min(w, int(float(h * width) / height))
    return crop_box(images, int(float(h - crop_h) / 2), int(float(w - crop_w) / 2), crop_h, crop_w)


def pad_to_aspect_ratio(images, height: int, width: int, fill_value=0.0):
    """``images`` padded with ``fill_value`` on both sides of one axis to the aspect ratio
    ``height / width`` (Keras' rule: the same amount on each side, rounded down)."""
    h, w = images.shape[-3], images.shape[-2]
    pad_h = max(h, int(float(w * height) / width))
    pad_w = max(w, int(float(h * width) / height))
    top, left = int(float(pad_h - h) / 2), int(float(pad_w - w) / 2)
    if top == 0 and left == 0:
        return images
    widths = [[top, top], [left, left], [0, 0]]
    if images.ndim == 4:
        widths = [[0, 0]] + widths
    return pad(images, widths, constant_values=fill_value)
