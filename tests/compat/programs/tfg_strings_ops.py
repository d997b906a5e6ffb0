"""tf.strings guide topics: split, join, regex, substr, format, to_number, ngrams, reduce_join."""

import numpy as np
import tensorflow as tf

lines = tf.constant(["hello big world", "a,b,,c", ""])
words = tf.strings.split(lines)
assert isinstance(words, tf.RaggedTensor)
assert words.to_list() == [[b"hello", b"big", b"world"], [b"a,b,,c"], []]
commas = tf.strings.split(lines[1], sep=",")
assert commas.numpy().tolist() == [b"a", b"b", b"", b"c"]
limited = tf.strings.split(tf.constant(["a b c d"]), maxsplit=1)
assert limited.to_list() == [[b"a", b"b c d"]]
assert tf.strings.split(tf.constant("x  y")).numpy().tolist() == [b"x", b"y"]

# join is elementwise with broadcasting; reduce_join folds an axis.
joined = tf.strings.join([tf.constant(["a", "b"]), "-", tf.constant(["x", "y"])])
assert joined.numpy().tolist() == [b"a-x", b"b-y"]
grid = tf.constant([["a", "b", "c"], ["d", "e", "f"]])
assert tf.strings.reduce_join(grid).numpy() == b"abcdef"
assert tf.strings.reduce_join(grid, axis=1, separator=" ").numpy().tolist() == [b"a b c", b"d e f"]
rj0 = tf.strings.reduce_join(grid, axis=0, keepdims=True)
assert rj0.shape == (1, 3) and rj0.numpy().tolist() == [[b"ad", b"be", b"cf"]]
assert tf.strings.reduce_join(words, axis=1, separator="_").numpy().tolist() == [
    b"hello_big_world",
    b"a,b,,c",
    b"",
]

# Regex: global vs first-only replacement, full match.
s = tf.constant(["aa1bb22", "no digits"])
assert tf.strings.regex_replace(s, r"\d+", "#").numpy().tolist() == [b"aa#bb#", b"no digits"]
first = tf.strings.regex_replace(s, r"\d", "N", replace_global=False)
assert first.numpy().tolist() == [b"aaNbb22", b"no digits"]
assert tf.strings.regex_replace("abc", r"(a)(b)", r"\2\1").numpy() == b"bac"
assert tf.strings.regex_full_match(s, r"[a-z]+\d+[a-z]+\d+").numpy().tolist() == [True, False]

# substr: byte and UTF-8 units, negative positions, broadcasting pos/len.
assert tf.strings.substr("hello", 1, 3).numpy() == b"ell"
assert tf.strings.substr("hello", -3, 2).numpy() == b"ll"
assert tf.strings.substr("hi", 0, 10).numpy() == b"hi"
word = "h\u00e9llo"
assert tf.strings.substr(word, 1, 2, unit="UTF8_CHAR").numpy().decode() == "\u00e9l"
assert tf.strings.length(word).numpy() == 6
assert tf.strings.length(word, unit="UTF8_CHAR").numpy() == 5
multi = tf.strings.substr(tf.constant(["abcd", "wxyz"]), [0, 2], [2, 1])
assert multi.numpy().tolist() == [b"ab", b"y"]
try:
    tf.strings.substr("abc", 5, 1)
except tf.errors.InvalidArgumentError:
    pass
else:
    raise AssertionError("position past the end should raise")

# to_number: float32 by default, out_type, errors on bad input.
nums = tf.strings.to_number(tf.constant(["1.5", "-2", "3e2"]))
assert nums.dtype == tf.float32
np.testing.assert_allclose(nums, [1.5, -2.0, 300.0])
ints = tf.strings.to_number(tf.constant(["7", "-12"]), out_type=tf.int64)
assert ints.dtype == tf.int64 and ints.numpy().tolist() == [7, -12]
try:
    tf.strings.to_number(tf.constant(["12abc"]), out_type=tf.int32)
except tf.errors.InvalidArgumentError:
    pass
else:
    raise AssertionError("bad number should raise")
as_str = tf.strings.as_string(tf.constant([3.14159, 2.0]), precision=2)
assert as_str.numpy().tolist() == [b"3.14", b"2.00"]
assert tf.strings.as_string(tf.constant([5]), width=3, fill="0").numpy().tolist() == [b"005"]

# format renders tensors as in print().
msg = tf.strings.format("x={} y={}", (tf.constant([1, 2, 3]), tf.constant(2.5)))
assert msg.numpy() == b"x=[1 2 3] y=2.5"
long = tf.strings.format("{}", tf.range(10), summarize=2)
assert long.numpy() == b"[0 1 ... 8 9]"

# ngrams over a ragged batch of tokens.
toks = tf.ragged.constant([["a", "b", "c"], ["d"]])
bigrams = tf.strings.ngrams(toks, 2)
assert bigrams.to_list() == [[b"a b", b"b c"], []]
padded = tf.strings.ngrams(toks, 2, separator="|", pad_values=("<s>", "</s>"))
assert padded.to_list() == [[b"<s>|a", b"a|b", b"b|c", b"c|</s>"], [b"<s>|d", b"d|</s>"]]
short = tf.strings.ngrams(toks, 3, preserve_short_sequences=True)
assert short.to_list() == [[b"a b c"], [b"d"]]
uni_bi = tf.strings.ngrams(tf.constant(["x", "y", "z"]), (1, 2))
assert uni_bi.numpy().tolist() == [b"x", b"y", b"z", b"x y", b"y z"]

# Misc: strip, case, hashing is stable and in range.
assert tf.strings.strip(tf.constant(["  pad  "])).numpy().tolist() == [b"pad"]
assert tf.strings.upper("MiXed").numpy() == b"MIXED"
assert tf.strings.lower("MiXed").numpy() == b"mixed"
h = tf.strings.to_hash_bucket_fast(tf.constant(["cat", "dog", "cat"]), 10)
assert h.dtype == tf.int64 and h[0] == h[2] and bool(tf.reduce_all((h >= 0) & (h < 10)))
assert tf.strings.bytes_split("abc").numpy().tolist() == [b"a", b"b", b"c"]
print("ok")
