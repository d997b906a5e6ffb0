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
from .csv_ops import decode_csv
from .files import read_file, write_file
from .json_example import decode_json_example
from .more_ops import (
    decode_and_crop_jpeg,
    decode_base64,
    decode_compressed,
    decode_webp,
    deserialize_many_sparse,
    encode_base64,
    extract_jpeg_shape,
    match_filenames_once,
    matching_files,
    serialize_many_sparse,
    serialize_sparse,
)
from .parsing import (
    FixedLenFeature,
    FixedLenSequenceFeature,
    RaggedFeature,
    VarLenFeature,
    parse_example,
    parse_sequence_example,
    parse_single_example,
    parse_single_sequence_example,
)
from .sparse_feature import SparseFeature
from .tensor_codec import decode_raw, parse_tensor, serialize_tensor
from .tfrecord import TFRecordOptions, TFRecordWriter
from .write_graph import write_graph

__all__ = [
    "FixedLenFeature",
    "FixedLenSequenceFeature",
    "RaggedFeature",
    "SparseFeature",
    "TFRecordOptions",
    "TFRecordWriter",
    "VarLenFeature",
    "decode_csv",
    "decode_json_example",
    "decode_raw",
    "parse_example",
    "parse_sequence_example",
    "parse_single_example",
    "parse_single_sequence_example",
    "parse_tensor",
    "serialize_tensor",
    "decode_and_crop_jpeg",
    "decode_base64",
    "decode_bmp",
    "decode_compressed",
    "decode_webp",
    "deserialize_many_sparse",
    "encode_base64",
    "extract_jpeg_shape",
    "match_filenames_once",
    "matching_files",
    "serialize_many_sparse",
    "serialize_sparse",
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
    "write_graph",
]
