"""More of ``tf.io``: web-safe base64, decompression, file patterns, SparseTensors as
strings, and JPEG shapes and crops."""

from __future__ import annotations

import base64
import glob
import gzip
import io as _bytes_io
import zlib

import numpy as np

from .. import dtypes
from .._string_arrays import OBJECT
from ..errors import InvalidArgumentError
from ..strings._common import host_tensor, map_elements
from .codecs import _channels, _native, _open, _output
from .files import as_bytes
from .tensor_codec import make_tensor_proto_message, parse_tensor


def _invalid(op: str, message: str) -> InvalidArgumentError:
    return InvalidArgumentError(None, op, f"{op}: {message}")


def encode_base64(input, pad=False, name=None):  # noqa: A002 - TensorFlow's name
    """Each string in web-safe base64 (``-`` and ``_``), without ``=`` padding unless
    ``pad``."""
    op = "io.encode_base64"

    def encode(b: bytes) -> bytes:
        text = base64.urlsafe_b64encode(b)
        return text if pad else text.rstrip(b"=")

    return map_elements(op, input, encode)


def decode_base64(input, name=None):  # noqa: A002
    """Each web-safe base64 string decoded (padding optional)."""
    op = "io.decode_base64"

    def decode(b: bytes) -> bytes:
        try:
            return base64.urlsafe_b64decode(b + b"=" * (-len(b) % 4))
        except (ValueError, TypeError) as exc:
            raise _invalid(op, f"invalid base64 data {b[:40]!r}: {exc}") from None

    return map_elements(op, input, decode)


def decode_compressed(bytes, compression_type="", name=None):  # noqa: A002
    """Each string decompressed (``"ZLIB"`` or ``"GZIP"``; ``""`` leaves it as it is)."""
    op = "io.decode_compressed"
    kind = str(compression_type or "").upper()
    if kind not in ("", "ZLIB", "GZIP"):
        raise _invalid(
            op, f"compression_type must be '', 'ZLIB' or 'GZIP', received {compression_type!r}"
        )

    def decode(b: bytes) -> bytes:
        try:
            if kind == "ZLIB":
                return zlib.decompress(b)
            if kind == "GZIP":
                return gzip.decompress(b)
        except (zlib.error, OSError, EOFError) as exc:
            raise _invalid(op, f"could not decompress {kind} data: {exc}") from None
        return b

    return map_elements(op, bytes, decode)


def matching_files(pattern, name=None):
    """The sorted file names matching the glob ``pattern`` (or each of several)."""
    patterns = pattern.numpy() if hasattr(pattern, "numpy") else pattern
    patterns = np.atleast_1d(np.asarray(patterns, dtype=object)).reshape(-1).tolist()
    names = sorted(
        {
            match
            for p in patterns
            for match in glob.glob(p.decode() if isinstance(p, bytes) else str(p))
        }
    )
    out = np.empty(len(names), dtype=OBJECT)
    out[:] = [n.encode() for n in names]
    return host_tensor(out)


def match_filenames_once(pattern, name=None):
    """:func:`matching_files`, evaluated now (TensorFlow 2 evaluates it once too)."""
    return matching_files(pattern)


def _strings(parts: list) -> np.ndarray:
    out = np.empty(len(parts), dtype=OBJECT)
    out[:] = parts
    return out


def _proto_bytes(array: np.ndarray) -> bytes:
    return make_tensor_proto_message(array).SerializeToString()


def serialize_sparse(sp_input, out_type=dtypes.string, name=None):
    """A SparseTensor as 3 strings: the serialized TensorProtos of its indices, values and
    dense shape (TensorFlow's bytes)."""
    _check_out_type(out_type, "io.serialize_sparse")
    parts = _sparse_parts(sp_input, "io.serialize_sparse")
    return host_tensor(_strings([_proto_bytes(p) for p in parts]))


def serialize_many_sparse(sp_input, out_type=dtypes.string, name=None):
    """A SparseTensor of rank >= 2 as ``[rows, 3]`` strings: each row (the first
    dimension) serialized as :func:`serialize_sparse`."""
    op = "io.serialize_many_sparse"
    _check_out_type(out_type, op)
    indices, values, shape = _sparse_parts(sp_input, op)
    if len(shape) < 2:
        raise _invalid(op, f"expected a SparseTensor of rank >= 2, received rank {len(shape)}")
    out = np.empty((int(shape[0]), 3), dtype=OBJECT)
    for row in range(int(shape[0])):
        keep = indices[:, 0] == row
        out[row] = [
            _proto_bytes(np.ascontiguousarray(indices[keep, 1:])),
            _proto_bytes(values[keep]),
            _proto_bytes(np.asarray(shape[1:], np.int64)),
        ]
    return host_tensor(out)


