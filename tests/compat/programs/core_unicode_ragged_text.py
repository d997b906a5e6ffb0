"""TensorFlow guides "Unicode strings" and "Ragged tensors", the text parts: transcoding,
character offsets, splitting sentences into words by script change, ragged text printed
as TensorFlow prints it, and sparse string tensors made dense."""

import numpy as np
import tensorflow as tf

text_utf8 = tf.constant("语言处理")
text_utf16be = tf.strings.unicode_transcode(
    text_utf8, input_encoding="UTF8", output_encoding="UTF-16-BE"
)
assert text_utf16be.numpy() == "语言处理".encode("UTF-16-BE")
assert tf.strings.unicode_transcode(text_utf16be, "UTF-16-BE", "UTF-8").numpy() == text_utf8.numpy()
batch = tf.strings.unicode_transcode(["Hello", "你好"], "UTF-8", "UTF-16-BE")
assert batch.numpy().tolist() == [b"\x00H\x00e\x00l\x00l\x00o", b"O`Y}"]

codepoint, offsets = tf.strings.unicode_decode_with_offsets("🎈🎉🎊", "UTF-8")
assert codepoint.numpy().tolist() == [127880, 127881, 127882]
assert offsets.numpy().tolist() == [0, 4, 8]
chars, starts = tf.strings.unicode_split_with_offsets(["añb", "dé"], "UTF-8")
assert chars.to_list() == [[b"a", "ñ".encode(), b"b"], [b"d", "é".encode()]]
assert starts.to_list() == [[0, 1, 3], [0, 1]]
bad = tf.constant([b"\xff abc"])
assert tf.strings.unicode_decode(bad, "UTF-8", errors="replace").to_list() == [
    [65533, 32, 97, 98, 99]
]
assert tf.strings.unicode_decode(bad, "UTF-8", errors="ignore").to_list() == [[32, 97, 98, 99]]
assert (
    tf.strings.unicode_transcode(
        b"a\x01b", "UTF-8", "UTF-8", replacement_char=63, replace_control_characters=True
    ).numpy()
    == b"a?b"
)

# Words by script: a word starts where the (here: Latin vs Han) script changes
sentence_texts = ["Hello, world.", "世界こんにちは"]
sentence_char_codepoint = tf.strings.unicode_decode(sentence_texts, "UTF-8")
sentence_char_script = tf.ragged.map_flat_values(
    lambda cp: tf.where(cp > 0x2E80, 17, 25), sentence_char_codepoint
)
sentence_char_starts_word = tf.concat(
    [
        tf.fill([sentence_char_script.nrows(), 1], True),
        tf.not_equal(sentence_char_script[:, 1:], sentence_char_script[:, :-1]),
    ],
    axis=1,
)
word_starts = tf.squeeze(tf.where(sentence_char_starts_word.values), axis=1)
assert word_starts.numpy().tolist() == [0, 13]
word_char_codepoint = tf.RaggedTensor.from_row_starts(
    values=sentence_char_codepoint.values, row_starts=word_starts
)
words = tf.strings.unicode_encode(word_char_codepoint, "UTF-8")
assert words.numpy().tolist() == [b"Hello, world.", "世界こんにちは".encode()]

# Ragged text prints as TensorFlow prints it (NumPy's wrapping, commas)
digits = tf.ragged.constant([[3, 1, 4, 1], [], [5, 9, 2], [6], []])
assert str(digits) == "<tf.RaggedTensor [[3, 1, 4, 1], [], [5, 9, 2], [6], []]>"
pairs = tf.RaggedTensor.from_uniform_row_length(tf.constant([1, 2, 3, 4, 5, 6]), 2)
assert str(pairs) == "<tf.RaggedTensor [[1, 2],\n [3, 4],\n [5, 6]]>"
assert pairs.numpy().shape == (3, 2)
sentences = tf.ragged.constant(
    [
        ["Let's", "build", "some", "ragged", "tensors", "!"],
        ["We", "can", "use", "tf.ragged.constant", "."],
    ]
)
assert str(sentences) == (
    "<tf.RaggedTensor [[b\"Let's\", b'build', b'some', b'ragged', b'tensors', b'!'],\n"
    " [b'We', b'can', b'use', b'tf.ragged.constant', b'.']]>"
)
nested = tf.ragged.constant([[[1, 2, 3], [4]], [[], [5, 6, 7]], [[8], []]]).numpy()
assert nested.dtype == object and nested.shape == (3, 2)

# Sparse strings: ragged -> sparse -> concat -> dense
ragged_x = tf.ragged.constant([["John"], ["a", "big", "dog"], ["my", "cat"]])
ragged_y = tf.ragged.constant([["fell", "asleep"], ["barked"], ["is", "fuzzy"]])
sparse_result = tf.sparse.concat(sp_inputs=[ragged_x.to_sparse(), ragged_y.to_sparse()], axis=1)
dense = tf.sparse.to_dense(sparse_result, "")
assert dense.numpy().tolist() == [
    [b"John", b"", b"", b"fell", b"asleep"],
    [b"a", b"big", b"dog", b"barked", b""],
    [b"my", b"cat", b"", b"is", b"fuzzy"],
]
st = tf.SparseTensor(indices=[[0, 0], [2, 0], [2, 1]], values=["a", "b", "c"], dense_shape=[3, 3])
assert tf.sparse.to_dense(st).numpy()[1].tolist() == [b"", b"", b""]
assert tf.RaggedTensor.from_sparse(st).to_list() == [[b"a"], [], [b"b", b"c"]]
assert np.array_equal(tf.sparse.to_dense(st, default_value="?").numpy()[0], [b"a", b"?", b"?"])
print("unicode and ragged text: ok")
