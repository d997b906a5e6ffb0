"""``tf.io.decode_csv``, and the record splitting and field conversion that
``tf.data.experimental.CsvDataset`` and ``make_csv_dataset`` share with it.

Fields follow TensorFlow's CSV rules: ``field_delim`` is one character; with
``use_quote_delim`` a field that starts with ``"`` is quoted, ``""`` inside it is one quote,
and its closing quote must end the field. An empty field, or one equal to ``na_value``,
takes the column's default (an error when the column has none). Numbers must fill the
whole field (``1.5`` is not a valid int32).
"""

from __future__ import annotations

import re

import numpy as np

from .. import dtypes
from .._string_arrays import OBJECT, bytes_array
from ..errors import InvalidArgumentError
from ..tensor import Tensor

#: the column types a CSV record may hold.
CSV_TYPES = ("float32", "float64", "int32", "int64", "string")
_LIMITS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
_INT = re.compile(rb"\s*[-+]?\d+\s*\Z")
_FLOAT = re.compile(
    rb"\s*[-+]?(\d+\.?\d*([eE][-+]?\d+)?|\.\d+([eE][-+]?\d+)?|inf|infinity|nan)\s*\Z", re.I
)


def _invalid(op: str, message: str) -> InvalidArgumentError:
    return InvalidArgumentError(None, op, f"{op}: {message}")


class Column:
    """One column: its dtype name and default (None: the column is required)."""

    __slots__ = ("dtype", "default")

    def __init__(self, dtype: str, default) -> None:
        self.dtype = dtype
        self.default = default


def columns_from_defaults(record_defaults, op: str) -> list:
    """``record_defaults`` (one entry per column: a one-value list / tensor as the default,
    an empty one for a required column, or a dtype for a required column where ``op``
    allows it) as Columns."""
    if record_defaults is None or isinstance(record_defaults, (str, bytes)):
        raise TypeError(f"{op}: record_defaults must be a list of per-column defaults")
    columns = []
    for index, value in enumerate(record_defaults):
        columns.append(_column(value, op, index))
    if not columns:
        raise ValueError(f"{op}: record_defaults must have at least one column")
    return columns


def _column(value, op: str, index: int) -> Column:
    if isinstance(value, dtypes.DType) or (isinstance(value, type) and value is not str):
        name = dtypes.as_dtype(value, op).name
        _check_type(name, op, index)
        return Column(name, None)
    if isinstance(value, Tensor):
        array = value._data if value._data.dtype is OBJECT else np.asarray(value.numpy())
        name = "string" if array.dtype is OBJECT else array.dtype.name
    else:
        if isinstance(value, (str, bytes, int, float)) and not isinstance(value, bool):
            value = [value]
        if isinstance(value, (list, tuple)) and any(isinstance(v, (str, bytes)) for v in value):
            array, name = bytes_array(list(value), op), "string"
        else:
            array = np.asarray(value)
            if array.dtype == np.float64 and not hasattr(value, "dtype"):
                array = array.astype(np.float32)  # Python floats: float32, as tf.constant
            elif array.dtype == np.int64 and not hasattr(value, "dtype"):
                array = array.astype(np.int32)
            elif array.dtype.kind in "US":
                array = bytes_array(array, op)
            name = "string" if array.dtype is OBJECT else array.dtype.name
            if array.size == 0 and not hasattr(value, "dtype"):
                raise ValueError(
                    f"{op}: record_defaults[{index}] is empty without a dtype; give an empty "
                    "tensor of the column's dtype (e.g. tf.constant([], tf.float32)) for a "
                    "required column"
                )
    _check_type(name, op, index)
    array = array.reshape(-1)
    if array.size > 1:
        raise ValueError(
            f"{op}: record_defaults[{index}] must hold one value (or none for a required "
            f"column), received {array.size}"
        )
    return Column(name, array[0] if array.size else None)


def _check_type(name: str, op: str, index: int) -> None:
    if name not in CSV_TYPES:
        raise TypeError(
            f"{op}: column {index} has dtype {name}; CSV columns are one of " + ", ".join(CSV_TYPES)
        )


def split_record(record: bytes, delim: bytes, quoted: bool, op: str, index: int) -> list:
    """The fields of one CSV record (quotes removed)."""
    if not quoted or b'"' not in record:
        return record.split(delim)
    fields, position, n = [], 0, len(record)
    while True:
        if position < n and record[position : position + 1] == b'"':
            parts = []
            cursor = position + 1
            while True:
                end = record.find(b'"', cursor)
                if end < 0:
                    raise _invalid(op, f"Unterminated quoted field in record {index}")
                parts.append(record[cursor:end])
                if record[end + 1 : end + 2] == b'"':
                    parts.append(b'"')
                    cursor = end + 2
                    continue
                break
            fields.append(b"".join(parts))
            position = end + 1
            if position == n:
                return fields
            if record[position : position + 1] != delim:
                raise _invalid(
                    op,
                    f"Quote inside a string has to be escaped by another quote (record {index})",
                )
            position += 1
        else:
            end = record.find(delim, position)
            if end < 0:
                fields.append(record[position:])
                return fields
            fields.append(record[position:end])
            position = end + 1
        if position == n:
            fields.append(b"")
            return fields


