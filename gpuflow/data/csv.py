"""CSV files as datasets: ``tf.data.experimental.CsvDataset`` and ``make_csv_dataset``.

Records are the lines of the files (``\\n`` or ``\\r\\n`` endings); each is split and its
fields converted as ``tf.io.decode_csv`` does (see :mod:`gpuflow.io.csv_ops`). A quoted
field cannot hold a line break.
"""

from __future__ import annotations

import collections
import glob as _glob
import gzip
import zlib

import numpy as np

from .. import dtypes
from .._string_arrays import OBJECT
from ..errors import InvalidArgumentError, NotFoundError
from ..io import csv_ops
from ..io.tfrecord import compression_type as _compression_type
from ..logger import get_logger
from ..tensor_spec import TensorSpec
from .dataset import UNKNOWN, Dataset
from .file_interleave import interleave_files
from .text_line import _filenames

_CSV = "CsvDataset"
_MAKE = "make_csv_dataset"


def _read_lines(path: str, compression: str, op: str) -> list:
    try:
        with open(path, "rb") as f:
            data = f.read()
    except (FileNotFoundError, IsADirectoryError):
        raise NotFoundError(None, op, f"{op}: {path}; No such file or directory") from None
    try:
        if compression == "GZIP":
            data = gzip.decompress(data)
        elif compression == "ZLIB":
            data = zlib.decompress(data)
    except (OSError, zlib.error) as exc:
        raise InvalidArgumentError(
            None, op, f"{op}: {path}: could not decompress the {compression} file: {exc}"
        ) from None
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return [line[:-1] if line.endswith(b"\r") else line for line in lines]


def _scalar(value, column) -> np.ndarray:
    if column.dtype == "string":
        out = np.empty((), OBJECT)
        out[()] = value
        return out
    return np.asarray(value, dtype=column.dtype)


class CsvDataset(Dataset):
    """The records of CSV files, each a tuple of scalars (one per column).

    Args:
        filenames: a path or a list (or string tensor) of paths.
        record_defaults: one entry per (selected) column: a dtype (``tf.int32``,
            ``tf.int64``, ``tf.float32``, ``tf.float64``, ``tf.string``) for a required
            column, or a one-value list / tensor giving the dtype and the default of empty
            fields.
        compression_type: ``""``/None, ``"GZIP"`` or ``"ZLIB"``.
        buffer_size: accepted for TensorFlow's signature.
        header: whether each file's first line is a header to skip.
        field_delim, use_quote_delim, na_value: as in ``tf.io.decode_csv``.
        select_cols: increasing indices of the columns to keep.
        exclude_cols: increasing indices of the columns to drop (not with select_cols).
        name: unused; accepted for TensorFlow's signature.

    Raises:
        While iterating: ``InvalidArgumentError`` naming the file and the record for a
        record that does not parse.
    """

    def __init__(
        self,
        filenames,
        record_defaults,
        compression_type=None,
        buffer_size=None,
        header=False,
        field_delim=",",
        use_quote_delim=True,
        na_value="",
        select_cols=None,
        exclude_cols=None,
        name=None,
    ) -> None:
        super().__init__()
        self._files = _filenames(filenames)
        self._compression = _compression_type(compression_type, _CSV)
        self._columns = csv_ops.columns_from_defaults(record_defaults, _CSV)
        self._header = bool(header)
        self._delim = csv_ops.delimiter(field_delim, _CSV)
        self._quoted = bool(use_quote_delim)
        self._na = csv_ops.na_bytes(na_value, _CSV)
        if select_cols is not None and exclude_cols is not None:
            raise ValueError(f"{_CSV}: at most one of select_cols and exclude_cols can be given")
        self._select = csv_ops.select(select_cols, len(self._columns), _CSV, kernel=True)
        self._exclude = None
        if exclude_cols is not None:
            self._exclude = csv_ops.select(exclude_cols, None, f"{_CSV}(exclude_cols)")

    def _compute_spec(self):
        return tuple(TensorSpec((), dtypes.as_dtype(c.dtype, _CSV)) for c in self._columns)

    def _cardinality(self) -> int:
        return UNKNOWN

    def _records(self, path: str, skip_errors: bool | str = False):
        """The parsed records of one file; with ``skip_errors`` (``ignore_errors``) a bad
        record is left out (logged when it is ``"log"``) and the file goes on."""
        lines = _read_lines(path, self._compression, _CSV)
        if self._header:
            lines = lines[1:]
        columns = self._columns
        cols = self._select
        for row, line in enumerate(lines):
            if self._exclude is not None:
                count = len(csv_ops.split_record(line, self._delim, self._quoted, _CSV, row))
                excluded = set(self._exclude)
                cols = [c for c in range(count) if c not in excluded]
                if len(cols) != len(columns):
                    error = self._error(
                        path,
                        f"Expect {len(columns) + len(excluded)} fields but have {count} in "
                        f"record {row}",
                    )
                    if skip_errors:
                        _skipped(skip_errors, error)
                        continue
                    raise error
            try:
                values = csv_ops.parse_line(
                    line, columns, self._delim, self._quoted, self._na, cols, _CSV, row
                )
            except InvalidArgumentError as exc:
                error = self._error(path, str(exc)[len(_CSV) + 2 :])
                if skip_errors:
                    _skipped(skip_errors, error)
                    continue
                raise error from None
            yield tuple(_scalar(v, c) for v, c in zip(values, columns))

    @staticmethod
    def _error(path: str, message: str) -> InvalidArgumentError:
        return InvalidArgumentError(None, _CSV, f"{_CSV}: {path}: {message}")

    def _elements(self, ctx):
        for path in self._files:  # under ignore_errors, bad records are skipped as TF does
            yield from self._records(path, skip_errors=ctx.skip_errors)


