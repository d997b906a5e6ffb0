"""``gpuflow.io``: files and image codecs as ``tf.io`` (``read_file``, ``write_file``,
``decode_png``, ``encode_jpeg``, ..., and ``gfile``).

File contents are Python ``bytes`` where TensorFlow returns a scalar ``tf.string`` tensor
(see :mod:`gpuflow.io.files`).
"""

from __future__ import annotations

from . import gfile
from .codecs import (
    decode_bmp,
    decode_gif,
    decode_image,
    decode_jpeg,
    decode_png,
    encode_jpeg,
    encode_png,
    is_jpeg,
)
from .files import read_file, write_file

__all__ = [
    "decode_bmp",
    "decode_gif",
    "decode_image",
    "decode_jpeg",
    "decode_png",
    "encode_jpeg",
    "encode_png",
    "gfile",
    "is_jpeg",
    "read_file",
    "write_file",
]
