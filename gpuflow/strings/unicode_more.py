"""``tf.strings`` with character offsets (unicode_decode_with_offsets,
unicode_split_with_offsets), ``unicode_transcode`` and ``unsorted_segment_join``."""

from __future__ import annotations

import codecs

import numpy as np

from ._common import (
    OBJECT,
    host_tensor,
    invalid,
    is_ragged,
    map_elements,
    result,
    strings_tensor,
    to_bytes,
)
from .split import _codec, _pieces

_SURROGATES = range(0xDC80, 0xDD00)  # what surrogateescape makes of each undecodable byte


def _characters(op, data: bytes, codec, errors, replacement_char) -> list:
    """``[(character, byte offset)]`` of ``data``: an undecodable byte is one
    ``replacement_char`` (errors="replace"), dropped ("ignore") or an error ("strict")."""
    if errors not in ("strict", "replace", "ignore"):
        raise invalid(op, f"errors must be 'strict', 'replace' or 'ignore', received {errors!r}")
    try:
        text = data.decode(codec, "surrogateescape" if codec == "utf-8" else "strict")
    except UnicodeDecodeError as exc:
        if errors == "strict":
            raise invalid(op, f"invalid {codec} in {data!r}: {exc.reason}") from None
        text = data.decode(codec, errors)
    out, offset = [], 0
    for char in text:
        size = 1 if ord(char) in _SURROGATES else len(char.encode(codec, "surrogatepass"))
        if ord(char) in _SURROGATES:
            if errors == "strict":
                raise invalid(op, f"invalid {codec} in {data!r} at byte {offset}")
            if errors == "replace":
                out.append((chr(replacement_char), offset))
        else:
            out.append((char, offset))
        offset += size
    return out


def unicode_decode_with_offsets(
    input,  # noqa: A002 - TensorFlow's name
    input_encoding,
    errors="replace",
    replacement_char=65533,
    replace_control_characters=False,
    name=None,
):
    """``(code points, byte offsets)``: each string's code points (int32) and where each
    character starts in the string (int64), ragged as ``unicode_decode``."""
    op = "strings.unicode_decode_with_offsets"
    return _with_offsets(
        op, input, _codec(op, input_encoding), errors, replacement_char, ord, np.int32
    )


def unicode_split_with_offsets(
    input,  # noqa: A002
    input_encoding,
    errors="replace",
    replacement_char=65533,
    name=None,
):
    """``(characters, byte offsets)``: each string's characters (strings in
    ``input_encoding``) and where each starts."""
    op = "strings.unicode_split_with_offsets"
    codec = _codec(op, input_encoding)
    return _with_offsets(
        op, input, codec, errors, replacement_char, lambda c: c.encode(codec), None
    )


def _with_offsets(op, input, codec, errors, replacement_char, piece, dtype):  # noqa: A002
    """``(piece(character) for each character, byte offsets)`` of each string, ragged
    alike; each distinct string is decoded once."""
    decoded: dict = {}

    def chars(b):
        if b not in decoded:
            decoded[b] = _characters(op, b, codec, errors, replacement_char)
        return decoded[b]

    pieces = _pieces(op, input, lambda b: [piece(c) for c, _ in chars(b)], dtype)
    offsets = _pieces(op, input, lambda b: [o for _, o in chars(b)], np.int64)
    return pieces, offsets


def unicode_transcode(
    input,  # noqa: A002
    input_encoding,
    output_encoding,
    errors="replace",
    replacement_char=65533,
    replace_control_characters=False,
    name=None,
):
    """Each string re-encoded from ``input_encoding`` (any encoding Python knows, by ICU's
    names too: ``"US ASCII"``, ``"ISO-8859-1"``) to ``output_encoding`` (UTF-8, UTF-16-BE or
    UTF-32-BE), as TensorFlow."""
    op = "strings.unicode_transcode"
    source, target = _input_codec(op, input_encoding), _codec(op, output_encoding)

    def transcode(b: bytes) -> bytes:
        text = "".join(c for c, _ in _characters(op, b, source, errors, replacement_char))
        if replace_control_characters:
            text = "".join(chr(replacement_char) if _is_control(c) else c for c in text)
        return text.encode(target)

    return map_elements(op, input, transcode)


