"""Unicode strings guide: character offsets, transcoding, and joining segments."""

import tensorflow as tf

phrase = "\u8bed\u8a00\u5904\u7406\u662f\u4e00\u95e8 \U0001f603"
codepoints, offsets = tf.strings.unicode_decode_with_offsets(phrase, "UTF-8")
assert codepoints.numpy().tolist() == [ord(c) for c in phrase]
expected, position = [], 0
for char in phrase:
    expected.append(position)
    position += len(char.encode("utf-8"))
assert offsets.numpy().tolist() == expected

batch = tf.constant(["h\u00e9llo", "\U0001f600!"])
chars, char_offsets = tf.strings.unicode_split_with_offsets(batch, "UTF-8")
assert chars.to_list() == [
    [b"h", "\u00e9".encode(), b"l", b"l", b"o"],
    ["\U0001f600".encode(), b"!"],
]
assert char_offsets.to_list() == [[0, 1, 3, 4, 5], [0, 4]]

utf16 = tf.strings.unicode_transcode(batch, "UTF-8", "UTF-16-BE")
assert utf16.numpy().tolist() == [s.encode("utf-16-be") for s in ["h\u00e9llo", "\U0001f600!"]]
back = tf.strings.unicode_transcode(utf16, "UTF-16-BE", "UTF-8")
assert back.numpy().tolist() == [s.encode() for s in ["h\u00e9llo", "\U0001f600!"]]

words = tf.constant(["the", "cat", "sat", "on", "mats"])
sentences = tf.strings.unsorted_segment_join(words, [0, 0, 0, 1, 1], num_segments=2, separator=" ")
assert sentences.numpy().tolist() == [b"the cat sat", b"on mats"]
print("ok")
