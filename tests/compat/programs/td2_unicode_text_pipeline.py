# Unicode text in tf.data pipelines (the "Unicode strings" guide with tf.data): decode to
# code points, character lengths, splitting into characters or bytes, script detection,
# ngrams, and re-encoding, batched as RaggedTensors.
import tensorflow as tf

texts = tf.data.Dataset.from_tensor_slices(["héllo wörld", "язык", "abc 123"])

chars = texts.map(lambda s: tf.strings.unicode_split(s, "UTF-8"))
assert [c.shape.as_list() for c in chars] == [[11], [4], [7]]
assert next(iter(chars))[1].numpy().decode() == "é"

codes = texts.map(lambda s: tf.strings.unicode_decode(s, "UTF-8"))
assert codes.element_spec == tf.TensorSpec([None], tf.int32)
batch = next(iter(codes.ragged_batch(3)))
assert isinstance(batch, tf.RaggedTensor)
assert batch.row_lengths().numpy().tolist() == [11, 4, 7]
assert batch[1].numpy().tolist() == [1103, 1079, 1099, 1082]

# Round trip through code points, and a transcoding to UTF-16-BE.
encoded = tf.strings.unicode_encode(batch, "UTF-8")
assert encoded.numpy().tolist() == [s.encode() for s in ["héllo wörld", "язык", "abc 123"]]
utf16 = tf.strings.unicode_transcode("язык", "UTF-8", "UTF-16-BE")
assert utf16.numpy() == "язык".encode("utf-16-be")

# Character and byte lengths differ for non-ASCII text.
lengths = texts.map(lambda s: (tf.strings.length(s), tf.strings.length(s, unit="UTF8_CHAR")))
assert [(int(b), int(c)) for b, c in lengths] == [(13, 11), (8, 4), (7, 7)]
assert tf.strings.bytes_split("hé").numpy().tolist() == [b"h", b"\xc3", b"\xa9"]

# Scripts of the code points: Latin, Cyrillic, and Common for digits/spaces.
scripts = tf.strings.unicode_script(tf.constant([ord("a"), ord("я"), ord("1")]))
assert scripts.numpy().tolist() == [25, 8, 0]

# Invalid UTF-8 replaced (U+FFFD) or ignored.
broken = tf.constant([b"a\xffb"])
assert tf.strings.unicode_decode(broken, "UTF-8", errors="replace").to_list() == [[97, 65533, 98]]
assert tf.strings.unicode_decode(broken, "UTF-8", errors="ignore").to_list() == [[97, 98]]

# Character bigrams per text, joined back with reduce_join.
bigrams = chars.map(lambda c: tf.strings.ngrams(c, 2, separator=""))
first = [b.decode() for b in next(iter(bigrams)).numpy().tolist()]
assert first[:4] == ["hé", "él", "ll", "lo"], first
joined = chars.map(lambda c: tf.strings.reduce_join(c, separator="·"))
assert list(joined.as_numpy_iterator())[1].decode() == "я·з·ы·к"
print("char lengths:", batch.row_lengths().numpy().tolist())
