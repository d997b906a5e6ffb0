"""Read IDX files (the MNIST format), gzipped or not, with NumPy.

An IDX file is a 4-byte magic number ``00 00 TT NN`` (``TT`` the element type,
``NN`` the number of dimensions), ``NN`` big-endian uint32 sizes, then the
elements in C order. MNIST uses type ``0x08`` (unsigned byte): images have
magic 2051 (3 dimensions), labels magic 2049 (1 dimension).
"""

from __future__ import annotations

import gzip
import hashlib
import os
import struct
import zlib

import numpy as np

from ..saving.errors import FileFormatError

_UBYTE = 0x08


class CorruptFileError(FileFormatError):
    """A data file does not hold what its name promises (a :class:`FileFormatError`).

    Raised as ``CorruptFileError(path, field, problem)``, or with one ``"path: problem"``
    message; either way ``str(error)`` reads ``"path: problem"``.
    """

    def __init__(self, path, field: str | None = None, problem: str | None = None) -> None:
        if field is None:  # one "path: problem" message
            path, _, problem = str(path).partition(": ")
            field = "data"
        super().__init__(path, field, problem)
        self.args = (f"{self.path}: {problem}",)

    def __reduce__(self):
        return type(self), (self.path, self.field, self.problem)


MAX_ELEMENTS = 1 << 31  # no IDX file gpuflow reads is larger (MNIST's largest: 47 MB)
_CHUNK = 1 << 20


def _open(path: str):
    return gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb")


def _read_exact(f, n: int, path: str) -> bytes:
    """``n`` bytes of ``f`` read in chunks: memory grows only with the data really there."""
    out = bytearray()
    while len(out) < n:
        chunk = f.read(min(_CHUNK, n - len(out)))
        if not chunk:
            break
        out += chunk
    return out


def read_bytes(path: str | os.PathLike) -> bytes:
    """Returns the content of ``path``, un-gzipped when its name ends in ``.gz``.

    Raises:
        CorruptFileError: The file ends in ``.gz`` but is not valid gzip data.
    """
    path = os.fspath(path)
    try:
        with _open(path) as f:
            return f.read()
    except (OSError, EOFError, zlib.error) as e:
        raise CorruptFileError(
            path, "gzip", f"not a valid gzip file ({e}); delete it and load again"
        ) from e


def read_idx(
    path: str | os.PathLike,
    ndim: int,
    sample_shape: tuple | None = None,
    known: tuple[tuple, str] | None = None,
) -> np.ndarray:
    """Reads an unsigned-byte IDX file into a uint8 array.

    The header is read and checked first: the data are then read in chunks, never more than
    the header declares (so a small gzip file cannot expand into gigabytes), and the amount
    read must equal the declared size exactly.

    Args:
        path: The file; ``.gz`` names are decompressed.
        ndim: The number of dimensions expected (3 for images, 1 for labels).
        sample_shape: If given, the sizes every dimension but the first must have.
        known: ``(shape, sha256)`` of a published file of this name: a file whose header
            declares that shape must have that SHA-256 (decompressed). Other shapes are
            read as the user's own data.

    Returns:
        A uint8 array of the shape the header gives.

    Raises:
        CorruptFileError: The magic number, header, length or checksum is not that of an
            unsigned-byte IDX file with ``ndim`` dimensions. The message names the file, what
            was expected and what was found.
    """
    path = os.fspath(path)
    expected_magic = (_UBYTE << 8) | ndim
    header_len = 4 + 4 * ndim
    try:
        with _open(path) as f:
            header = _read_exact(f, header_len, path)
            if len(header) < header_len:
                raise CorruptFileError(
                    path,
                    "header",
                    f"expected an IDX file with a "
                    f"{header_len}-byte header, received "
                    f"{len(header)} bytes",
                )
            (magic,) = struct.unpack(">I", header[:4])
            if magic != expected_magic:
                raise CorruptFileError(
                    path,
                    "magic",
                    f"expected IDX magic number {expected_magic} "
                    f"(0x{expected_magic:08x}: unsigned bytes, {ndim} dimension"
                    f"{'s' if ndim > 1 else ''}), received {magic} (0x{magic:08x})",
                )
            shape = struct.unpack(f">{ndim}I", header[4:header_len])
            if sample_shape is not None and tuple(shape[1:]) != tuple(sample_shape):
                raise CorruptFileError(
                    path,
                    "header",
                    f"expected shape (n, "
                    f"{', '.join(map(str, sample_shape))}), "
                    f"header says {tuple(shape)}",
                )
            size = int(np.prod(shape, dtype=object))
            if size > MAX_ELEMENTS:
                raise CorruptFileError(
                    path,
                    "header",
                    f"header says shape {tuple(shape)} "
                    f"({size} bytes), over the {MAX_ELEMENTS} "
                    "bytes an IDX file may have",
                )
            if not path.endswith(".gz") and os.path.getsize(path) - header_len != size:
                got = os.path.getsize(path) - header_len
                raise CorruptFileError(
                    path,
                    "data",
                    f"header says shape {tuple(shape)} ({size} "
                    f"bytes of data), file holds {got} bytes of "
                    "data",
                )
            data = _read_exact(f, size + 1, path)  # one byte more: detects trailing data
    except (OSError, EOFError, zlib.error) as e:
        raise CorruptFileError(
            path, "gzip", f"not a valid gzip file ({e}); delete it and load again"
        ) from e
    if len(data) != size:
        raise CorruptFileError(
            path,
            "data",
            f"header says shape {tuple(shape)} ({size} bytes of "
            f"data), file holds {len(data)} bytes of data",
        )
    sha256 = known[1] if known is not None and tuple(shape) == tuple(known[0]) else None
    if sha256 is not None:
        digest = hashlib.sha256(header)
        digest.update(data)
        if digest.hexdigest() != sha256:
            raise CorruptFileError(
                path,
                "sha256",
                f"content fails its SHA-256 check (expected "
                f"{sha256}, found {digest.hexdigest()}); the "
                "file is damaged: delete it and load again",
            )
    return np.frombuffer(data, dtype=np.uint8).reshape(shape)


def write_idx(path: str | os.PathLike, array: np.ndarray) -> None:
    """Writes a uint8 array as an IDX file, gzipped when the name ends in ``.gz``.

    The inverse of :func:`read_idx`; used to make test data and caches.

    Args:
        path: Destination file.
        array: A uint8 array with 1 to 255 dimensions.
    """
    array = np.ascontiguousarray(array)
    if array.dtype != np.uint8:
        raise TypeError(f"write_idx: expected a uint8 array, received {array.dtype.name}")
    header = struct.pack(">I", (_UBYTE << 8) | array.ndim) + struct.pack(
        f">{array.ndim}I", *array.shape
    )
    payload = header + array.tobytes()
    path = os.fspath(path)
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "wb") as f:
        f.write(payload)
