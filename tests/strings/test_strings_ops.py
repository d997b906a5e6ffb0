"""tf.strings ops against values obtained from TensorFlow 2.21 (tensorflow-cpu), pasted in."""

import json
import os

import numpy as np
import pytest

import gpuflow as tf
from gpuflow.strings._farmhash import fingerprint64, siphash24


def _list(x):
    return x.to_list() if isinstance(x, tf.RaggedTensor) else x.numpy().tolist()


def test_lower_upper_ascii_and_utf8():
    assert tf.strings.lower("ÀB").numpy() == "Àb".encode()  # TF: ASCII only by default
    assert tf.strings.lower("ÀB", encoding="utf-8").numpy() == "àb".encode()
    assert _list(tf.strings.upper(["ab", "Cd"])) == [b"AB", b"CD"]
    ragged = tf.strings.lower(tf.ragged.constant([["A"], ["B", "C"]]))
    assert isinstance(ragged, tf.RaggedTensor) and ragged.to_list() == [[b"a"], [b"b", b"c"]]


def test_length_units():
    n = tf.strings.length(["héllo", ""], unit="UTF8_CHAR")
    assert n.dtype == tf.int32 and _list(n) == [5, 0]
    assert _list(tf.strings.length(["héllo", ""])) == [6, 0]
    assert tf.strings.length(tf.ragged.constant([["A"], ["B", "CC"]])).to_list() == [[1], [1, 2]]
    with pytest.raises(tf.errors.InvalidArgumentError, match="unit must be one of"):
        tf.strings.length(["a"], unit="CHAR")


def test_split_whitespace_sep_maxsplit_and_ranks():
    assert _list(tf.strings.split("a b  c")) == [b"a", b"b", b"c"]  # scalar: a dense vector
    assert isinstance(tf.strings.split("a b"), tf.Tensor)
    assert _list(tf.strings.split(["a b  c", " d "])) == [[b"a", b"b", b"c"], [b"d"]]
    assert _list(tf.strings.split(["a,b,,c", "d"], sep=",")) == [[b"a", b"b", b"", b"c"], [b"d"]]
    assert _list(tf.strings.split(["a b c d"], maxsplit=2)) == [[b"a", b"b", b"c d"]]
    assert _list(tf.strings.split([["a b"], ["c"]])) == [[[b"a", b"b"]], [[b"c"]]]
    nested = tf.strings.split(tf.ragged.constant([["a b"], ["c d", "e"]]))
    assert nested.to_list() == [[[b"a", b"b"]], [[b"c", b"d"], [b"e"]]]


def test_substr_positions_and_units():
    assert _list(tf.strings.substr(["hello", "ab"], 1, 3)) == [b"ell", b"b"]
    assert _list(tf.strings.substr(["hello", "ab"], -2, 3)) == [b"lo", b"ab"]
    assert tf.strings.substr("héllo", 1, 2, unit="UTF8_CHAR").numpy() == "él".encode()
    with pytest.raises(tf.errors.InvalidArgumentError, match="pos 3 out of range"):
        tf.strings.substr(["hello", "ab"], 3, 3)


def test_substr_pos_and_len_tensors_broadcast():
    assert _list(tf.strings.substr(["abcd", "wxyz"], [0, 2], [2, 1])) == [b"ab", b"y"]
    assert _list(tf.strings.substr("abcdef", [0, 2], [2, 1])) == [b"ab", b"c"]
    grid = tf.strings.substr([["abcd", "wxyz"], ["1234", "5678"]], [0, 2], [2, 1])
    assert _list(grid) == [[b"ab", b"y"], [b"12", b"7"]]
    with pytest.raises(tf.errors.InvalidArgumentError, match="same shape"):
        tf.strings.substr(["abcd", "wxyz"], [0, 2], 1)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Incompatible shapes"):
        tf.strings.substr(["abcd", "wxyz"], [0, 2, 1], [1, 1, 1])
    with pytest.raises(tf.errors.InvalidArgumentError, match="pos must be int32 or int64"):
        tf.strings.substr(["abcd"], 0.5, 1)