def _is_control(char: str) -> bool:
    point = ord(char)
    return point < 0x20 or 0x7F <= point < 0xA0


def unsorted_segment_join(inputs, segment_ids, num_segments, separator="", name=None):
    """The strings of each segment joined with ``separator``, in input order (segments
    without strings give ""); ``segment_ids`` index the leading dimensions of ``inputs``."""
    op = "strings.unsorted_segment_join"
    strings = strings_tensor(op, inputs, "inputs")._data
    ids = np.asarray(segment_ids.numpy() if hasattr(segment_ids, "numpy") else segment_ids)
    count = int(num_segments.numpy() if hasattr(num_segments, "numpy") else num_segments)
    if ids.shape != strings.shape[: ids.ndim]:
        raise invalid(
            op,
            f"segment_ids of shape {ids.shape} must be a prefix of the inputs' shape "
            f"{strings.shape}",
        )
    if ids.size and (ids.min() < -1 or ids.max() >= count):  # TF drops negative ids
        raise invalid(op, f"segment_ids must be in [0, {count}), received {ids.max()}")
    sep = to_bytes(separator, f"{op}: separator")
    rest = strings.shape[ids.ndim :]
    rows = strings.reshape((ids.size,) + rest)
    groups: list = [[] for _ in range(count)]
    for segment, row in zip(ids.reshape(-1).tolist(), rows):
        if segment >= 0:
            groups[segment].append(row)
    out = np.empty((count,) + rest, dtype=OBJECT)
    for segment, members in enumerate(groups):
        if not members:
            out[segment] = b""
            continue
        stacked = np.stack(members)
        flat = stacked.reshape(len(members), -1)
        joined = [sep.join(flat[:, j].tolist()) for j in range(flat.shape[1])]
        out[segment] = np.asarray(joined, dtype=OBJECT).reshape(rest) if rest else joined[0]
    return host_tensor(out)


def _input_codec(op: str, encoding) -> str:
    """A transcode's input encoding: TensorFlow takes any ICU converter name there."""
    try:
        return _codec(op, encoding)
    except Exception:  # noqa: BLE001 - tried as a Python codec name next
        pass
    name = str(encoding).strip().lower().replace(" ", "-")
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise invalid(op, f"unknown input_encoding {encoding!r}") from None


_script_table = None


def _scripts() -> tuple:
    """``(run starts, script codes)`` decoded from ``_unicode_scripts`` on first use."""
    global _script_table
    if _script_table is None:
        from ._unicode_scripts import _RUNS

        pairs = [token.split(".") for token in "".join(_RUNS).split()]
        starts = np.cumsum([int(gap, 36) for gap, _ in pairs])
        _script_table = (starts, np.asarray([int(code, 36) for _, code in pairs], np.int32))
    return _script_table


def unicode_script(input, name=None):  # noqa: A002 - TensorFlow's name
    """The ICU script code (int32) of each int32 code point, as TensorFlow: 0 Common,
    1 Inherited, 25 Latin, 22 Katakana, 17 Han, ...; 103 Unknown for unassigned code points
    and -1 for values that are not code points. A RaggedTensor keeps its rows."""
    op = "strings.unicode_script"
    if is_ragged(input):
        return input.with_flat_values(unicode_script(input.flat_values))
    from ..ops._convert import as_tensor

    x = as_tensor(input, dtype="int32")
    if x.dtype.name != "int32":
        raise invalid(op, f"input must be an int32 tensor of code points, received {x.dtype.name}")
    points = np.asarray(x.numpy())
    starts, codes = _scripts()
    out = codes[np.searchsorted(starts, np.clip(points, 0, None), side="right") - 1]
    out = np.where((points < 0) | (points > 0x10FFFF), -1, out).astype(np.int32)
    return result(out)
