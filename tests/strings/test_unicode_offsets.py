"""tf.strings unicode_*_with_offsets, unicode_transcode, unsorted_segment_join (expected
values from TensorFlow 2.21)."""

import pytest

import gpuflow as tf


def test_decode_and_split_with_byte_offsets():
    s = tf.constant(["G\u00f6\u00f6dnight", "\U0001f60a", ""])
    points, offsets = tf.strings.unicode_decode_with_offsets(s, "UTF-8")
    assert points.to_list() == [[71, 246, 246, 100, 110, 105, 103, 104, 116], [128522], []]
    assert offsets.to_list() == [[0, 1, 3, 5, 6, 7, 8, 9, 10], [0], []]
    chars, offsets = tf.strings.unicode_split_with_offsets(s, "UTF-8")
    assert chars.to_list()[0][:3] == [b"G", b"\xc3\xb6", b"\xc3\xb6"]
    assert offsets.to_list()[1] == [0]
    scalar_points, scalar_offsets = tf.strings.unicode_decode_with_offsets("a\u00e9b", "UTF-8")
    assert scalar_points.numpy().tolist() == [97, 233, 98]
    assert scalar_offsets.numpy().tolist() == [0, 1, 3]


def test_invalid_bytes_are_replaced_dropped_or_an_error():
    bad = tf.constant([b"a\xffb"])
    points, offsets = tf.strings.unicode_decode_with_offsets(bad, "UTF-8")
    assert points.to_list() == [[97, 65533, 98]] and offsets.to_list() == [[0, 1, 2]]
    points, offsets = tf.strings.unicode_decode_with_offsets(bad, "UTF-8", errors="ignore")
    assert points.to_list() == [[97, 98]] and offsets.to_list() == [[0, 2]]
    with pytest.raises(tf.errors.InvalidArgumentError, match="unicode_decode_with_offsets"):
        tf.strings.unicode_decode_with_offsets(bad, "UTF-8", errors="strict")


def test_transcode():
    got = tf.strings.unicode_transcode(["Hello", "\u00e9t\u00e9"], "UTF-8", "UTF-16-BE")
    assert got.numpy().tolist() == [b"\x00H\x00e\x00l\x00l\x00o", b"\x00\xe9\x00t\x00\xe9"]
    replaced = tf.strings.unicode_transcode(tf.constant([b"a\xffb"]), "UTF-8", "UTF-8")
    assert replaced.numpy().tolist() == [b"a\xef\xbf\xbdb"]
    control = tf.strings.unicode_transcode(
        ["a\tb"], "UTF-8", "UTF-8", replace_control_characters=True
    )
    assert control.numpy().tolist() == [b"a\xef\xbf\xbdb"]
    with pytest.raises(tf.errors.InvalidArgumentError, match="encoding must be one of"):
        tf.strings.unicode_transcode(["a"], "UTF-8", "latin-1")


def test_unsorted_segment_join():
    joined = tf.strings.unsorted_segment_join(
        ["this", "is", "a", "test"], [0, 1, 0, 1], 3, separator=" "
    )
    assert joined.numpy().tolist() == [b"this a", b"is test", b""]
    rows = tf.strings.unsorted_segment_join(
        [["Y", "q"], ["Y", "p"], ["G", "a"]], [1, 0, 1], 2, separator=":"
    )
    assert rows.numpy().tolist() == [[b"Y", b"p"], [b"Y:G", b"q:a"]]
    with pytest.raises(tf.errors.InvalidArgumentError, match="segment_ids must be in"):
        tf.strings.unsorted_segment_join(["a", "b"], [0, 5], 2)