def test_to_number_and_as_string():
    x = tf.strings.to_number(["1.5", "2"])
    assert x.dtype == tf.float32 and _list(x) == [1.5, 2.0]
    assert _list(tf.strings.to_number(["1", "2"], out_type=tf.int32)) == [1, 2]
    with pytest.raises(tf.errors.InvalidArgumentError, match="could not correctly convert"):
        tf.strings.to_number(["x"])
    with pytest.raises(tf.errors.InvalidArgumentError, match="to int32"):
        tf.strings.to_number(["1.5"], out_type=tf.int32)
    assert _list(tf.strings.as_string([1.5, 2.0])) == [b"1.500000", b"2.000000"]
    assert _list(tf.strings.as_string([1, 22], width=4, fill="0")) == [b"0001", b"0022"]
    assert _list(tf.strings.as_string([3.14159], precision=2)) == [b"3.14"]
    assert _list(tf.strings.as_string([True, False])) == [b"true", b"false"]
    big = tf.strings.as_string([1e20, 1e-7])  # float32 values, as TF prints them
    assert _list(big) == [b"100000002004087734272.000000", b"0.000000"]
    assert _list(tf.strings.as_string([1234567.0], scientific=True)) == [b"1.234567e+06"]
    assert _list(tf.strings.as_string([1234567.0], shortest=True)) == [b"1.23457e+06"]


def test_to_number_parses_as_strtol_and_strtod():
    # the values and errors TensorFlow 2.21 gives
    assert _list(tf.strings.to_number([" +5 ", "007", "-0"], tf.int32)) == [5, 7, 0]
    assert _list(tf.strings.to_number(["-2147483648"], tf.int32)) == [-2147483648]
    assert _list(tf.strings.to_number(["0x1p3", "-0X10", ".5"], tf.float64)) == [8.0, -16.0, 0.5]
    for text, dtype in [
        ("2147483648", tf.int32),  # out of int32's range
        ("9223372036854775808", tf.int64),
        ("1_000", tf.int32),  # Python's int() takes these; strtol does not
        ("1_0.5", tf.float32),
        ("\u0663", tf.int32),  # an Arabic-Indic digit
        ("1e", tf.float32),
        ("", tf.int32),
    ]:
        with pytest.raises(tf.errors.InvalidArgumentError, match="could not correctly convert"):
            tf.strings.to_number([text], dtype)


def test_as_string_fill_is_a_printf_flag_and_strings_pass_through():
    # TensorFlow's kernel builds a printf format: "%" + fill + width + .precision + type
    assert _list(tf.strings.as_string([7, -3], fill="+")) == [b"+7", b"-3"]
    assert _list(tf.strings.as_string([7], width=4, fill="-")) == [b"7   "]
    assert _list(tf.strings.as_string([7, -7], fill=" ")) == [b" 7", b"-7"]
    assert _list(tf.strings.as_string([7.0], fill="#", precision=0)) == [b"7."]
    assert _list(tf.strings.as_string([-1.5], width=8, fill="0", precision=1)) == [b"-00001.5"]
    assert _list(tf.strings.as_string([True], width=7)) == [b"true"]
    assert _list(tf.strings.as_string(["ab", "c"], width=3)) == [b" ab", b"  c"]
    assert _list(tf.strings.as_string(["abcdef"], precision=2)) == [b"ab"]
    z = tf.constant([1 + 2j], tf.complex64)
    assert _list(tf.strings.as_string(z, precision=1)) == [b"(1.0,2.0)"]
    for kwargs, message in [
        (dict(fill="x"), 'Fill argument not supported: "x"'),
        (dict(fill="00"), "Fill string must be one or fewer characters"),
        (dict(precision=2), "precision not supported for datatype int32"),
        (dict(scientific=True), "scientific and shortest format not supported for datatype int32"),
    ]:
        with pytest.raises(tf.errors.InvalidArgumentError, match=message):
            tf.strings.as_string([1], **kwargs)


def test_join_and_reduce_join():
    assert _list(tf.strings.join([["a", "b"], "x"], separator="-")) == [b"a-x", b"b-x"]
    assert _list(tf.strings.join(["a", ["b", "c"]])) == [b"ab", b"ac"]
    grid = [["a", "b"], ["c", "d"]]
    assert _list(tf.strings.reduce_join(grid, axis=1, separator="-")) == [b"a-b", b"c-d"]
    assert tf.strings.reduce_join(grid).numpy() == b"abcd"
    assert _list(tf.strings.reduce_join(grid, axis=0, keepdims=True)) == [[b"ac", b"bd"]]
    with pytest.raises(tf.errors.InvalidArgumentError, match="axis 2 is out of range"):
        tf.strings.reduce_join(grid, axis=2)


