"""``tf.strings.unicode_transcode`` (each string re-encoded from ``input_encoding`` to
``output_encoding``: UTF-8, UTF-16-BE, UTF-32-BE, keeping the tensor's shape) and
``unicode_decode_with_offsets`` / ``unicode_split_with_offsets`` (characters and the byte
offsets where they start)."""

from __future__ import annotations

import numpy as np

from ._common import invalid, map_elements
from .split import _codec, _decoder, _pieces

_CONTROL = {c: None for c in range(0x20)}


def unicode_transcode(
    input,  # noqa: A002 - TensorFlow's name
    input_encoding,
    output_encoding,
    errors="replace",
    replacement_char=65533,
    replace_control_characters=False,
    name=None,
):
    """Each string decoded from ``input_encoding`` and encoded in ``output_encoding``.

    Args:
        errors: "replace" (invalid input becomes ``replacement_char``), "ignore" (dropped)
            or "strict" (an InvalidArgumentError).
        replace_control_characters: C0 control characters (U+0000-U+001F) become
            ``replacement_char`` too.
    """
    op = "strings.unicode_transcode"
    decode = _decoder(op, input_encoding, errors, replacement_char)
    target = _codec(op, output_encoding)
    if not 0 <= int(replacement_char) <= 0x10FFFF:
        raise invalid(op, f"replacement_char must be a code point, received {replacement_char}")
    substitute = chr(int(replacement_char))
    control = {c: substitute for c in _CONTROL} if replace_control_characters else None

    def transcode(b: bytes) -> bytes:
        text = decode(b)
        if control is not None:
            text = text.translate(control)
        return text.encode(target)

    return map_elements(op, input, transcode)


def _decode_with_offsets(op, encoding, errors, replacement_char, replace_control):
    """``bytes -> (code points, byte offsets)``: each character and where it starts in the
    input; invalid bytes give ``replacement_char`` at their start ("replace"), nothing
    ("ignore") or an InvalidArgumentError ("strict")."""
    codec = _codec(op, encoding)
    _decoder(op, encoding, errors, replacement_char)  # checks errors and the encoding

    def run(b: bytes):
        points, offsets, pos = [], [], 0
        while pos < len(b):
            try:
                good, bad = b[pos:].decode(codec), None
            except UnicodeDecodeError as exc:
                good, bad = b[pos : pos + exc.start].decode(codec), (exc.start, exc.end)
            at = pos
            for ch in good:
                points.append(ord(ch))
                offsets.append(at)
                at += len(ch.encode(codec))
            if bad is None:
                break
            if errors == "strict":
                raise invalid(op, f"invalid {encoding} in {b!r} at byte {pos + bad[0]}")
            if errors == "replace":
                points.append(int(replacement_char))
                offsets.append(pos + bad[0])
            pos += bad[1]
        if replace_control:
            points = [int(replacement_char) if p < 0x20 else p for p in points]
        return points, offsets

    return run


def unicode_decode_with_offsets(
    input,  # noqa: A002
    input_encoding,
    errors="replace",
    replacement_char=65533,
    replace_control_characters=False,
    name=None,
):
    """``(code points, start offsets)``: each string's code points (int32) and the byte
    offset (int64) where each character starts, both RaggedTensors (vectors for a scalar)."""
    op = "strings.unicode_decode_with_offsets"
    run = _decode_with_offsets(
        op, input_encoding, errors, replacement_char, replace_control_characters
    )
    points = _pieces(op, input, lambda b: run(b)[0], np.int32)
    offsets = _pieces(op, input, lambda b: run(b)[1], np.int64)
    return points, offsets


def unicode_split_with_offsets(
    input,  # noqa: A002
    input_encoding,
    errors="replace",
    replacement_char=65533,
    name=None,
):
    """``(characters, start offsets)``: each string's characters (strings in
    ``input_encoding``) and the byte offset where each starts."""
    op = "strings.unicode_split_with_offsets"
    codec = _codec(op, input_encoding)
    run = _decode_with_offsets(op, input_encoding, errors, replacement_char, False)
    chars = _pieces(op, input, lambda b: [chr(p).encode(codec) for p in run(b)[0]])
    offsets = _pieces(op, input, lambda b: run(b)[1], np.int64)
    return chars, offsets
