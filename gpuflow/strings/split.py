"""Text to pieces: split, bytes_split, unicode_split, unicode_decode, unicode_encode, ngrams
(``tf.strings.*``). A string tensor of rank N gives a RaggedTensor of rank N + 1 (a scalar
gives a dense vector), as in TensorFlow."""

from __future__ import annotations

import numpy as np

from ..ragged.ragged_tensor import RaggedTensor
from ._common import OBJECT, host_tensor, invalid, is_ragged, result, strings_tensor, to_bytes

_ENCODINGS = {"UTF-8": "utf-8", "UTF-16-BE": "utf-16-be", "UTF-32-BE": "utf-32-be"}
_ALIASES = {"UTF8": "UTF-8", "UTF16-BE": "UTF-16-BE", "UTF32-BE": "UTF-32-BE"}  # ICU's names


def _codec(op: str, encoding) -> str:
    """Python's codec for one of TensorFlow's encoding names (InvalidArgumentError else)."""
    key = str(encoding).upper()
    codec = _ENCODINGS.get(_ALIASES.get(key, key))
    if codec is None:
        raise invalid(op, f"encoding must be one of {list(_ENCODINGS)}, received {encoding!r}")
    return codec


def _pieces(op: str, value, fn, out_dtype=None, converting=False):
    """``fn(bytes) -> list`` applied to each element; the lists become a new ragged axis
    (``converting``: see ``strings_tensor``)."""
    if is_ragged(value):
        return _replace_flat(value, _pieces(op, value.flat_values, fn, out_dtype, converting))
    x = strings_tensor(op, value, converting=converting)
    rows = [fn(v) for v in x._data.ravel().tolist()]
    flat = [piece for row in rows for piece in row]
    if out_dtype is None:
        values = np.empty(len(flat), dtype=OBJECT)
        values[:] = flat
    else:
        values = np.asarray(flat, dtype=out_dtype)
    if x.ndim == 0:
        return result(values)
    out = RaggedTensor.from_row_lengths(
        host_tensor(values), np.asarray([len(r) for r in rows], np.int64), validate=False
    )
    for n in reversed(x.shape[1:]):
        out = RaggedTensor.from_uniform_row_length(out, n)
    return out


def _replace_flat(rt: RaggedTensor, new_values):
    """``rt``'s row partitions over ``new_values`` (which may itself be ragged)."""
    if isinstance(rt._values, RaggedTensor):
        return rt.with_values(_replace_flat(rt._values, new_values))
    return rt.with_values(new_values)


def split(input, sep=None, maxsplit=-1, name=None):  # noqa: A002 - TensorFlow's name
    """Each string split at ``sep`` (default: runs of whitespace, ends dropped), at most
    ``maxsplit`` times (-1: no limit), as Python's ``bytes.split``."""
    op = "strings.split"
    delimiter = None
    if sep is not None:
        raw = sep.numpy() if hasattr(sep, "numpy") else sep
        delimiter = to_bytes(raw, f"{op}: sep") or None  # empty: whitespace, as TF
    limit = int(maxsplit)
    return _pieces(op, input, lambda b: b.split(delimiter, limit), converting=True)


def bytes_split(input, name=None):  # noqa: A002
    """Each string as its single bytes."""
    return _pieces(
        "strings.bytes_split",
        input,
        lambda b: [b[i : i + 1] for i in range(len(b))],
        converting=True,
    )


def _decoder(op, input_encoding, errors, replacement_char):
    codec = _codec(op, input_encoding)
    if errors not in ("strict", "replace", "ignore"):
        raise invalid(op, f"errors must be 'strict', 'replace' or 'ignore', received {errors!r}")
    substitute = chr(replacement_char)

    def decode(b: bytes) -> str:
        try:
            text = b.decode(codec, "strict" if errors == "strict" else errors)
        except UnicodeDecodeError as exc:
            raise invalid(op, f"invalid {input_encoding} in {b!r}: {exc.reason}") from None
        return text.replace("\ufffd", substitute) if errors == "replace" else text

    return decode


def unicode_decode(
    input,  # noqa: A002
    input_encoding,
    errors="replace",
    replacement_char=65533,
    replace_control_characters=False,
    name=None,
):
    """Each string as its Unicode code points (int32): a RaggedTensor, a vector for a scalar."""
    op = "strings.unicode_decode"
    decode = _decoder(op, input_encoding, errors, replacement_char)
    control = int(replacement_char) if replace_control_characters else None

    def points(b: bytes) -> list:
        out = [ord(c) for c in decode(b)]
        return out if control is None else [control if p < 0x20 else p for p in out]

    return _pieces(op, input, points, np.int32)


def unicode_split(
    input,  # noqa: A002
    input_encoding,
    errors="replace",
    replacement_char=65533,
    name=None,
):
    """Each string as its characters (each a string in ``input_encoding``)."""
    op = "strings.unicode_split"
    decode = _decoder(op, input_encoding, errors, replacement_char)
    codec = _codec(op, input_encoding)
    return _pieces(op, input, lambda b: [c.encode(codec) for c in decode(b)])