def test_regex_and_strip():
    assert _list(tf.strings.regex_replace(["Hello, World!"], r"[^a-z ]", "")) == [b"ello orld"]
    assert _list(tf.strings.regex_replace(["aaa"], "a", "b", replace_global=False)) == [b"baa"]
    assert _list(tf.strings.regex_replace(["ab12"], r"(\d)", r"<\1>")) == [b"ab<1><2>"]
    match = tf.strings.regex_full_match(["ab12", "x"], r"[a-z]+\d+")
    assert match.dtype == tf.bool and _list(match) == [True, False]
    assert _list(tf.strings.strip(["  a b \n", "\tc"])) == [b"a b", b"c"]


def test_bytes_and_unicode():
    assert _list(tf.strings.bytes_split(["ab", "c"])) == [[b"a", b"b"], [b"c"]]
    assert _list(tf.strings.bytes_split("ab")) == [b"a", b"b"]
    decoded = tf.strings.unicode_decode(["hé", "x"], "UTF-8")
    assert decoded.to_list() == [[104, 233], [120]] and decoded.dtype == tf.int32
    assert _list(tf.strings.unicode_decode("hé", "UTF-8")) == [104, 233]
    assert tf.strings.unicode_encode([104, 233], "UTF-8").numpy() == "hé".encode()
    rows = tf.strings.unicode_encode(tf.ragged.constant([[104, 233], [120]]), "UTF-8")
    assert _list(rows) == ["hé".encode(), b"x"]
    assert tf.strings.unicode_split(["hé"], "UTF-8").to_list() == [[b"h", "é".encode()]]
    with pytest.raises(tf.errors.InvalidArgumentError, match="invalid UTF-8"):
        tf.strings.unicode_decode([b"\xff"], "UTF-8", errors="strict")
    assert _list(tf.strings.unicode_decode(b"\xffa", "UTF-8")) == [65533, 97]


def test_ngrams():
    assert _list(tf.strings.ngrams(["a", "b", "c"], 2)) == [b"a b", b"b c"]
    rt = tf.ragged.constant([["a", "b", "c"], ["d"]])
    assert _list(tf.strings.ngrams(rt, 2)) == [[b"a b", b"b c"], []]
    assert _list(tf.strings.ngrams(rt, (1, 2), separator="_")) == [
        [b"a", b"b", b"c", b"a_b", b"b_c"],
        [b"d"],
    ]
    padded = tf.strings.ngrams(rt, 2, pad_values=("<s>", "</s>"))
    assert _list(padded) == [[b"<s> a", b"a b", b"b c", b"c </s>"], [b"<s> d", b"d </s>"]]
    short = tf.strings.ngrams(rt, 3, preserve_short_sequences=True)
    assert _list(short) == [[b"a b c"], [b"d"]]
    assert _list(tf.strings.ngrams([["a", "b", "c"], ["d", "e", "f"]], 2)) == [
        [b"a b", b"b c"],
        [b"d e", b"e f"],
    ]


def test_hash_buckets_equal_tensorflow():
    # from tf.strings.to_hash_bucket_fast(["a", "hello", ""], 1000) and
    # tf.strings.to_hash_bucket_strong(["a", "hello", ""], 1000, [1, 2]) in TF 2.21
    fast = tf.strings.to_hash_bucket_fast(["a", "hello", ""], 1000)
    assert fast.dtype == tf.int64 and _list(fast) == [939, 296, 263]
    assert _list(tf.strings.to_hash_bucket_strong(["a", "hello", ""], 1000, [1, 2])) == [
        646,
        622,
        435,
    ]


def test_legacy_hash_bucket_equals_tensorflow():
    # tf.strings.to_hash_bucket (TF's Hash64) in TF 2.21, with 2**62 buckets: every tail
    # length 0..7 and more than one 8-byte block
    words = ["", "a", "ab", "abc", "Hello", "TensorFlow", "12345678", "123456789abcdefgh"]
    words += ["héllo wörld, a longer string!", "x" * 40]
    assert _list(tf.strings.to_hash_bucket(words, 2**62)) == [
        105434511174508091,
        2996632905371535868,
        3579204183985781795,
        1046625677629754806,
        1802903312739808229,
        4519201464338240520,
        421129128932463287,
        3528730858989792003,
        4528921715302511994,
        573866885909517461,
    ]
    grid = tf.strings.to_hash_bucket(tf.constant([["Hello", "TensorFlow"], ["2.x", "!"]]), 3)
    assert grid.dtype == tf.int64 and grid.numpy().tolist() == [[2, 0], [1, 2]]
    ragged = tf.strings.to_hash_bucket(tf.ragged.constant([["a", "b"], []]), 10)
    assert ragged.to_list() == [[8, 0], []]
    with pytest.raises(ValueError, match="strings.to_hash_bucket: num_buckets must be >= 1"):
        tf.strings.to_hash_bucket(["a"], 0)


