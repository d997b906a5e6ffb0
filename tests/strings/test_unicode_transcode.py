"""tf.strings.unicode_transcode and the *_with_offsets ops (TensorFlow's unicode guide)."""

from __future__ import annotations

import pytest

import gpuflow as tf


def test_transcode_keeps_shape_and_accepts_icu_names():
    text = tf.constant("语言处理")
    utf16 = tf.strings.unicode_transcode(text, input_encoding="UTF8", output_encoding="UTF-16-BE")
    assert utf16.numpy() == "语言处理".encode("utf-16-be")
    back = tf.strings.unicode_transcode(utf16, "UTF-16-BE", "UTF-8")
    assert back.numpy() == "语言处理".encode()
    batch = tf.strings.unicode_transcode(tf.constant([["Hello", "你好"]]), "UTF-8", "UTF-32-BE")
    assert batch.shape == (1, 2) and batch.numpy()[0, 1] == "你好".encode("utf-32-be")
    ragged = tf.strings.unicode_transcode(
        tf.ragged.constant([["a"], ["b", "c"]]), "UTF-8", "UTF-16-BE"
    )
    assert ragged.to_list() == [[b"\x00a"], [b"\x00b", b"\x00c"]]


def test_transcode_errors_and_control_characters():
    bad = tf.constant(b"\xff ok\x01")
    assert tf.strings.unicode_transcode(bad, "UTF-8", "UTF-8").numpy() == "\ufffd ok\x01".encode()
    assert (
        tf.strings.unicode_transcode(bad, "UTF-8", "UTF-8", errors="ignore").numpy() == b" ok\x01"
    )
    kept = tf.strings.unicode_transcode(
        bad, "UTF-8", "UTF-8", replacement_char=63, replace_control_characters=True
    )
    assert kept.numpy() == b"? ok?"
    with pytest.raises(
        tf.errors.InvalidArgumentError, match="(?i)unicode_transcode: invalid UTF-8"
    ):
        tf.strings.unicode_transcode(bad, "UTF-8", "UTF-8", errors="strict")
    with pytest.raises(tf.errors.InvalidArgumentError, match="encoding must be one of"):
        tf.strings.unicode_transcode(bad, "UTF-8", "latin-9")


def test_decode_and_split_with_offsets():
    points, offsets = tf.strings.unicode_decode_with_offsets("🎈🎉🎊", "UTF-8")
    assert points.numpy().tolist() == [127880, 127881, 127882]
    assert offsets.numpy().tolist() == [0, 4, 8] and offsets.dtype == tf.int64
    chars, starts = tf.strings.unicode_split_with_offsets([b"a\xc3\xb1b", b"\xffc"], "UTF-8")
    assert chars.to_list() == [[b"a", "ñ".encode(), b"b"], ["\ufffd".encode(), b"c"]]
    assert starts.to_list() == [[0, 1, 3], [0, 1]]
    _, skipped = tf.strings.unicode_decode_with_offsets([b"\xffc"], "UTF-8", errors="ignore")
    assert skipped.to_list() == [[1]]
    controls = tf.strings.unicode_decode("a\x02", "UTF-8", replace_control_characters=True)
    assert controls.numpy().tolist() == [97, 65533]