def unicode_encode(input, output_encoding, errors="replace", replacement_char=65533, name=None):  # noqa: A002
    """Code points (int, the innermost axis) as strings in ``output_encoding``: the
    innermost axis is consumed (a vector gives a scalar, a RaggedTensor of rows gives a
    vector)."""
    op = "strings.unicode_encode"
    codec = _codec(op, output_encoding)

    def encode(points) -> bytes:
        chars = []
        for p in points:
            if 0 <= p <= 0x10FFFF and not 0xD800 <= p <= 0xDFFF:
                chars.append(chr(p))
            elif errors == "strict":
                raise invalid(op, f"code point {p} is not a valid Unicode character")
            elif errors == "replace":
                chars.append(chr(replacement_char))
        return "".join(chars).encode(codec)

    if is_ragged(input):
        if isinstance(input._values, RaggedTensor):
            return input.with_values(unicode_encode(input._values, output_encoding, errors))
        points = input._values.numpy().tolist()
        splits = input.row_splits.numpy().tolist()
        rows = [points[splits[i] : splits[i + 1]] for i in range(len(splits) - 1)]
        out = np.empty(len(rows), dtype=OBJECT)
        out[:] = [encode(r) for r in rows]
        return host_tensor(out)
    from ..ops._convert import as_tensor

    x = as_tensor(input)
    if x.dtype.kind not in "iu" or x.ndim == 0:
        raise TypeError(f"{op}: input must be integer code points of rank >= 1, received {x}")
    values = x.numpy()
    rows = values.reshape(-1, values.shape[-1]).tolist()
    out = np.empty(len(rows), dtype=OBJECT)
    out[:] = [encode(r) for r in rows]
    return host_tensor(out.reshape(values.shape[:-1]))


def ngrams(
    data,
    ngram_width,
    separator=" ",
    pad_values=None,
    padding_width=None,
    preserve_short_sequences=False,
    name=None,
):
    """The n-grams of the innermost axis of ``data`` (strings), each joined with
    ``separator``; with ``ngram_width`` a list, all of them, by width, in each row.

    Args:
        pad_values: a string, or a pair (left, right), padding each row's ends.
        padding_width: how many pads on each side (default and at most width - 1).
        preserve_short_sequences: a row too short for any n-gram gives one n-gram of itself.
    """
    op = "strings.ngrams"
    widths = [
        int(w) for w in (ngram_width if isinstance(ngram_width, (list, tuple)) else [ngram_width])
    ]
    if any(w < 1 for w in widths):
        raise invalid(op, f"ngram_width must be >= 1, received {ngram_width!r}")
    sep = to_bytes(separator, f"{op}: separator")
    if pad_values is None:
        left = right = None
    elif isinstance(pad_values, (list, tuple)):
        if len(pad_values) != 2:
            raise invalid(op, f"pad_values must be a string or a pair, received {pad_values!r}")
        left, right = (to_bytes(v, f"{op}: pad_values") for v in pad_values)
    else:
        left = right = to_bytes(pad_values, f"{op}: pad_values")
    if padding_width is not None and int(padding_width) < 1:
        raise invalid(op, f"padding_width must be >= 1, received {padding_width}")

    def pad_of(width: int) -> int:
        if left is None:
            return 0
        return width - 1 if padding_width is None else min(int(padding_width), width - 1)

    def row_ngrams(tokens: list) -> list:
        out = []
        for w in widths:
            p = pad_of(w)
            padded = [left] * p + tokens + [right] * p
            out += [sep.join(padded[i : i + w]) for i in range(len(padded) - w + 1)]
        if not out and preserve_short_sequences and tokens:
            p = pad_of(widths[0])
            out = [sep.join([left] * p + tokens + [right] * p)]
        return out

    if is_ragged(data):
        if isinstance(data._values, RaggedTensor):
            return data.with_values(
                ngrams(
                    data._values,
                    ngram_width,
                    separator,
                    pad_values,
                    padding_width,
                    preserve_short_sequences,
                )
            )
        tokens = strings_tensor(op, data._values, "data", converting=True)._data.tolist()
        splits = data.row_splits.numpy().tolist()
        rows = [row_ngrams(tokens[splits[i] : splits[i + 1]]) for i in range(len(splits) - 1)]
        flat = np.empty(sum(len(r) for r in rows), dtype=OBJECT)
        flat[:] = [g for r in rows for g in r]
        return RaggedTensor.from_row_lengths(
            host_tensor(flat), np.asarray([len(r) for r in rows], np.int64), validate=False
        )
    x = strings_tensor(op, data, "data", converting=True)._data
    if x.ndim == 0:
        raise invalid(op, "data must have rank >= 1, received a scalar")
    rows = [row_ngrams(r) for r in x.reshape(-1, x.shape[-1]).tolist()]
    count = len(rows[0]) if rows else 0
    if any(len(r) != count for r in rows):  # only with preserve_short_sequences
        raise invalid(op, "rows gave different numbers of n-grams; pass a RaggedTensor")
    out = np.empty(len(rows) * count, dtype=OBJECT)
    out[:] = [g for r in rows for g in r]
    return host_tensor(out.reshape(x.shape[:-1] + (count,)))