def test_farmhash_and_siphash_on_every_length_branch():
    # 208 strings of 0..199, 255, 256, 257, 500, 1000 random bytes (numpy seed 0) and 3 words;
    # their buckets from TF 2.21 (to_hash_bucket_fast with 2**63 - 1 and 1000003 buckets,
    # to_hash_bucket_strong with 2**63 - 1 buckets and key [123, 2**62 + 5]).
    with open(os.path.join(os.path.dirname(__file__), "tf_hash_reference.json")) as f:
        ref = json.load(f)
    strs = [bytes.fromhex(h) for h in ref["strs"]]
    assert [fingerprint64(s) % (2**63 - 1) for s in strs] == ref["fast"]
    assert [fingerprint64(s) % 1000003 for s in strs] == ref["fast2"]
    assert [siphash24((123, 2**62 + 5), s) % (2**63 - 1) for s in strs] == ref["strong"]


@pytest.mark.parametrize(
    "call",
    [
        lambda: tf.strings.lower(tf.constant([1])),
        lambda: tf.strings.split([1, 2]),
        lambda: tf.strings.length(tf.constant([1.5])),
    ],
)
def test_number_inputs_are_refused_naming_the_op(call):
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"strings\.\w+: input must be"):
        call()


def test_numeric_results_go_to_the_current_device(emu):
    with tf.device(emu):
        n = tf.strings.length(["ab", "c"])
        assert n._device.name == emu
        assert np.array_equal(n.numpy(), [2, 1])
        words = tf.strings.split(["a b", "c"])
        assert words.flat_values._device.name == "cpu"


def test_ragged_strings_to_dense():
    rt = tf.strings.split(["a b", "c"])
    assert _list(rt.to_tensor()) == [[b"a", b"b"], [b"c", b""]]
    assert _list(rt.to_tensor(default_value="<pad>")) == [[b"a", b"b"], [b"c", b"<pad>"]]
    assert _list(rt.to_tensor(shape=[2, 3])) == [[b"a", b"b", b""], [b"c", b"", b""]]


def test_reduce_join_of_ragged_rows():
    words = tf.strings.split(["a b c", "d"])
    assert _list(tf.strings.reduce_join(words, axis=-1, separator=" ")) == [b"a b c", b"d"]
    nested = tf.strings.split([["a b"], ["c d e"]])
    assert _list(tf.strings.reduce_join(nested, axis=-1, separator="_")) == [[b"a_b"], [b"c_d_e"]]
    with pytest.raises(tf.errors.InvalidArgumentError, match="last axis only"):
        tf.strings.reduce_join(words, axis=0)


def test_string_ops_and_tables_inside_tf_function_rerun_on_each_call():
    @tf.function
    def lengths(s):
        return tf.strings.length(tf.strings.lower(s)) + 1

    assert _list(lengths(tf.constant(["AB", "c"]))) == [3, 2]
    assert _list(lengths(tf.constant(["xyz", "c"]))) == [4, 2]  # replayed on the new strings
    table = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(["a", "b"], [1, 2]), -1)

    @tf.function
    def doubled(s):
        return table.lookup(s) * 2

    assert _list(doubled(tf.constant(["a", "q"]))) == [2, -2]
    assert _list(doubled(tf.constant(["b", "b"]))) == [4, 4]

    @tf.function
    def words(s):
        return tf.strings.split(s)

    # ragged results cannot be recorded yet: the function runs eagerly, with a warning
    with pytest.warns(RuntimeWarning, match="runs eagerly.*RaggedTensors inside"):
        assert words(tf.constant(["a b"])).to_list() == [[b"a", b"b"]]
    assert words(tf.constant(["c d e"])).to_list() == [[b"c", b"d", b"e"]]