def convert(field: bytes, column: Column, na_value: bytes, op: str, col: int, row: int):
    """One field as its column's value (its default when empty or ``na_value``)."""
    if field == b"" or (na_value and field == na_value):
        if column.default is None:
            raise _invalid(op, f"Field {col} is required but missing in record {row}!")
        return column.default
    kind = column.dtype
    if kind == "string":
        return field
    if kind in _LIMITS:
        if _INT.match(field):
            number = int(field)
            low, high = _LIMITS[kind]
            if low <= number <= high:
                return number
    elif _FLOAT.match(field):
        return float(field)
    raise _invalid(
        op,
        f"Field {col} in record {row} is not a valid {_tf_name(kind)}: "
        f"{field.decode('utf-8', 'replace')}",
    )


def _tf_name(name: str) -> str:
    return {"float32": "float", "float64": "double"}.get(name, name)


def delimiter(field_delim, op: str) -> bytes:
    raw = field_delim.numpy() if hasattr(field_delim, "numpy") else field_delim
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    if not isinstance(raw, bytes) or len(raw) != 1:
        raise ValueError(f"{op}: field_delim must be one character, received {field_delim!r}")
    return raw


def na_bytes(na_value, op: str) -> bytes:
    raw = na_value.numpy() if hasattr(na_value, "numpy") else na_value
    if isinstance(raw, str):
        return raw.encode("utf-8")
    if isinstance(raw, bytes):
        return raw
    raise TypeError(f"{op}: na_value must be a string, received {na_value!r}")


def select(select_cols, count: int | None, op: str, kernel: bool = False):
    """``select_cols`` checked (sorted, unique, >= 0), or None. A bad one is a ValueError,
    or with ``kernel`` (CsvDataset, whose kernel checks them in TensorFlow) an
    InvalidArgumentError."""
    if select_cols is None:
        return None
    error = (lambda message: _invalid(op, message)) if kernel else ValueError
    cols = [int(c) for c in select_cols]
    if any(c < 0 for c in cols) or any(b <= a for a, b in zip(cols, cols[1:])):
        raise error(
            f"{op}: select_cols must be non-negative and strictly increasing, received {cols}"
        )
    if count is not None and len(cols) != count:
        raise error(f"{op}: select_cols has {len(cols)} columns but record_defaults has {count}")
    return cols


def parse_line(line: bytes, columns, delim, quoted, na_value, cols, op: str, row: int) -> list:
    """The values of one record, one per column (selected columns only)."""
    fields = split_record(line, delim, quoted, op, row)
    if cols is None:
        if len(fields) != len(columns):
            raise _invalid(
                op, f"Expect {len(columns)} fields but have {len(fields)} in record {row}"
            )
        picked = fields
    else:
        if len(fields) <= cols[-1]:
            raise _invalid(
                op,
                f"Expect at least {cols[-1] + 1} fields (select_cols {cols}) but have "
                f"{len(fields)} in record {row}",
            )
        picked = [fields[c] for c in cols]
    return [convert(f, c, na_value, op, i, row) for i, (f, c) in enumerate(zip(picked, columns))]


def column_array(values: list, column: Column) -> np.ndarray:
    if column.dtype == "string":
        out = np.empty(len(values), OBJECT)
        out[:] = values
        return out
    return np.asarray(values, dtype=column.dtype)


def _decode_csv(
    records,
    record_defaults,
    field_delim=",",
    use_quote_delim=True,
    name=None,
    na_value="",
    select_cols=None,
):
    op = "decode_csv"
    from ..backend import current_device, get_device

    columns = columns_from_defaults(record_defaults, op)
    delim = delimiter(field_delim, op)
    na = na_bytes(na_value, op)
    cols = select(select_cols, len(columns), op)
    if isinstance(records, Tensor):
        if records._data.dtype is not OBJECT:
            # TensorFlow converts ``records`` to tf.string first: a ValueError
            raise ValueError(
                f"{op}: Tensor conversion requested dtype string for Tensor with dtype "
                f"{records.dtype.name} (records must be a string tensor)"
            )
        array = records._data
    elif isinstance(records, (bytes, str, np.bytes_, np.str_)):
        array = bytes_array(records, op)
    else:
        array = bytes_array(records, op)
    flat = array.reshape(-1).tolist()
    rows = [
        parse_line(line, columns, delim, bool(use_quote_delim), na, cols, op, i)
        for i, line in enumerate(flat)
    ]
    out = []
    device = current_device()
    for c, column in enumerate(columns):
        values = column_array([r[c] for r in rows], column).reshape(array.shape)
        if values.dtype is OBJECT:
            out.append(Tensor._wrap(values, get_device("cpu")))
        else:
            out.append(Tensor._wrap(device.asarray(values), device))
    return out


def _traceable_decode_csv():
    from ..strings._graph import traceable

    wrapped = traceable(_decode_csv, "decode_csv")
    wrapped.__name__ = wrapped.__qualname__ = "decode_csv"
    wrapped.__doc__ = """Converts CSV records (a string tensor of any shape) to one tensor
per column, each of the records' shape.

Args:
    records: the lines, without line endings.
    record_defaults: one entry per column: a one-value list or tensor (the column's dtype
        and the default of empty fields: ``[0]`` int32, ``[0.0]`` float32, ``[""]``
        string, ``tf.constant([0], tf.int64)``, ...), or an empty tensor of the dtype for
        a required column.
    field_delim: the one-character delimiter.
    use_quote_delim: whether ``"`` quotes fields.
    na_value: a field equal to it counts as empty.
    select_cols: the indices of the columns to keep (increasing); then
        ``record_defaults`` has one entry per selected column.

Raises:
    InvalidArgumentError: a record with another number of fields, a field that is not a
        number of its column's type, a missing required field (naming field and record).
"""
    return wrapped


decode_csv = _traceable_decode_csv()
