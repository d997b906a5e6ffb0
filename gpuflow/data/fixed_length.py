"""``tf.data.FixedLengthRecordDataset``: fixed-size records of binary files (each a scalar
``tf.string``), after an optional header and before an optional footer."""

from __future__ import annotations

import os

from .. import dtypes
from ..errors import InvalidArgumentError, NotFoundError
from ..io.tfrecord import _Stream, compression_type
from ..tensor_spec import TensorSpec
from .arguments import as_int
from .dataset import UNKNOWN, Dataset
from .file_interleave import files_at_once, interleave_files
from .text_line import _filenames
from .tfrecord import _scalar

_OP = "FixedLengthRecordDataset"


class FixedLengthRecordDataset(Dataset):
    """The ``record_bytes``-long records of each file, in order.

    Args:
        filenames: a path, or a list (or string tensor) of paths.
        record_bytes: the size of each record.
        header_bytes, footer_bytes: bytes skipped at the start and at the end of each file.
        buffer_size: bytes read at a time (None: 256 KiB).
        compression_type: ``""``/None, ``"GZIP"`` or ``"ZLIB"``.
        num_parallel_reads: files read at once, their records interleaved one by one.

    Raises:
        While iterating: ``NotFoundError`` for a missing file, ``InvalidArgumentError``
        when a file's body is not a whole number of records (naming the file and sizes).
    """

    def __init__(
        self,
        filenames,
        record_bytes,
        header_bytes=None,
        footer_bytes=None,
        buffer_size=None,
        compression_type=None,
        num_parallel_reads=None,
        name=None,
    ) -> None:
        super().__init__()
        self._files = _filenames(filenames)
        self._record = as_int(record_bytes, _OP, "record_bytes (a positive int)", minimum=1)
        self._header = as_int(header_bytes or 0, _OP, "header_bytes (>= 0)", minimum=0)
        self._footer = as_int(footer_bytes or 0, _OP, "footer_bytes (>= 0)", minimum=0)
        self._compression = compression_type_of(compression_type)
        self._buffer_size = buffer_size
        self._cycle = files_at_once(num_parallel_reads, _OP)

    def _compute_spec(self):
        return TensorSpec((), dtypes.string)

    def _cardinality(self) -> int:
        return UNKNOWN

    def _read(self, path: str):
        try:
            file = open(path, "rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise NotFoundError(None, _OP, f"{_OP}: {path}; No such file or directory") from None
        if not self._compression:  # the size is known: fail before the first record
            self._check_body(path, os.path.getsize(path) - self._header - self._footer)
        with file:
            stream = _Stream(file, self._compression, self._buffer_size)
            header = stream.read(self._header)
            tail = stream.read(self._footer)  # what may turn out to be the footer
            read = len(header) + len(tail)
            while True:
                chunk = tail + stream.read(self._record)
                if len(chunk) < self._record + self._footer:  # the file ended
                    break
                yield _scalar(chunk[: self._record])
                tail = chunk[self._record :]
                read += self._record
        if len(header) < self._header or len(chunk) != self._footer:
            self._check_body(path, read + len(chunk) - len(header) - self._footer)

    def _check_body(self, path: str, body: int) -> None:
        if body < 0 or body % self._record:
            raise InvalidArgumentError(
                None,
                _OP,
                f"{_OP}: excluding the header ({self._header} bytes) and footer "
                f'({self._footer} bytes), input file "{os.fspath(path)}" has body length '
                f"{body} bytes, which is not an exact multiple of the record length "
                f"({self._record} bytes)",
            )

    def _elements(self, ctx):
        yield from interleave_files(self._files, self._read, self._cycle)


def compression_type_of(value) -> str:
    return compression_type(value, _OP)