def deserialize_many_sparse(serialized_sparse, dtype, rank=None, name=None):
    """``[rows, 3]`` strings from :func:`serialize_many_sparse` (or stacked
    :func:`serialize_sparse` results) as one SparseTensor with a leading row dimension;
    the dense shape is each row's largest."""
    from ..sparse import SparseTensor

    op = "io.deserialize_many_sparse"
    data = serialized_sparse.numpy() if hasattr(serialized_sparse, "numpy") else serialized_sparse
    rows = np.asarray(data, dtype=object)
    if rows.ndim != 2 or rows.shape[1] != 3:
        raise _invalid(op, f"expected serialized_sparse of shape [rows, 3], received {rows.shape}")
    all_indices, all_values, shapes = [], [], []
    for row, (i_bytes, v_bytes, s_bytes) in enumerate(rows.tolist()):
        indices = parse_tensor(i_bytes, dtypes.int64).numpy()
        values = parse_tensor(v_bytes, dtype).numpy()
        shape = parse_tensor(s_bytes, dtypes.int64).numpy()
        if shapes and len(shape) != len(shapes[0]):
            raise _invalid(op, f"row {row} has rank {len(shape)}, row 0 rank {len(shapes[0])}")
        all_indices.append(np.concatenate([np.full((len(indices), 1), row, np.int64), indices], 1))
        all_values.append(values)
        shapes.append(shape)
    dense = [len(shapes)] + np.max(np.stack(shapes), axis=0).tolist() if shapes else [0]
    indices = np.concatenate(all_indices) if all_indices else np.zeros((0, 1), np.int64)
    values = (
        np.concatenate(all_values)
        if all_values
        else np.zeros(0, dtypes.as_dtype(dtype).as_numpy_dtype)
    )
    order = np.lexsort(indices.T[::-1]) if len(indices) else np.arange(0)
    return SparseTensor(indices[order], values[order], dense)


def _sparse_parts(sp, op: str):
    from ..sparse import SparseTensor

    if not isinstance(sp, SparseTensor):
        raise TypeError(f"{op}: expected a SparseTensor, received {type(sp).__name__}")
    values = sp.values
    array = values._data if values._data.dtype is OBJECT else np.asarray(values.numpy())
    return (
        np.asarray(sp.indices.numpy(), np.int64),
        array,
        np.asarray(sp.dense_shape.numpy(), np.int64),
    )


def _check_out_type(out_type, op: str) -> None:
    if dtypes.as_dtype(out_type) != dtypes.string:
        raise TypeError(f"{op}: only out_type=tf.string is supported, received {out_type!r}")


def extract_jpeg_shape(contents, output_type=dtypes.int32, name=None):
    """``[height, width, channels]`` of the JPEG in ``contents``, from its header."""
    op = "io.extract_jpeg_shape"
    data = as_bytes(contents, op)
    if data[:3] != b"\xff\xd8\xff":
        raise _invalid(op, "contents is not a JPEG image")
    from ._pillow import pillow

    image = pillow(op).open(_bytes_io.BytesIO(data))  # reads the header only
    channels = {"L": 1, "RGB": 3, "CMYK": 4, "YCbCr": 3}.get(image.mode, len(image.getbands()))
    from ..ops.creation import constant

    return constant([image.height, image.width, channels], dtype=output_type)


def decode_and_crop_jpeg(
    contents,
    crop_window,
    channels=0,
    ratio=1,
    fancy_upscaling=True,
    try_recover_truncated=False,
    acceptable_fraction=1,
    dct_method="",
    name=None,
):
    """The window ``[y, x, height, width]`` of the JPEG in ``contents``, uint8."""
    op = "io.decode_and_crop_jpeg"
    data = as_bytes(contents, op)
    if data[:3] != b"\xff\xd8\xff":
        raise _invalid(op, "contents is not a JPEG image")
    window = np.asarray(crop_window.numpy() if hasattr(crop_window, "numpy") else crop_window)
    if window.shape != (4,):
        raise _invalid(op, f"crop_window must be [y, x, height, width], received {window.tolist()}")
    image = _open(data, op, dct_method=dct_method, fancy_upscaling=fancy_upscaling)
    array = _channels(_native(image), channels, image, op)
    y, x, h, w = (int(v) for v in window)
    if y < 0 or x < 0 or h <= 0 or w <= 0 or y + h > array.shape[0] or x + w > array.shape[1]:
        raise _invalid(
            op,
            f"crop_window {window.tolist()} does not fit in the image of "
            f"{array.shape[0]}x{array.shape[1]}",
        )
    return _output(array[y : y + h, x : x + w], "uint8", op)


def decode_webp(contents, channels=0, dtype=dtypes.uint8, name=None):
    """The WebP in ``contents`` as uint8 ``[frames, height, width, channels]`` (one frame
    for a still image), as TensorFlow; decoded by Pillow."""
    op = "io.decode_webp"
    if dtypes.as_dtype(dtype) != dtypes.uint8:
        raise TypeError(f"{op}: dtype must be uint8, received {dtype!r}")
    data = as_bytes(contents, op)
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise _invalid(op, "contents is not a WebP image")
    image = _open(data, op)
    frames = []
    for index in range(getattr(image, "n_frames", 1)):
        image.seek(index)
        frames.append(_channels(_native(image), channels, image, op))
    return _output(np.stack(frames), "uint8", op)
