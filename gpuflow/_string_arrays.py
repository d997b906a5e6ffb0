"""String data as tensors hold it: NumPy object arrays of ``bytes`` on the host.

A leaf module (NumPy only) that ``gpuflow/tensor.py`` asks whether a value is string
data, and that the ``tf.strings`` ops use to make and read such arrays. TensorFlow's
semantics: ``str`` is encoded as UTF-8, ``bytes`` stay as they are, and ``.numpy()``
gives ``bytes`` (a scalar) or an object array of ``bytes``.
"""

from __future__ import annotations

import numpy as np

OBJECT = np.dtype(object)


def is_string_array(array) -> bool:
    """Whether ``array`` is a string tensor's array (a NumPy object array)."""
    return getattr(array, "dtype", None) is OBJECT


def _tensor_strings(value):
    """A string tensor's object array (duck-typed: this module cannot import Tensor), or
    None for anything else."""
    array = getattr(value, "_data", None)
    return array if is_string_array(array) and hasattr(value, "numpy") else None


def looks_like_strings(data) -> bool:
    """Whether ``data`` (a value handed to a tensor constructor) is string data: a ``str``
    or ``bytes``, a NumPy array of them, or a (nested) list/tuple whose first leaf is one
    (a string tensor counts: ``[tf.constant("a"), "b"]`` packs, as in TensorFlow)."""
    while True:
        if isinstance(data, (str, bytes, np.str_, np.bytes_)):
            return True
        if isinstance(data, (list, tuple)) and data and _tensor_strings(data[0]) is not None:
            return True
        if isinstance(data, np.ndarray):
            return data.dtype.kind in "US" or (
                data.dtype.kind == "O" and data.size > 0 and _is_text(data.flat[0])
            )
        if isinstance(data, (list, tuple)) and data:
            data = data[0]
            continue
        if hasattr(data, "__array__") and getattr(getattr(data, "dtype", None), "kind", "") in (
            "O",
            "U",
            "S",
        ):  # a pandas Series or column of strings
            data = np.asarray(data)
            continue
        if hasattr(data, "__array__") and _text_columns(data):  # a DataFrame of strings
            data = np.asarray(data)
            continue
        return False


def _text_columns(data) -> bool:
    """Whether ``data`` has per-column ``dtypes`` (a pandas DataFrame), all of text."""
    try:
        kinds = [getattr(d, "kind", "") for d in data.dtypes]
    except (AttributeError, TypeError):
        return False
    return bool(kinds) and all(kind in ("O", "U", "S") for kind in kinds)


def _is_text(value) -> bool:
    return isinstance(value, (str, bytes, np.str_, np.bytes_))


def to_bytes(value, where: str = "string tensor") -> bytes:
    """One element as ``bytes`` (``str`` encoded as UTF-8)."""
    if isinstance(value, (bytes, np.bytes_)):
        return bytes(value)
    if isinstance(value, (str, np.str_)):
        return str(value).encode("utf-8")
    raise TypeError(
        f"{where}: expected str or bytes elements, received {type(value).__name__} {value!r}"
    )


def bytes_array(data, where: str = "string tensor") -> np.ndarray:
    """``data`` (str/bytes, nested lists of them, a NumPy array) as an object array of
    ``bytes``; a ragged nested list or a mix of text and numbers is a ValueError/TypeError."""
    if not isinstance(data, (np.ndarray, list, tuple, str, bytes)) and hasattr(data, "__array__"):
        data = np.asarray(data)  # a pandas Series of strings
    if isinstance(data, np.ndarray) and data.dtype.kind in "US":
        if data.dtype.kind == "S":
            flat = [bytes(v) for v in data.ravel().tolist()]
        else:
            flat = [v.encode("utf-8") for v in data.ravel().tolist()]
        out = np.empty(len(flat), dtype=OBJECT)
        out[:] = flat
        return out.reshape(data.shape)
    shape = _nested_shape(data, where)
    out = np.empty(int(np.prod(shape, dtype=np.int64)), dtype=OBJECT)
    out[:] = [to_bytes(v, where) for v in _leaves(data)]
    return out.reshape(shape)


def _nested_shape(data, where):
    strings = _tensor_strings(data)
    if strings is not None:
        return strings.shape
    if isinstance(data, np.ndarray):
        return data.shape
    if not isinstance(data, (list, tuple)):
        return ()
    if not data:
        return (0,)
    inner = [_nested_shape(v, where) for v in data]
    if any(s != inner[0] for s in inner[1:]):
        raise ValueError(
            f"{where}: the nested lists are not rectangular (inner shapes "
            f"{sorted(set(inner))}); use tf.ragged.constant for ragged data"
        )
    return (len(data),) + inner[0]


def _leaves(data):
    strings = _tensor_strings(data)
    if strings is not None:
        yield from strings.ravel().tolist()
    elif isinstance(data, np.ndarray):
        yield from data.ravel().tolist()
    elif isinstance(data, (list, tuple)):
        for v in data:
            yield from _leaves(v)
    else:
        yield data


def empty_strings(shape) -> np.ndarray:
    """An object array of ``shape`` filled with ``b""`` (TensorFlow's zero string)."""
    out = np.empty(shape, dtype=OBJECT)
    out.fill(b"")
    return out
