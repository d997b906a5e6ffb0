"""Unicode strings guide, scripts part: tf.strings.unicode_script on code points, and the
guide's simple segmentation that splits sentences where the script changes."""

import tensorflow as tf

# ICU script codes: each code point has one (Common and Inherited for shared characters).
uscript = tf.strings.unicode_script([33464, 1041])  # ['芸', 'Б']
assert uscript.dtype == tf.int32
assert uscript.numpy().tolist() == [17, 8]  # USCRIPT_HAN, USCRIPT_CYRILLIC

chars = tf.strings.unicode_decode(["Hello", "Привет", "こんにちは", "مرحبا", "123 !"], "UTF-8")
scripts = tf.strings.unicode_script(chars)
assert isinstance(scripts, tf.RaggedTensor)
assert scripts.row_lengths().numpy().tolist() == [5, 6, 5, 5, 5]
per_word = [set(row) for row in scripts.to_list()]
assert per_word[:4] == [{25}, {8}, {20}, {2}]  # Latin, Cyrillic, Hiragana, Arabic
assert per_word[4] == {0}  # digits, space and punctuation are Common
combining = tf.strings.unicode_script(tf.strings.unicode_decode("e\u0301", "UTF-8"))
assert combining.numpy().tolist() == [25, 1]  # a combining accent is Inherited
assert tf.strings.unicode_script([0x10FFFF + 1, -1]).numpy().tolist() == [-1, -1]

# Segment sentences at script changes (from the guide): a word starts at the first
# character, or where the script differs from the previous character's.
sentence_texts = ["Hello, world.", "世界こんにちは"]
sentence_char_codepoint = tf.strings.unicode_decode(sentence_texts, "UTF-8")
sentence_char_script = tf.strings.unicode_script(sentence_char_codepoint)
sentence_char_starts_word = tf.concat(
    [
        tf.fill([sentence_char_script.nrows(), 1], True),
        tf.not_equal(sentence_char_script[:, 1:], sentence_char_script[:, :-1]),
    ],
    axis=1,
)
word_starts = tf.squeeze(tf.where(sentence_char_starts_word.values), axis=1)
word_char_codepoint = tf.RaggedTensor.from_row_starts(
    values=sentence_char_codepoint.values, row_starts=word_starts
)
sentence_num_words = tf.reduce_sum(tf.cast(sentence_char_starts_word, tf.int64), axis=1)
sentence_word_char_codepoint = tf.RaggedTensor.from_row_lengths(
    values=word_char_codepoint, row_lengths=sentence_num_words
)
words = tf.strings.unicode_encode(sentence_word_char_codepoint, "UTF-8").to_list()
assert words == [
    [b"Hello", b", ", b"world", b"."],
    ["世界".encode(), "こんにちは".encode()],
], words
assert sentence_num_words.numpy().tolist() == [4, 2]


# Inside tf.function too.
@tf.function
def scripts_of(text):
    return tf.strings.unicode_script(tf.strings.unicode_decode(text, "UTF-8"))


assert scripts_of(tf.constant("aя")).numpy().tolist() == [25, 8]

print("text_unicode_scripts OK")
