"""``gpuflow.image``: the ops of ``tf.image`` (resizing, geometry, colour, random
augmentation, quality measures, non-max suppression)."""

from __future__ import annotations

from .io.codecs import (  # noqa: F401  (tf.image has the codecs too)
    decode_bmp,
    decode_gif,
    decode_image,
    decode_jpeg,
    decode_png,
    encode_jpeg,
    encode_png,
    is_jpeg,
)
from .io.more_ops import (  # noqa: F401
    decode_and_crop_jpeg,
    decode_webp,
    extract_jpeg_shape,
)
from .ops.image_boxes import non_max_suppression  # noqa: F401
from .ops.image_color import (  # noqa: F401
    adjust_brightness,
    adjust_contrast,
    adjust_gamma,
    adjust_hue,
    adjust_saturation,
    convert_image_dtype,
    grayscale_to_rgb,
    hsv_to_rgb,
    per_image_standardization,
    rgb_to_grayscale,
    rgb_to_hsv,
)
from .ops.image_crop import crop_and_resize  # noqa: F401
from .ops.image_distort_box import (  # noqa: F401
    sample_distorted_bounding_box,
    stateless_sample_distorted_bounding_box,
)
from .ops.image_draw import draw_bounding_boxes  # noqa: F401
from .ops.image_geometry import (  # noqa: F401
    central_crop,
    crop_to_bounding_box,
    extract_patches,
    flip_left_right,
    flip_up_down,
    pad_to_bounding_box,
    resize_with_crop_or_pad,
    rot90,
    transpose,
)
from .ops.image_glimpse import extract_glimpse  # noqa: F401
from .ops.image_jpeg_quality import (  # noqa: F401
    adjust_jpeg_quality,
    random_jpeg_quality,
    stateless_random_jpeg_quality,
)
from .ops.image_metrics import (  # noqa: F401
    image_gradients,
    psnr,
    sobel_edges,
    ssim,
    ssim_multiscale,
    total_variation,
)
from .ops.image_nms_combined import combined_non_max_suppression  # noqa: F401
from .ops.image_nms_more import (  # noqa: F401
    non_max_suppression_overlaps,
    non_max_suppression_padded,
    non_max_suppression_with_scores,
)
from .ops.image_random import (  # noqa: F401
    random_brightness,
    random_contrast,
    random_crop,
    random_flip_left_right,
    random_flip_up_down,
    random_hue,
    random_saturation,
    stateless_random_brightness,
    stateless_random_contrast,
    stateless_random_crop,
    stateless_random_flip_left_right,
    stateless_random_flip_up_down,
    stateless_random_hue,
    stateless_random_saturation,
)
from .ops.image_resize import ResizeMethod, resize, resize_with_pad  # noqa: F401
from .ops.image_yuv import rgb_to_yiq, rgb_to_yuv, yiq_to_rgb, yuv_to_rgb  # noqa: F401

__all__ = [n for n in dir() if not n.startswith("_") and n != "annotations"]

from ._symbolic_dispatch import install as _install  # noqa: E402

_install(globals())  # tf.image ops called on KerasTensors build TFOpLambda layers, as in TF
