"""Element-wise text ops: lower, upper, length, strip, substr, regex_replace,
regex_full_match, to_number, as_string (``tf.strings.*``)."""

from __future__ import annotations

import re

import numpy as np

from .. import dtypes
from ._common import OBJECT, invalid, map_elements, result, strings_tensor

_UNITS = ("BYTE", "UTF8_CHAR")


def _encoding(op: str, encoding: str) -> str:
    if encoding not in ("", "utf-8", "UTF-8"):
        raise invalid(op, f"encoding must be '' or 'utf-8', received {encoding!r}")
    return encoding


def lower(input, encoding="", name=None):  # noqa: A002 - TensorFlow's name
    """Lower-case letters: ASCII only by default; every Unicode letter with ``encoding="utf-8"``."""
    if _encoding("strings.lower", encoding):
        return map_elements("strings.lower", input, lambda b: b.decode("utf-8").lower().encode())
    return map_elements("strings.lower", input, bytes.lower)  # bytes.lower: ASCII only


def upper(input, encoding="", name=None):  # noqa: A002
    """Upper-case letters: ASCII only by default; every Unicode letter with ``encoding="utf-8"``."""
    if _encoding("strings.upper", encoding):
        return map_elements("strings.upper", input, lambda b: b.decode("utf-8").upper().encode())
    return map_elements("strings.upper", input, bytes.upper)


def _unit(op: str, unit: str) -> str:
    if unit not in _UNITS:
        raise invalid(op, f"unit must be one of {list(_UNITS)}, received {unit!r}")
    return unit


def length(input, unit="BYTE", name=None):  # noqa: A002
    """The length of each string in bytes, or in Unicode characters with ``unit="UTF8_CHAR"``
    (int32)."""
    if _unit("strings.length", unit) == "BYTE":
        return map_elements("strings.length", input, len, np.int32)
    return map_elements(
        "strings.length", input, lambda b: len(b.decode("utf-8", "replace")), np.int32
    )


_WHITESPACE = b" \t\n\v\f\r"


def strip(input, name=None):  # noqa: A002
    """Each string without leading and trailing whitespace."""
    return map_elements("strings.strip", input, lambda b: b.strip(_WHITESPACE))


def substr(input, pos, len, unit="BYTE", name=None):  # noqa: A002 - TF's names
    """``len`` bytes (or characters) of each string from ``pos`` (negative: from the end).

    ``pos`` and ``len`` are scalars or integer tensors of one shape that broadcasts with
    ``input`` (``substr(["abcd", "wxyz"], [0, 2], [2, 1])`` is ``["ab", "y"]``).

    Raises:
        InvalidArgumentError: when ``pos`` is past the end of a string, when ``pos`` and
            ``len`` differ in shape or do not broadcast with ``input``, as TensorFlow.
    """
    op = "strings.substr"
    by_char = _unit(op, unit) == "UTF8_CHAR"
    starts, sizes = _int_array(op, "pos", pos), _int_array(op, "len", len)
    if starts.shape != sizes.shape:
        raise invalid(
            op,
            f"pos and len should have the same shape, got: {list(starts.shape)} vs. "
            f"{list(sizes.shape)}",
        )

    def cut(b: bytes, pos: int, size: int) -> bytes:
        text = b.decode("utf-8") if by_char else b
        n = text.__len__()
        start = pos + n if pos < 0 else pos
        if not 0 <= start <= n:
            raise invalid(op, f"pos {pos} out of range for string {b!r}")
        if size < 0:  # as TensorFlow: to the end in bytes, nothing in characters
            size = 0 if by_char else n
        piece = text[start : start + size]
        return piece.encode("utf-8") if by_char else piece

    if starts.ndim == 0:
        return map_elements(op, input, lambda b: cut(b, int(starts), int(sizes)))
    strings = strings_tensor(op, input)._data
    try:
        shape = np.broadcast_shapes(strings.shape, starts.shape)
    except ValueError:
        raise invalid(
            op, f"Incompatible shapes: {list(strings.shape)} vs. {list(starts.shape)}"
        ) from None
    texts, starts, sizes = (np.broadcast_to(a, shape).ravel() for a in (strings, starts, sizes))
    out = np.empty(texts.size, dtype=OBJECT)
    out[:] = [cut(b, int(p), int(n)) for b, p, n in zip(texts, starts, sizes)]
    return result(out.reshape(shape))


