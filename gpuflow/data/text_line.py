"""``tf.data.TextLineDataset``: the lines of text files, one string element each."""

from __future__ import annotations

import gzip
import zlib

import numpy as np

from .. import dtypes
from ..errors import NotFoundError
from ..tensor import Tensor
from ..tensor_spec import TensorSpec
from .dataset import UNKNOWN, Dataset
from .file_interleave import files_at_once, interleave_files

_OP = "TextLineDataset"


def _filenames(filenames) -> list:
    if isinstance(filenames, Tensor):
        filenames = filenames.numpy()
    if isinstance(filenames, (str, bytes, np.str_, np.bytes_)):
        filenames = [filenames]
    names = []
    for name in np.asarray(filenames, dtype=object).reshape(-1).tolist():
        if isinstance(name, bytes):
            name = name.decode("utf-8")
        if not isinstance(name, str):
            raise TypeError(f"{_OP}: filenames must be strings, received {name!r}")
        names.append(name)
    return names


class TextLineDataset(Dataset):
    """The lines of ``filenames``, without their line
    endings (``\\n`` or ``\\r\\n``), as scalar strings.

    Args:
        filenames: a path or a list (or string tensor) of paths.
        compression_type: ``""``/None, ``"GZIP"`` or ``"ZLIB"``.
        buffer_size: accepted for TensorFlow's signature (files are read whole).
        num_parallel_reads: how many files are read at once, their lines interleaved one
            by one in TensorFlow's order (None: one file after another).
        name: unused; accepted for TensorFlow's signature.
    """

    def __init__(
        self, filenames, compression_type=None, buffer_size=None, num_parallel_reads=None, name=None
    ) -> None:
        super().__init__()
        if compression_type not in (None, "", "GZIP", "ZLIB"):
            raise ValueError(
                f"{_OP}: compression_type must be '', 'GZIP' or 'ZLIB', received "
                f"{compression_type!r}"
            )
        self._files = _filenames(filenames)
        self._compression = compression_type or ""
        self._cycle = files_at_once(num_parallel_reads, _OP)

    def _compute_spec(self):
        return TensorSpec((), dtypes.string)

    def _cardinality(self) -> int:
        return UNKNOWN

    def _read(self, path: str) -> bytes:
        try:
            with open(path, "rb") as f:
                data = f.read()
        except FileNotFoundError:
            raise NotFoundError(None, _OP, f"{_OP}: {path}; No such file or directory") from None
        if self._compression == "GZIP":
            return gzip.decompress(data)
        if self._compression == "ZLIB":
            return zlib.decompress(data)
        return data

    def _lines(self, path: str):
        lines = self._read(path).split(b"\n")
        if lines and lines[-1] == b"":  # a final newline ends the last line
            lines.pop()
        for line in lines:
            element = np.empty((), dtype=object)
            element[()] = line[:-1] if line.endswith(b"\r") else line
            yield element

    def _elements(self, ctx):
        yield from interleave_files(self._files, self._lines, self._cycle)
