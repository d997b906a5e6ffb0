"""``tf.summary.image``: images as PNGs in TensorBoard's image-plugin format.

The summary is what TensorFlow writes: a string tensor ``[width, height, png_1, ...,
png_k]`` with the image plugin's metadata, so TensorBoard's Images dashboard shows it. The
PNGs are encoded here (zlib, no image library needed).
"""

from __future__ import annotations

import struct
import zlib

import numpy as np

from .._tracing import host_call
from . import _backend
from .ops import _target

# PNG colour types by channel count: grey, grey + alpha, RGB, RGBA
_COLOR_TYPES = {1: 0, 2: 4, 3: 2, 4: 6}


def _chunk(kind: bytes, payload: bytes) -> bytes:
    crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)


def encode_png(image: np.ndarray) -> bytes:
    """A PNG of a ``[height, width, channels]`` uint8 array (1 to 4 channels)."""
    height, width, channels = image.shape
    header = struct.pack(">IIBBBBB", width, height, 8, _COLOR_TYPES[channels], 0, 0, 0)
    rows = np.concatenate(
        [np.zeros((height, 1), np.uint8), image.reshape(height, width * channels)], axis=1
    )  # each row starts with filter type 0 (none)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows.tobytes(), 6))
        + _chunk(b"IEND", b"")
    )


def _to_uint8(images: np.ndarray, name: str) -> np.ndarray:
    """As ``tf.image.convert_image_dtype(images, tf.uint8, saturate=True)``."""
    if images.dtype == np.uint8:
        return images
    if images.dtype.kind == "f":
        scaled = images.astype(np.float64) * 255.5
        return np.clip(np.nan_to_num(scaled), 0, 255).astype(np.uint8)
    if images.dtype.kind in "iu":
        scale = (int(np.iinfo(images.dtype).max) + 1) // 256
        return np.clip(images.astype(np.int64) // scale, 0, 255).astype(np.uint8)
    raise TypeError(
        f"gpuflow.summary.image {name!r}: expected float or integer pixels, "
        f"received dtype {images.dtype.name}"
    )


def image_pb(tag: str, images: np.ndarray, max_outputs: int, description):
    """The Summary proto of ``images`` (uint8, ``[k, h, w, c]``)."""
    from tensorboard.compat.proto import summary_pb2
    from tensorboard.plugins.image import metadata
    from tensorboard.util import tensor_util

    k, height, width, _ = images.shape
    values = [str(width).encode(), str(height).encode()]
    values += [encode_png(images[i]) for i in range(min(k, max_outputs))]
    tensor = tensor_util.make_tensor_proto(values, dtype=np.object_)
    summary = summary_pb2.Summary()
    summary.value.add(
        tag=tag,
        metadata=metadata.create_summary_metadata(display_name=None, description=description),
        tensor=tensor,
    )
    return summary


def image(name: str, data, step=None, max_outputs: int = 3, description=None) -> bool:
    """Writes up to ``max_outputs`` images, like ``tf.summary.image``.

    Args:
        name: Tag.
        data: ``[k, height, width, channels]`` pixels (channels 1-4): floats in [0, 1]
            (clipped) or integers (uint8 as they are).
        step: Step of the images; defaults as for :func:`gpuflow.summary.scalar`.
        max_outputs: At most this many of the ``k`` images are written.
        description: Optional Markdown shown in TensorBoard.

    Returns:
        True if written, False if there is no default writer.
    """
    writer, step = _target("image", step)
    if writer is None:
        return False
    return _write_image(writer, name, data, step, max_outputs, description)


@host_call
def _write_image(writer, name, data, step, max_outputs, description) -> bool:
    images = _backend.to_numpy(data)
    if images.ndim != 4 or images.shape[-1] not in _COLOR_TYPES:
        raise ValueError(
            f"gpuflow.summary.image {name!r}: expected data of shape [k, height, width, "
            f"channels] with 1 to 4 channels, received shape {list(images.shape)}"
        )
    if int(max_outputs) < 0:
        raise ValueError(f"gpuflow.summary.image {name!r}: max_outputs must be >= 0")
    writer.write(image_pb(name, _to_uint8(images, name), int(max_outputs), description), int(step))
    return True