def _int_array(op, name, value) -> np.ndarray:
    array = np.asarray(value.numpy() if hasattr(value, "numpy") else value)
    if array.dtype.kind not in "iu":
        raise invalid(op, f"{name} must be int32 or int64, received {value!r}")
    return array


def _pattern(op: str, pattern) -> re.Pattern:
    r"""``pattern`` compiled over text, as RE2 reads it: UTF-8 characters (``[¿?]`` is two
    characters, not three bytes), ``\d``, ``\w`` and ``\s`` ASCII only."""
    text = pattern.numpy() if hasattr(pattern, "numpy") else pattern
    if isinstance(text, bytes):
        text = text.decode("utf-8", "surrogateescape")
    try:
        return re.compile(text, re.ASCII)
    except re.error as exc:
        raise invalid(op, f"invalid pattern {pattern!r}: {exc}") from None


def _text(b: bytes) -> str:
    """A string element as text (bytes that are not UTF-8 kept, as surrogates)."""
    return b.decode("utf-8", "surrogateescape")


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def regex_replace(input, pattern, rewrite, replace_global=True, name=None):  # noqa: A002
    r"""Each match of ``pattern`` replaced by ``rewrite`` (``\1`` names a group), every
    match or only the first. Python's ``re`` runs the pattern: RE2's common syntax."""
    op = "strings.regex_replace"
    regex = _pattern(op, pattern)
    text = rewrite.numpy() if hasattr(rewrite, "numpy") else rewrite
    if isinstance(text, bytes):
        text = _text(text)
    replace = _rewrite(op, text, regex.groups)
    count = 0 if replace_global else 1
    return map_elements(op, input, lambda b: _bytes(regex.sub(replace, _text(b), count=count)))


def _rewrite(op: str, text: str, groups: int):
    r"""RE2's rewrite string as a replacement function: ``\0`` the whole match, ``\1`` ..
    ``\9`` a group (empty when it did not take part), ``\\`` a backslash; everything else
    literal (Python's ``\g<1>`` and ``\n``, and ``$1``, mean nothing special there)."""
    parts: list = []
    i = 0
    while i < len(text):
        j = text.find("\\", i)
        if j < 0:
            parts.append(text[i:])
            break
        parts.append(text[i:j])
        nxt = text[j + 1 : j + 2]
        if nxt == "\\":
            parts.append("\\")
        elif nxt and nxt in "0123456789" and int(nxt) <= groups:
            parts.append(int(nxt))
        elif nxt and nxt in "0123456789":
            raise invalid(
                op, f"rewrite {text!r} refers to group \\{int(nxt)}; the pattern has {groups}"
            )
        else:
            raise invalid(
                op,
                f"invalid rewrite pattern {text!r}: a backslash must be followed by a digit "
                "(a group) or another backslash",
            )
        i = j + 2
    if all(p.__class__ is str for p in parts):
        literal = "".join(parts)
        return lambda match: literal
    return lambda match: "".join(p if p.__class__ is str else (match.group(p) or "") for p in parts)


def regex_full_match(input, pattern, name=None):  # noqa: A002
    """Whether each whole string matches ``pattern`` (bool)."""
    regex = _pattern("strings.regex_full_match", pattern)
    return map_elements(
        "strings.regex_full_match",
        input,
        lambda b: regex.fullmatch(_text(b)) is not None,
        np.bool_,
    )


