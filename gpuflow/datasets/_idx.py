"""Read IDX files (the MNIST format), gzipped or not, with NumPy.

An IDX file is a 4-byte magic number ``00 00 TT NN`` (``TT`` the element type,
``NN`` the number of dimensions), ``NN`` big-endian uint32 sizes, then the
elements in C order. MNIST uses type ``0x08`` (unsigned byte): images have
magic 2051 (3 dimensions), labels magic 2049 (1 dimension).
"""

from __future__ import annotations

import gzip
import os
import struct
import zlib

import numpy as np

_UBYTE = 0x08


class CorruptFileError(ValueError):
    """A data file does not hold what its name promises."""


def read_bytes(path: str | os.PathLike) -> bytes:
    """Returns the content of ``path``, un-gzipped when its name ends in ``.gz``.

    Raises:
        CorruptFileError: The file ends in ``.gz`` but is not valid gzip data.
    """
    path = os.fspath(path)
    if not path.endswith(".gz"):
        with open(path, "rb") as f:
            return f.read()
    try:
        with gzip.open(path, "rb") as f:
            return f.read()
    except (OSError, EOFError, zlib.error) as e:
        raise CorruptFileError(f"{path}: not a valid gzip file ({e}); delete it and load again") from e


def read_idx(path: str | os.PathLike, ndim: int) -> np.ndarray:
    """Reads an unsigned-byte IDX file into a uint8 array.

    Args:
        path: The file; ``.gz`` names are decompressed.
        ndim: The number of dimensions expected (3 for images, 1 for labels).

    Returns:
        A uint8 array of the shape the header gives.

    Raises:
        CorruptFileError: The magic number, header or length is not that of an
            unsigned-byte IDX file with ``ndim`` dimensions. The message names
            the file, what was expected and what was found.
    """
    path = os.fspath(path)
    data = read_bytes(path)
    expected_magic = (_UBYTE << 8) | ndim
    header_len = 4 + 4 * ndim
    if len(data) < header_len:
        raise CorruptFileError(
            f"{path}: expected an IDX file with a {header_len}-byte header, received {len(data)} bytes"
        )
    (magic,) = struct.unpack(">I", data[:4])
    if magic != expected_magic:
        raise CorruptFileError(
            f"{path}: expected IDX magic number {expected_magic} (0x{expected_magic:08x}: unsigned bytes, "
            f"{ndim} dimension{'s' if ndim > 1 else ''}), received {magic} (0x{magic:08x})"
        )
    shape = struct.unpack(f">{ndim}I", data[4:header_len])
    size = int(np.prod(shape, dtype=np.int64))
    if len(data) - header_len != size:
        raise CorruptFileError(
            f"{path}: header says shape {tuple(shape)} ({size} bytes of data), "
            f"file holds {len(data) - header_len} bytes of data"
        )
    return np.frombuffer(data, dtype=np.uint8, offset=header_len).reshape(shape).copy()


def write_idx(path: str | os.PathLike, array: np.ndarray) -> None:
    """Writes a uint8 array as an IDX file, gzipped when the name ends in ``.gz``.

    The inverse of :func:`read_idx`; used to make test data and caches.

    Args:
        path: Destination file.
        array: A uint8 array with 1 to 255 dimensions.
    """
    array = np.ascontiguousarray(array)
    if array.dtype != np.uint8:
        raise TypeError(f"write_idx: expected a uint8 array, received {array.dtype}")
    header = struct.pack(">I", (_UBYTE << 8) | array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    payload = header + array.tobytes()
    path = os.fspath(path)
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "wb") as f:
        f.write(payload)