def _skipped(skip_errors, error) -> None:
    if skip_errors == "log":
        get_logger().warning("Dataset.ignore_errors: ignored a record: %s", error)


class _CsvFiles(Dataset):
    """make_csv_dataset's reader: CsvDatasets of the files, interleaved, the file order
    shuffled on each pass when ``rng`` is given."""

    def __init__(self, files: list, make, cycle: int, rng) -> None:
        super().__init__()
        self._files = files
        self._make = make
        self._cycle = cycle
        self._rng = rng

    def _compute_spec(self):
        return self._make(self._files[0]).element_spec

    def _cardinality(self) -> int:
        return UNKNOWN

    def _elements(self, ctx):
        files = list(self._files)
        if self._rng is not None and not ctx.probe:
            files = [files[i] for i in self._rng.permutation(len(files))]
        yield from interleave_files(files, lambda p: self._make(p)._elements(ctx), self._cycle)


class _ColumnsToDict(Dataset):
    """Batches of column tuples as ``(OrderedDict(features), label)`` (or the dict alone)."""

    def __init__(self, dataset, names: list, label_name) -> None:
        super().__init__((dataset,))
        self._names = names
        self._label = label_name

    def _convert(self, columns):
        features = collections.OrderedDict(zip(self._names, columns))
        if self._label is None:
            return features
        label = features.pop(self._label)
        return features, label

    def _compute_spec(self):
        return self._convert(self._inputs[0].element_spec)

    def _cardinality(self) -> int:
        return self._inputs[0]._cardinality()

    def _elements(self, ctx):
        for columns in self._inputs[0]._elements(ctx):
            yield self._convert(columns)


def _file_names(file_pattern) -> list:
    patterns = file_pattern
    if hasattr(patterns, "numpy"):
        patterns = patterns.numpy()
    if isinstance(patterns, (str, bytes)):
        patterns = [patterns]
    patterns = list(np.asarray(patterns, dtype=object).reshape(-1).tolist())
    if not patterns:
        raise ValueError(f"{_MAKE}: Argument `file_pattern` should not be empty.")
    names = []
    for pattern in patterns:
        if isinstance(pattern, bytes):
            pattern = pattern.decode("utf-8")
        names.extend(sorted(_glob.glob(pattern)))
    if not names:
        raise ValueError(f"{_MAKE}: No files match `file_pattern` {file_pattern}.")
    return names


def _split_header(line: bytes, delim: bytes, quoted: bool) -> list:
    return [f.decode("utf-8") for f in csv_ops.split_record(line, delim, quoted, _MAKE, 0)]


def _column_names(files, compression, delim, quoted) -> list:
    first = None
    for path in files:
        lines = _read_lines(path, compression, _MAKE)
        if not lines:
            raise ValueError(
                f"{_MAKE}: Failed when reading the header line of {path}. Is it an empty file?"
            )
        names = _split_header(lines[0], delim, quoted)
        if first is None:
            first = names
        elif names != first:
            raise ValueError(
                f"{_MAKE}: All input CSV files should have the same column names in the "
                f"header row. File {path} has different column names: {names}; expected {first}"
            )
    return first