def to_number(input, out_type="float32", name=None):  # noqa: A002
    """Each string parsed as a number of ``out_type`` (float32, float64, int32, int64).

    Raises:
        InvalidArgumentError: for a string that is not such a number (``"1.5"`` as an int).
    """
    op = "strings.to_number"
    dtype = dtypes.as_dtype(out_type, op)
    if dtype.name not in ("float32", "float64", "int32", "int64"):
        raise TypeError(
            f"{op}: out_type must be float32, float64, int32 or int64, received {dtype}"
        )
    integer = dtype.is_integer
    bounds = np.iinfo(dtype.as_numpy_dtype) if integer else None

    def parse(b: bytes):
        # as C's strtol / strtod: ASCII digits only (Python's int and float also take
        # "1_000" and other scripts' digits), hex floats, and the type's range for ints
        text = b.strip()
        try:
            if b"_" in text or not text.isascii():
                raise ValueError(text)
            if integer:
                value = int(text)
                if not bounds.min <= value <= bounds.max:
                    raise ValueError(text)
                return value
            if text.lstrip(b"+-")[:2].lower() == b"0x":
                return float.fromhex(text.decode("ascii"))
            return float(text)
        except ValueError:
            raise invalid(
                op, f"StringToNumberOp could not correctly convert string: {b!r} to {dtype.name}"
            ) from None

    return map_elements(op, input, parse, dtype.as_numpy_dtype)


def as_string(
    input,  # noqa: A002
    precision=-1,
    scientific=False,
    shortest=False,
    width=-1,
    fill="",
    name=None,
):
    """Numbers, bools or strings as strings, with C's printf rules as TensorFlow: floats
    ``%f`` (``%.{precision}f``), ``%e`` with ``scientific``, ``%g`` with ``shortest``,
    complex numbers ``(real,imag)``, strings ``%s``, bools ``true``/``false``. ``width``
    pads to that many characters; ``fill`` is a printf flag, as in TensorFlow's kernel:
    ``"0"`` pads numbers with zeros, ``"-"`` left-aligns, ``"+"`` signs positive numbers,
    ``" "`` puts a space before them, ``"#"`` is the alternate form."""
    from ..ops._convert import as_tensor

    op = "strings.as_string"
    x = as_tensor(input)
    if scientific and shortest:
        raise invalid(op, "Cannot select both scientific and shortest notation")
    if len(fill) > 1:
        raise invalid(op, f"Fill string must be one or fewer characters, received {fill!r}")
    if fill and fill not in " +-0#":
        # as TensorFlow's kernel: fill is a printf flag (' ', '+', '-', '0', '#')
        raise invalid(op, f'Fill argument not supported: "{fill}"')
    values = x._data if x._data.dtype.kind == "O" else x.numpy()
    kind = values.dtype.kind
    name = "string" if kind == "O" else values.dtype.name
    if kind not in "fcO" and precision > -1:
        raise invalid(op, f"precision not supported for datatype {name}")
    if kind not in "fc" and (scientific or shortest):
        raise invalid(op, f"scientific and shortest format not supported for datatype {name}")
    spec = "%" + fill + (str(width) if width > -1 else "")
    if precision > -1:
        spec += f".{precision}"
    if kind in "fc":
        spec += "g" if shortest else "e" if scientific else "f"
    elif kind == "O":
        spec += "s"
    elif kind in "iu":
        spec += "d"

    def text(v) -> bytes:
        if kind == "b":
            return b"true" if v else b"false"  # TensorFlow ignores width for bools
        if kind == "O":
            return spec.encode() % v
        if kind == "c":  # TensorFlow's "(real,imag)"
            return f"({spec % v.real},{spec % v.imag})".encode("ascii")
        return (spec % v).encode("ascii")

    flat = np.empty(values.size, dtype=object)
    flat[:] = [text(v) for v in values.ravel().tolist()]
    from ._common import host_tensor

    return host_tensor(flat.reshape(values.shape))
