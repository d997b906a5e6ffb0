"""JPEG decoding as TensorFlow's libjpeg settings give it, on top of Pillow.

TensorFlow decodes with libjpeg's fast integer DCT and fancy (triangular) chroma
upsampling; Pillow decodes with the accurate DCT, or in draft mode with the fast DCT and
plain (replicated) chroma. For a file with subsampled chroma, this module takes Pillow's
draft decode as YCbCr (luma, and the chroma samples at their own resolution, exactly as
libjpeg's fast DCT gives them), then upsamples the chroma and converts to RGB with
libjpeg's integer arithmetic (jdsample.c ``h2v1``/``h2v2_fancy_upsample``, jdcolor.c
``ycc_rgb_convert``), so the pixels equal TensorFlow's.
"""

from __future__ import annotations

import numpy as np

_SCALE = 1 << 16


def _fix(x: float) -> int:
    return int(x * _SCALE + 0.5)


_OFFSET = np.arange(256, dtype=np.int64) - 128
_CR_R = (_fix(1.40200) * _OFFSET + _SCALE // 2) >> 16
_CB_B = (_fix(1.77200) * _OFFSET + _SCALE // 2) >> 16
_CR_G = -_fix(0.71414) * _OFFSET
_CB_G = -_fix(0.34414) * _OFFSET + _SCALE // 2


def _shifted(a: np.ndarray, axis: int, step: int) -> np.ndarray:
    """``a`` moved one sample along ``axis`` (step -1: each takes its predecessor), the edge
    sample repeated, as libjpeg's context at the image borders."""
    n = a.shape[axis]
    index = np.clip(np.arange(n) + step, 0, n - 1)
    return np.take(a, index, axis=axis)


def h2v1(chroma: np.ndarray, width: int) -> np.ndarray:
    """Horizontal 2x fancy upsampling (4:2:2): 3/4 of the nearer sample, 1/4 of the other."""
    c = chroma.astype(np.int64)
    out = np.empty((c.shape[0], 2 * c.shape[1]), np.int64)
    out[:, 0::2] = (3 * c + _shifted(c, 1, -1) + 1) >> 2
    out[:, 1::2] = (3 * c + _shifted(c, 1, 1) + 2) >> 2
    out[:, 0], out[:, -1] = c[:, 0], c[:, -1]
    return out[:, :width]


def h2v2(chroma: np.ndarray, height: int, width: int) -> np.ndarray:
    """2x2 fancy upsampling (4:2:0): triangular weights in both directions."""
    c = chroma.astype(np.int64)
    out = np.empty((2 * c.shape[0], 2 * c.shape[1]), np.int64)
    for row, step in ((0, -1), (1, 1)):
        column_sum = 3 * c + _shifted(c, 0, step)
        even = (3 * column_sum + _shifted(column_sum, 1, -1) + 8) >> 4
        odd = (3 * column_sum + _shifted(column_sum, 1, 1) + 7) >> 4
        even[:, 0] = (4 * column_sum[:, 0] + 8) >> 4
        odd[:, -1] = (4 * column_sum[:, -1] + 7) >> 4
        out[row::2, 0::2], out[row::2, 1::2] = even, odd
    return out[:height, :width]


def ycc_to_rgb(y: np.ndarray, cb: np.ndarray, cr: np.ndarray) -> np.ndarray:
    """libjpeg's fixed-point YCbCr -> RGB, clamped to uint8."""
    r = y + _CR_R[cr]
    g = y + ((_CB_G[cb] + _CR_G[cr]) >> 16)
    b = y + _CB_B[cb]
    return np.clip(np.stack([r, g, b], axis=-1), 0, 255).astype(np.uint8)


def fancy_rgb(image, sampling: int) -> np.ndarray:
    """The RGB pixels of the not yet loaded Pillow JPEG ``image`` (chroma subsampled 4:2:2,
    ``sampling`` 1, or 4:2:0, ``sampling`` 2) as TensorFlow decodes them."""
    image.draft("YCbCr", None)
    image.decoderconfig = (1, 1)  # Pillow's draft decode: libjpeg's fast integer DCT
    image.load()
    ycc = np.asarray(image).astype(np.int64)
    height, width = ycc.shape[:2]
    if sampling == 2:
        cb, cr = (h2v2(ycc[::2, ::2, k], height, width) for k in (1, 2))
    else:
        cb, cr = (h2v1(ycc[:, ::2, k], width) for k in (1, 2))
    return ycc_to_rgb(ycc[..., 0], cb, cr)