def _sorted_indices(select_columns, names: list) -> list:
    positions = {n: i for i, n in enumerate(names)}
    out = []
    for v in select_columns:
        if isinstance(v, (int, np.integer)) and not isinstance(v, bool):
            if not 0 <= v < len(names):
                raise ValueError(
                    f"{_MAKE}: Column index {v} specified in `select_columns` should be >= 0 "
                    f"and < {len(names)}, which is the number of columns."
                )
            out.append(int(v))
        elif v not in positions:
            raise ValueError(
                f"{_MAKE}: Column {v} specified in `select_columns` must be one of the "
                f"columns: {names}."
            )
        else:
            out.append(positions[v])
    result = sorted(set(out))
    if len(result) != len(out):
        raise ValueError(f"{_MAKE}: The `select_columns` argument contains duplicate columns.")
    return result


def _infer_type(text: bytes, na: bytes, previous):
    """TensorFlow's inference: the least permissive of int32, int64, float32, float64,
    string that every value seen so far fits (a float must be finite in its type)."""
    if text == b"" or text == na:
        return previous
    order = ["int32", "int64", "float32", "float64", "string"]
    for kind in order[0 if previous is None else order.index(previous) :]:
        if kind.startswith("int"):
            try:
                csv_ops.convert(text, csv_ops.Column(kind, None), b"", _MAKE, 0, 0)
                return kind
            except InvalidArgumentError:
                continue
        if kind.startswith("float"):
            try:
                with np.errstate(over="ignore"):
                    value = np.asarray(float(text.replace(b"_", b"x")), dtype=kind)
            except ValueError:
                continue
            if value < np.inf:
                return kind
            continue
    return "string"


def _infer_defaults(files, count, select, compression, delim, quoted, na, header, rows):
    kinds = [None] * (count if select is None else len(select))
    seen = 0
    for path in files:
        lines = _read_lines(path, compression, _MAKE)
        if header:
            lines = lines[1:]
        for line in lines:
            if rows is not None and seen >= rows:
                break
            fields = csv_ops.split_record(line, delim, quoted, _MAKE, seen)
            if len(fields) != count:
                raise ValueError(
                    f"{_MAKE}: Problem inferring types: CSV row {seen} of {path} has "
                    f"{len(fields)} number of fields. Expected: {count}."
                )
            indices = range(count) if select is None else select
            for j, c in enumerate(indices):
                kinds[j] = _infer_type(fields[c], na, kinds[j])
            seen += 1
    kinds = [k or "string" for k in kinds]
    return [[b""] if k == "string" else np.zeros(1, dtype=k) for k in kinds]


