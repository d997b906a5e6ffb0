"""String tensors and the tf.strings ops, as in the tf.strings / "Unicode strings" guides."""

import numpy as np
import tensorflow as tf

# String tensors hold bytes; str is encoded as UTF-8
s = tf.constant(["Hello World", "TensorFlow strings"])
assert s.dtype == tf.string and s.shape == (2,)
assert s.numpy().tolist() == [b"Hello World", b"TensorFlow strings"]
scalar = tf.constant("héllo")
assert scalar.numpy() == "héllo".encode("utf-8")
assert tf.rank(tf.constant([["a", "b"], ["c", "d"]])).numpy() == 2

# shape ops and comparisons work on strings
grid = tf.reshape(tf.constant(["a", "b", "c", "d"]), [2, 2])
assert grid.numpy()[1, 0] == b"c"
assert tf.concat([s, ["x"]], axis=0).shape == (3,)
assert tf.stack([s, s]).shape == (2, 2)
assert tf.gather(s, [1]).numpy().tolist() == [b"TensorFlow strings"]
assert tf.boolean_mask(s, [False, True]).numpy().tolist() == [b"TensorFlow strings"]
assert tf.expand_dims(s, -1).shape == (2, 1)
assert tf.equal(s, "Hello World").numpy().tolist() == [True, False]
assert (s + "!").numpy().tolist() == [b"Hello World!", b"TensorFlow strings!"]

# tf.strings
assert tf.strings.lower(s).numpy().tolist() == [b"hello world", b"tensorflow strings"]
assert tf.strings.upper("abc").numpy() == b"ABC"
assert tf.strings.length(s).numpy().tolist() == [11, 18]
assert tf.strings.length(scalar).numpy() == 6
assert tf.strings.length(scalar, unit="UTF8_CHAR").numpy() == 5
words = tf.strings.split(s)
assert isinstance(words, tf.RaggedTensor)
assert words.to_list() == [[b"Hello", b"World"], [b"TensorFlow", b"strings"]]
assert words.row_lengths().numpy().tolist() == [2, 2]
assert tf.strings.split("a,b,,c", sep=",").numpy().tolist() == [b"a", b"b", b"", b"c"]
assert tf.strings.join(["a", "b", "c"], separator="-").numpy() == b"a-b-c"
assert tf.strings.reduce_join(words, axis=-1, separator=" ").numpy().tolist() == [
    b"Hello World",
    b"TensorFlow strings",
]
assert tf.strings.reduce_join([["a", "b"], ["c", "d"]], axis=0).numpy().tolist() == [b"ac", b"bd"]
cleaned = tf.strings.regex_replace("Hello, World!!", r"[^\w\s]", "")
assert cleaned.numpy() == b"Hello World"
matched = tf.strings.regex_full_match(["abc123", "abc"], r"[a-z]+\d+")
assert matched.numpy().tolist() == [True, False]
assert tf.strings.strip("  padded\n").numpy() == b"padded"
assert tf.strings.substr("TensorFlow", 0, 6).numpy() == b"Tensor"
numbers = tf.strings.to_number(["1.5", "-2", "3e2"])
assert numbers.dtype == tf.float32
np.testing.assert_allclose(numbers.numpy(), [1.5, -2.0, 300.0])
assert tf.strings.to_number(["7", "42"], out_type=tf.int64).numpy().tolist() == [7, 42]
assert tf.strings.as_string([3.14159], precision=2).numpy().tolist() == [b"3.14"]
assert tf.strings.as_string([7], width=3, fill="0").numpy().tolist() == [b"007"]

# Unicode
codes = tf.strings.unicode_decode("語言處理", input_encoding="UTF-8")
assert codes.numpy().tolist() == [35486, 35328, 34389, 29702]
assert tf.strings.unicode_encode(codes, output_encoding="UTF-8").numpy().decode() == "語言處理"
chars = tf.strings.unicode_split(["héllo"], input_encoding="UTF-8")
assert chars.to_list()[0][1].decode() == "é"
batch = tf.strings.unicode_decode(["hi", "hé!"], "UTF-8")
assert batch.to_list() == [[104, 105], [104, 233, 33]]
assert tf.strings.bytes_split("abc").numpy().tolist() == [b"a", b"b", b"c"]

# n-grams and hash buckets (FarmHash64 fingerprints)
tokens = tf.strings.split(["the quick brown fox"])
assert tf.strings.ngrams(tokens, 2).to_list() == [[b"the quick", b"quick brown", b"brown fox"]]
buckets = tf.strings.to_hash_bucket_fast(["cat", "dog", "cat"], 100)
assert buckets.dtype == tf.int64
assert buckets.numpy()[0] == buckets.numpy()[2] and 0 <= buckets.numpy()[1] < 100
same = tf.strings.to_hash_bucket_fast(["cat", "dog"], 2**62).numpy()
assert same.tolist() == tf.strings.to_hash_bucket_fast(["cat", "dog"], 2**62).numpy().tolist()
strong = tf.strings.to_hash_bucket_strong(["cat"], 10, key=[1, 2])
assert 0 <= strong.numpy()[0] < 10

# ragged strings back to dense, padded with ""
dense = words.to_tensor(default_value="")
assert dense.shape == (2, 2) and dense.dtype == tf.string

# arithmetic is not defined on strings
try:
    tf.constant(["a"]) - tf.constant(["b"])
    raise AssertionError("subtracting strings must fail")
except (tf.errors.InvalidArgumentError, TypeError):
    pass
print("ok")
