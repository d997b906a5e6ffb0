"""``tf.data.TFRecordDataset`` (the records of TFRecord files, one scalar string each) and
``tf.data.experimental.TFRecordWriter`` (a dataset of strings written as one file)."""

from __future__ import annotations

import numpy as np

from .. import dtypes
from ..io.tfrecord import TFRecordWriter as _FileWriter
from ..io.tfrecord import compression_type, read_records
from ..tensor_spec import TensorSpec
from .arguments import as_int
from .dataset import UNKNOWN, Dataset
from .file_interleave import files_at_once, interleave_files
from .text_line import _filenames

_OP = "TFRecordDataset"


def _scalar(record: bytes) -> np.ndarray:
    element = np.empty((), dtype=object)
    element[()] = record
    return element


class TFRecordDataset(Dataset):
    """The records of TFRecord files (as ``tf.io.TFRecordWriter`` writes them), each a
    scalar ``tf.string``, their CRCs checked.

    Args:
        filenames: a path, a list (or string tensor) of paths, or a Dataset of scalar
            strings (e.g. ``Dataset.list_files``).
        compression_type: ``""``/None, ``"GZIP"`` or ``"ZLIB"``.
        buffer_size: bytes read from a file at a time (None: 256 KiB).
        num_parallel_reads: how many files are read at once, their records interleaved one
            by one in TensorFlow's order (None: one file after another).
        name: unused; accepted for TensorFlow's signature.

    Raises:
        While iterating: ``NotFoundError`` for a missing file, ``DataLossError`` naming the
        file and offset for a truncated or corrupted record.
    """

    def __init__(
        self, filenames, compression_type=None, buffer_size=None, num_parallel_reads=None, name=None
    ) -> None:
        if isinstance(filenames, Dataset):
            spec = filenames.element_spec
            if not (isinstance(spec, TensorSpec) and spec.dtype == dtypes.string):
                raise TypeError(
                    f"{_OP}: a Dataset of filenames must have scalar tf.string elements, "
                    f"received elements {spec!r}"
                )
            super().__init__((filenames,))
            self._files = None
        else:
            super().__init__()
            self._files = _filenames(filenames)
        self._compression = _compression(compression_type)
        self._buffer_size = (
            None
            if buffer_size is None
            else as_int(buffer_size, _OP, "buffer_size (bytes, >= 0)", minimum=0)
        )
        self._cycle = files_at_once(num_parallel_reads, _OP)

    def _compute_spec(self):
        return TensorSpec((), dtypes.string)

    def _cardinality(self) -> int:
        return UNKNOWN

    def _read(self, path: str):
        for record in read_records(path, self._compression, self._buffer_size or None, _OP):
            yield _scalar(record)

    def _elements(self, ctx):
        files = self._files
        if files is None:  # a Dataset of filenames, read on each pass
            files = (_filenames(name) for name in self._inputs[0]._elements(ctx))
            files = [path for names in files for path in names]
        yield from interleave_files(files, self._read, self._cycle)


def _compression(value) -> str:
    return compression_type(value, _OP)


class TFRecordWriter:
    """Writes a dataset of scalar strings to one TFRecord file
    (``tf.data.experimental.TFRecordWriter``; ``tf.io.TFRecordWriter`` writes records one by
    one).

    Args:
        filename: the file to create.
        compression_type: ``""``/None, ``"GZIP"`` or ``"ZLIB"``.
    """

    def __init__(self, filename, compression_type=None) -> None:
        self._filename = filename
        self._compression = compression_type_of_writer(compression_type)

    def write(self, dataset) -> None:
        """Writes every element of ``dataset`` (scalar ``tf.string`` elements) as a record.

        Raises:
            TypeError: when the elements are not scalar strings.
        """
        op = "TFRecordWriter.write"
        if not isinstance(dataset, Dataset):
            raise TypeError(f"{op}: expected a Dataset, received {type(dataset).__name__}")
        spec = dataset.element_spec
        if not (
            isinstance(spec, TensorSpec) and spec.dtype == dtypes.string and spec.shape.rank == 0
        ):
            raise TypeError(
                f"{op}: Invalid `dataset`. Expected a `dataset` that produces scalar `tf.string` "
                f"elements, but got a dataset which produces elements {spec!r}."
            )
        with _FileWriter(self._filename, self._compression) as writer:
            for element in dataset._host_iterator():
                writer.write(element[()])


def compression_type_of_writer(value) -> str:
    return compression_type(value, "data.experimental.TFRecordWriter")