def test_regex_replace_rewrite_uses_re2_syntax():
    # \0 is the whole match (TF's NMT tutorial pads punctuation with r" \0 ")
    out = tf.strings.regex_replace(tf.constant(["a.b?", "x"]), "[.?!,]", r" \0 ")
    assert out.numpy().tolist() == [b"a . b ? ", b"x"]
    # \\ is a backslash; $0 and other text are literal; an unmatched group is empty
    assert tf.strings.regex_replace("abc", "(b)", r"[\1\\x$0]").numpy() == b"a[b\\x$0]c"
    assert tf.strings.regex_replace("abc", "(x)?b", r"<\1>").numpy() == b"a<>c"
    assert tf.strings.regex_replace("abab", "b", "-", replace_global=False).numpy() == b"a-ab"


def test_regex_replace_bad_rewrite_names_it():
    with pytest.raises(
        tf.errors.InvalidArgumentError, match=r"refers to group \\2; the pattern has 1"
    ):
        tf.strings.regex_replace("abc", "(b)", r"\2")
    with pytest.raises(tf.errors.InvalidArgumentError, match="invalid rewrite pattern"):
        tf.strings.regex_replace("abc", "b", r"\q")


def test_regex_patterns_read_utf8_characters_and_ascii_classes():
    # RE2 (TensorFlow) matches characters, not bytes: ¿ is one character of the class
    text = tf.strings.lower(tf.constant("¿Todavía está en casa?"))
    kept = tf.strings.regex_replace(text, "[^ a-z.?!,¿]", "")
    spaced = tf.strings.regex_replace(kept, "[.?!,¿]", r" \0 ")
    assert spaced.numpy().decode() == " ¿ todava est en casa ? "
    # \w and \d are ASCII-only, as in RE2
    assert tf.strings.regex_replace("é1٣", r"\w|\d", "_").numpy().decode() == "é_٣"
    assert tf.strings.regex_full_match(tf.constant(["¿a", "?a"]), "¿.").numpy().tolist() == [
        True,
        False,
    ]
    # bytes that are not UTF-8 pass through unchanged
    assert tf.strings.regex_replace(tf.constant(b"\xffab"), "a", "x").numpy() == b"\xffxb"


def test_lists_of_string_tensors_pack_as_in_tensorflow():
    # tf.convert_to_tensor packs a list holding string tensors (TensorFlow's auto-packing)
    packed = tf.convert_to_tensor([tf.constant("a"), "b"])
    assert packed.dtype == tf.string and _list(packed) == [b"a", b"b"]
    grid = tf.constant([[tf.constant("a"), "b"], tf.constant(["c", "d"])])
    assert grid.shape == (2, 2) and _list(grid) == [[b"a", b"b"], [b"c", b"d"]]
    seven = tf.strings.as_string(7, width=3, fill="0")
    joined = tf.strings.reduce_join([seven, "x"], separator="|")
    assert joined.numpy() == b"007|x"
    with pytest.raises(TypeError, match="expected str or bytes elements"):
        tf.constant([tf.constant("a"), 1])


def test_reduce_join_of_empty_axes_gives_empty_strings():
    # the captioning tutorial joins the words of an empty generated caption
    empty = tf.constant([], tf.string)
    assert tf.strings.reduce_join(empty, axis=-1, separator=" ").numpy() == b""
    assert tf.strings.reduce_join(empty).numpy() == b""
    rows = tf.zeros([2, 0], tf.string)
    assert tf.strings.reduce_join(rows, axis=-1).numpy().tolist() == [b"", b""]
    assert tf.strings.reduce_join(rows, axis=0).shape == (0,)
    assert tf.strings.reduce_join(rows, axis=-1, keepdims=True).shape == (2, 1)
    assert tf.strings.reduce_join(tf.zeros([0, 3], tf.string), axis=0).numpy().tolist() == [b""] * 3


@pytest.mark.parametrize(
    "op",
    [
        lambda x: tf.strings.split(x),
        lambda x: tf.strings.bytes_split(x),
        lambda x: tf.strings.ngrams(x, 2),
    ],
)
def test_ops_that_convert_to_strings_raise_value_error_on_numbers(op):
    # TensorFlow's Python wrappers of these convert the input to tf.string first
    with pytest.raises(ValueError, match="Tensor conversion requested dtype string"):
        op(tf.constant([1, 2]))


def test_raw_string_ops_raise_invalid_argument_on_numbers():
    with pytest.raises(tf.errors.InvalidArgumentError, match="must be a string tensor"):
        tf.strings.upper(tf.constant([1]))