def make_csv_dataset(
    file_pattern,
    batch_size,
    column_names=None,
    column_defaults=None,
    label_name=None,
    select_columns=None,
    field_delim=",",
    use_quote_delim=True,
    na_value="",
    header=True,
    num_epochs=None,
    shuffle=True,
    shuffle_buffer_size=10000,
    shuffle_seed=None,
    prefetch_buffer_size=None,
    num_parallel_reads=None,
    sloppy=False,
    num_rows_for_inference=100,
    compression_type=None,
    ignore_errors=False,
    encoding="utf-8",
) -> Dataset:
    """Batches of CSV rows as ``(OrderedDict(column name -> values), labels)``
    (``tf.data.experimental.make_csv_dataset``).

    Args:
        file_pattern: a glob pattern or a list of them.
        batch_size: rows per batch.
        column_names: the column names; None reads them from the first file's header.
        column_defaults: one entry per (selected) column as ``CsvDataset``'s
            ``record_defaults``; None infers each column's type (int32, int64, float32,
            float64 or string) from the first ``num_rows_for_inference`` rows.
        label_name: the column returned apart as the labels (None: only the dict).
        select_columns: names or indices of the columns to keep.
        field_delim, use_quote_delim, na_value: as in ``tf.io.decode_csv``.
        header: whether the files start with a header line.
        num_epochs: passes over the data (None: forever, and every batch is full).
        shuffle, shuffle_buffer_size, shuffle_seed: shuffle files and rows.
        prefetch_buffer_size: batches to prefetch (None: AUTOTUNE).
        num_parallel_reads: files read at once, their rows interleaved (None: 1).
        sloppy: accepted for TensorFlow's signature (the order stays deterministic).
        compression_type: ``""``/None, ``"GZIP"`` or ``"ZLIB"``.
        ignore_errors: skip rows that do not parse instead of raising.
        encoding: only UTF-8 (and ASCII) files are read.

    Raises:
        ValueError: for arguments that do not fit the files (no match, duplicate or
            unknown columns, a label that is not a column, ...).
    """
    from .transformations import AUTOTUNE, resolve_parallelism

    if str(encoding).lower().replace("-", "").replace("_", "") not in ("utf8", "ascii"):
        raise ValueError(f"{_MAKE}: encoding must be 'utf-8', received {encoding!r}")
    files = _file_names(file_pattern)
    compression = _compression_type(compression_type, _MAKE)
    delim = csv_ops.delimiter(field_delim, _MAKE)
    quoted = bool(use_quote_delim)
    na = csv_ops.na_bytes(na_value, _MAKE)
    if column_names is None:
        if not header:
            raise ValueError(
                f"{_MAKE}: Expected `column_names` or `header` arguments. Neither is provided."
            )
        column_names = _column_names(files, compression, delim, quoted)
    column_names = list(column_names)
    if len(set(column_names)) != len(column_names):
        duplicates = sorted({n for n in column_names if column_names.count(n) > 1})
        raise ValueError(
            f"{_MAKE}: Either `column_names` argument or CSV header row contains duplicate "
            f"column names: {duplicates}."
        )
    select = None if select_columns is None else _sorted_indices(select_columns, column_names)
    if column_defaults is not None:
        defaults = [d if not isinstance(d, (str, bytes)) else [d] for d in column_defaults]
    else:
        defaults = _infer_defaults(
            files,
            len(column_names),
            select,
            compression,
            delim,
            quoted,
            na,
            header,
            num_rows_for_inference,
        )
    if select is not None and len(defaults) != len(select):
        raise ValueError(
            f"{_MAKE}: If specified, `column_defaults` and `select_columns` must have the same "
            f"length: `column_defaults` has length {len(defaults)}, `select_columns` has "
            f"length {len(select)}."
        )
    if select is not None and len(column_names) > len(select):
        column_names = [column_names[i] for i in select]
    if select is None and len(defaults) != len(column_names):
        raise ValueError(
            f"{_MAKE}: `column_defaults` has {len(defaults)} entries but there are "
            f"{len(column_names)} columns {column_names}"
        )
    if label_name is not None and label_name not in column_names:
        raise ValueError(
            f"{_MAKE}: `label_name` provided must be one of the columns: {column_names}. "
            f"Received: {label_name}."
        )
    cycle = 1 if num_parallel_reads is None else resolve_parallelism(num_parallel_reads, _MAKE)

    def make(path):
        dataset = CsvDataset(
            path,
            record_defaults=defaults,
            compression_type=compression,
            header=header,
            field_delim=delim,
            use_quote_delim=quoted,
            na_value=na,
            select_cols=select,
        )
        return _SkipErrors(dataset) if ignore_errors else dataset

    rng = None
    if shuffle:
        rng = np.random.default_rng(shuffle_seed)
    dataset = _CsvFiles(files, make, cycle, rng)
    dataset.element_spec  # noqa: B018  (check the defaults now)
    if shuffle:
        dataset = dataset.shuffle(shuffle_buffer_size, shuffle_seed)
    if num_epochs != 1:
        dataset = dataset.repeat(num_epochs)
    dataset = dataset.batch(batch_size, drop_remainder=num_epochs is None)
    dataset = _ColumnsToDict(dataset, column_names, label_name)
    return dataset.prefetch(AUTOTUNE if prefetch_buffer_size is None else prefetch_buffer_size)


class _SkipErrors(Dataset):
    """A CsvDataset that skips the records that do not parse (``ignore_errors``)."""

    def __init__(self, dataset: CsvDataset) -> None:
        super().__init__((dataset,))

    def _compute_spec(self):
        return self._inputs[0].element_spec

    def _cardinality(self) -> int:
        return UNKNOWN

    def _elements(self, ctx):
        for path in self._inputs[0]._files:
            yield from self._inputs[0]._records(path, skip_errors=True)
