"""tf.strings.unicode_script: ICU script codes of code points, dense and ragged."""

from __future__ import annotations

import pytest

import gpuflow as tf


def test_script_codes_of_common_scripts():
    text = "aZ 1 Ωж ア あ 中 한 ع ש ก क \u0301"
    codes = tf.strings.unicode_script(tf.strings.unicode_decode(text, "UTF-8")).numpy().tolist()
    expected = [25, 25, 0, 0, 0, 14, 8, 0, 22, 0, 20, 0, 17, 0, 18, 0, 2, 0, 19, 0, 38, 0, 10]
    assert codes == expected + [0, 1]


def test_unassigned_and_invalid_code_points():
    out = tf.strings.unicode_script([0xD800, 0x10FFFF + 1, -5, 0x378])
    assert out.dtype == tf.int32 and out.numpy().tolist() == [103, -1, -1, 103]


def test_ragged_rows_are_kept_and_int64_is_refused():
    chars = tf.strings.unicode_decode(["Hi", "世界!"], "UTF-8")
    scripts = tf.strings.unicode_script(chars)
    assert isinstance(scripts, tf.RaggedTensor)
    assert scripts.to_list() == [[25, 25], [17, 17, 0]]
    with pytest.raises(tf.errors.InvalidArgumentError, match="int32"):
        tf.strings.unicode_script(tf.constant([65], tf.int64))
