"""``keras.ops.image.scale_and_translate`` (JAX's ``scale_and_translate``, as Keras 3 runs
it on TensorFlow), on :mod:`gpuflow.ops.image_scale`: integer images are resampled in
float32, rounded and clipped to their own range."""

from __future__ import annotations

from ...ops.image_scale import scale_and_translate as _scale_and_translate
from ...ops.math import cast, maximum, minimum
from ...ops.reduce import reduce_max, reduce_min
from ...ops.unary import round as _round
from ._dtypes import convert_to_tensor

METHODS = (
    "linear",
    "bilinear",
    "trilinear",
    "cubic",
    "bicubic",
    "tricubic",
    "lanczos3",
    "lanczos5",
)
_KERNEL = {"linear": "triangle", "bilinear": "triangle", "trilinear": "triangle"}
_KERNEL.update({"cubic": "keyscubic", "bicubic": "keyscubic", "tricubic": "keyscubic"})


def scale_and_translate(
    images, output_shape, scale, translation, spatial_dims, method, antialias=True
):
    """``images`` resampled to ``output_shape`` along ``spatial_dims``: output sample ``o``
    of an axis reads input position ``(o + 0.5 - translation) / scale - 0.5``."""
    if method not in METHODS:
        raise ValueError(
            "scale_and_translate: Invalid value for argument `method`. Expected of one "
            f"{set(METHODS)}. Received: method={method}"
        )
    x = convert_to_tensor(images)
    dims = [int(d) % x.ndim for d in spatial_dims]
    if not dims:
        return x
    output_shape = tuple(int(n) for n in output_shape)
    if len(output_shape) != x.ndim:
        raise ValueError(
            f"scale_and_translate: output_shape must have one size per axis of images "
            f"({x.ndim}), received {output_shape}"
        )
    scale = cast(convert_to_tensor(scale), "float32")
    translation = cast(convert_to_tensor(translation), "float32")
    if scale.size != len(dims) or translation.size != len(dims):
        raise ValueError(
            f"scale_and_translate: scale and translation need one value per spatial dim "
            f"({len(dims)}), received {scale.size} and {translation.size}"
        )
    integer = not x.dtype.is_floating
    source = cast(x, "float32") if integer else x
    out = _scale_and_translate(
        source,
        dims,
        [output_shape[d] for d in dims],
        scale,
        translation,
        _KERNEL.get(method, method),
        antialias,
    )
    if integer:
        low, high = cast(reduce_min(x), "float32"), cast(reduce_max(x), "float32")
        out = cast(minimum(maximum(_round(out), low), high), x.dtype)
    return out
