"""Image dtypes and colour, as ``tf.image`` computes them: ``convert_image_dtype``, grayscale
and HSV conversions, and the brightness / contrast / saturation / hue / gamma adjustments.

Each op is composed of differentiable ops, so float images carry gradients, except where
TensorFlow has none: adjust_contrast / adjust_saturation / adjust_hue raise its LookupError
and hsv_to_rgb gives None (unregistered_gradient.py). Integer images
are converted to float32 in [0, 1] first and converted back (saturating) at the end, as
TensorFlow does.
"""

from __future__ import annotations

from .. import dtypes
from .._tracing import tracing
from ..autodiff.tape import stop_gradient
from ..tensor import Tensor
from ._common import as_tensor
from .cast import cast
from .math import floordiv, maximum, minimum, multiply, where
from .reduce import reduce_mean, reduce_std
from .saturate import saturate_cast
from .shape import expand_dims, reshape, stack, tile, unstack
from .unregistered_gradient import without_gradient


def convert_image_dtype(image, dtype, saturate=False, name=None) -> Tensor:
    """``image`` converted to ``dtype``, rescaling values: floats are in ``[0, 1]``, integers
    in ``[0, dtype.max]`` (as ``tf.image.convert_image_dtype``).

    Raises:
        AttributeError: when either dtype is neither floating nor integer (as TensorFlow).
    """
    x = as_tensor(image)
    target = dtypes.as_dtype(dtype, "convert_image_dtype")
    if not target.is_floating and not target.is_integer:
        raise AttributeError("dtype must be either floating point or integer")
    if not x.dtype.is_floating and not x.dtype.is_integer:
        raise AttributeError("image dtype must be either floating point or integer")
    if target == x.dtype:
        return x
    source = x.dtype
    if source.is_integer and target.is_integer:
        scale_in, scale_out = int(source.max), int(target.max)
        if scale_in > scale_out:
            scaled = floordiv(x, (scale_in + 1) // (scale_out + 1))
            return saturate_cast(scaled, target) if saturate else cast(scaled, target)
        widened = saturate_cast(x, target) if saturate else cast(x, target)
        return multiply(widened, (scale_out + 1) // (scale_in + 1))
    if source.is_floating and target.is_floating:
        return cast(x, target)
    if source.is_integer:
        return multiply(cast(x, target), 1.0 / float(source.max))
    scaled = multiply(x, float(target.max) + 0.5)
    return saturate_cast(scaled, target) if saturate else cast(scaled, target)


def _check_channels(x: Tensor, op: str, channels: int) -> None:
    if x.ndim < 1 or x.shape[-1] != channels:
        raise ValueError(
            f"{op}: expected images with {channels} channel(s) in the last axis, received shape "
            f"{tuple(x.shape)}"
        )


def _to_float(x: Tensor) -> Tensor:
    """float16/float32 images as they are, others converted to float32 in [0, 1]."""
    if x.dtype in (dtypes.float16, dtypes.float32):
        return x
    return convert_image_dtype(x, dtypes.float32)


def _check_image(x: Tensor, op: str) -> None:
    if x.ndim < 3:
        raise ValueError(
            f"{op}: expected an image of rank >= 3 ([height, width, channels]), received shape "
            f"{tuple(x.shape)}"
        )


def rgb_to_grayscale(images, name=None) -> Tensor:
    """One luma channel ``0.2989 R + 0.587 G + 0.114 B``, in the images' dtype."""
    x = as_tensor(images)
    _check_channels(x, "rgb_to_grayscale", 3)
    flt = convert_image_dtype(x, dtypes.float32)
    r, g, b = unstack(flt, axis=-1)
    gray = expand_dims(r * 0.2989 + g * 0.587 + b * 0.114, -1)
    return convert_image_dtype(gray, x.dtype)


def grayscale_to_rgb(images, name=None) -> Tensor:
    """The one channel repeated three times."""
    x = as_tensor(images)
    if x.ndim < 2:
        raise ValueError(f"grayscale_to_rgb: expected rank >= 2, received shape {tuple(x.shape)}")
    _check_channels(x, "grayscale_to_rgb", 1)
    return tile(x, [1] * (x.ndim - 1) + [3])


def _float_only(x: Tensor, op: str) -> None:
    if not x.dtype.is_floating:
        raise TypeError(
            f"{op}: expected a float image (convert it with convert_image_dtype), received "
            f"dtype {x.dtype.name}"
        )


def rgb_to_hsv(images, name=None) -> Tensor:
    """Hue, saturation and value in ``[0, 1]`` of float RGB images in ``[0, 1]``."""
    x = as_tensor(images)
    _float_only(x, "rgb_to_hsv")
    _check_channels(x, "rgb_to_hsv", 3)
    r, g, b = unstack(x, axis=-1)
    # max and min picked by one channel each, ties to R, then G (TensorFlow's RGBToHSVGrad
    # masks): so the gradient of a tie goes to one channel as in TF, not split among them
    value = where((r >= b) & (r >= g), r, where((g > r) & (g >= b), g, b))
    smallest = where((r < b) & (r < g), r, where((g <= r) & (g < b), g, b))
    spread = value - smallest
    zero = value * 0.0
    safe_value = where(value > 0, value, zero + 1.0)
    saturation = where(value > 0, spread / safe_value, zero)
    norm = 1.0 / (6.0 * where(spread > 0, spread, zero + 1.0))
    hue = where(
        r == value,
        norm * (g - b),
        where(g == value, norm * (b - r) + 2.0 / 6.0, norm * (r - g) + 4.0 / 6.0),
    )
    hue = where(spread > 0, hue, zero)
    hue = where(hue < 0, hue + 1.0, hue)
    return stack([hue, saturation, value], axis=-1)


def _clip01(t):
    return minimum(maximum(t, 0.0), 1.0)


def hsv_to_rgb(images, name=None) -> Tensor:
    """RGB of float HSV images (the inverse of :func:`rgb_to_hsv`). No gradient flows
    through it: TensorFlow marks HSVToRGB not differentiable (``tape.gradient`` gives None)."""
    x = as_tensor(images)
    _float_only(x, "hsv_to_rgb")
    _check_channels(x, "hsv_to_rgb", 3)
    return _hsv_to_rgb(stop_gradient(x))


def _hsv_to_rgb(x: Tensor) -> Tensor:
    h, s, v = unstack(x, axis=-1)
    dh = h * 6.0
    dr = _clip01(abs(dh - 3.0) - 1.0)
    dg = _clip01(2.0 - abs(dh - 2.0))
    db = _clip01(2.0 - abs(dh - 4.0))
    one_s = 1.0 - s
    return stack([(one_s + s * dr) * v, (one_s + s * dg) * v, (one_s + s * db) * v], axis=-1)


def _scalar(value, op: str, name: str) -> float:
    if isinstance(value, Tensor):
        if value.size != 1:
            raise ValueError(f"{op}: {name} must be a scalar, received shape {tuple(value.shape)}")
        return float(value.numpy().reshape(()))
    try:
        return float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{op}: {name} must be a number, received {value!r}") from None


def adjust_brightness(image, delta) -> Tensor:
    """``image + delta`` (on the [0, 1] scale for integer images, saturating back)."""
    x = as_tensor(image)
    flt = _to_float(x)
    adjusted = flt + _factor(delta, "adjust_brightness", "delta", flt)
    return convert_image_dtype(adjusted, x.dtype, saturate=True)


def adjust_contrast(images, contrast_factor) -> Tensor:
    """``(x - mean) * contrast_factor + mean`` with the mean of each channel of each image."""
    x = as_tensor(images)
    _check_image(x, "adjust_contrast")
    flt = _to_float(x)
    factor = _factor(contrast_factor, "adjust_contrast", "contrast_factor", flt)

    def compute(flt):
        mean = reduce_mean(flt, axis=[-3, -2], keepdims=True)
        return (flt - mean) * factor + mean

    adjusted = without_gradient("AdjustContrastv2", compute, flt)
    return convert_image_dtype(adjusted, x.dtype, saturate=True)


def adjust_gamma(image, gamma=1, gain=1) -> Tensor:
    """``gain * image ** gamma`` (on the [0, 1] scale for integer images).

    Raises:
        ValueError: for a negative ``gamma``.
    """
    x = as_tensor(image)
    known = _known(gamma)
    if known is not None and known < 0:
        raise ValueError("Gamma should be a non-negative real number.")
    flt = _to_float(x)
    gamma = _factor(gamma, "adjust_gamma", "gamma", flt)
    adjusted = flt**gamma * _factor(gain, "adjust_gamma", "gain", flt)
    return convert_image_dtype(adjusted, x.dtype, saturate=True)


def _fused_hsv_to_rgb(h, s, v) -> Tensor:
    """RGB as TensorFlow's fused AdjustHue/AdjustSaturation kernels compute it: chroma
    ``c = s * v`` placed by the hue's sextant, plus ``m = v - c`` (so the smallest channel
    comes back as it went in: int32 images round as in TensorFlow)."""
    c = s * v
    m = v - c
    dh = h * 6.0
    sextant = floordiv(dh, 1.0)
    fmodu = dh - floordiv(dh, 2.0) * 2.0
    x = c * (1.0 - abs(fmodu - 1.0))
    zero = c * 0.0

    def pick(*by_sextant):
        out = zero
        for k, value in enumerate(by_sextant):
            out = where(sextant == float(k), value, out)
        return out + m

    return stack(
        [pick(c, x, zero, zero, x, c), pick(x, c, c, x, zero, zero), pick(zero, zero, x, c, c, x)],
        axis=-1,
    )


def _through_hsv(x: Tensor, op_type: str, change) -> Tensor:
    """``change(h, s)`` applied in HSV space; TensorFlow's fused op ``op_type`` has no
    gradient."""

    def compute(flt):
        hsv = rgb_to_hsv(cast(flt, dtypes.float32))
        h, s, v = unstack(hsv, axis=-1)
        h, s = change(h, s)
        return cast(_fused_hsv_to_rgb(h, s, v), flt.dtype)

    return convert_image_dtype(without_gradient(op_type, compute, _to_float(x)), x.dtype)


def _factor(value, op: str, name: str, like: Tensor):
    """A scalar argument: a Python float, or a float32 scalar tensor on ``like``'s device
    (tensors pass through as tensors, so draws inside a trace stay traced)."""
    if not isinstance(value, Tensor):
        return _scalar(value, op, name)
    if value.size != 1:
        raise ValueError(f"{op}: {name} must be a scalar, received shape {tuple(value.shape)}")
    if value.device != like.device:
        value = value.to(like.device)
    return cast(reshape(value, ()), like.dtype)


def _known(value):
    """The value of a number or an eager scalar tensor; None inside a trace."""
    if not isinstance(value, Tensor):
        return float(value)
    return None if tracing.trace is not None else float(value.numpy().reshape(()))


def adjust_saturation(image, saturation_factor, name=None) -> Tensor:
    """Saturation multiplied by ``saturation_factor`` (clipped to [0, 1]) in HSV space."""
    x = as_tensor(image)
    _check_channels(x, "adjust_saturation", 3)
    factor = _factor(saturation_factor, "adjust_saturation", "saturation_factor", x)
    return _through_hsv(x, "AdjustSaturation", lambda h, s: (h, _clip01(s * factor)))


def adjust_hue(image, delta, name=None) -> Tensor:
    """Hue rotated by ``delta`` (in ``[-1, 1]``, a fraction of the colour circle).

    Raises:
        ValueError: for ``delta`` outside ``[-1, 1]``.
    """
    x = as_tensor(image)
    _check_channels(x, "adjust_hue", 3)
    shift = _factor(delta, "adjust_hue", "delta", x)
    known = _known(delta)
    if known is not None and (known < -1 or known > 1):
        raise ValueError("delta must be in the interval [-1, 1]")

    def rotate(h, s):
        h = h + shift
        h = h - cast(floordiv(h, 1.0), h.dtype)
        return h, s

    return _through_hsv(x, "AdjustHue", rotate)


def per_image_standardization(image) -> Tensor:
    """Each image scaled to zero mean and unit variance: ``(x - mean) / max(std, 1/sqrt(N))``
    over its pixels and channels; float32."""
    x = as_tensor(image)
    _check_image(x, "per_image_standardization")
    flt = cast(x, dtypes.float32)
    num_pixels = x.shape[-1] * x.shape[-2] * x.shape[-3]
    mean = reduce_mean(flt, axis=[-1, -2, -3], keepdims=True)
    std = reduce_std(flt, axis=[-1, -2, -3], keepdims=True)
    return (flt - mean) / maximum(std, float(num_pixels) ** -0.5)


__all__ = [
    "adjust_brightness",
    "adjust_contrast",
    "adjust_gamma",
    "adjust_hue",
    "adjust_saturation",
    "convert_image_dtype",
    "grayscale_to_rgb",
    "hsv_to_rgb",
    "per_image_standardization",
    "rgb_to_grayscale",
    "rgb_to_hsv",
]
