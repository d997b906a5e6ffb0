"""tf.lookup tables: StaticHashTable and StaticVocabularyTable over strings and integers."""

import os

import tensorflow as tf

keys = tf.constant(["apple", "banana", "cherry"])
values = tf.constant([0, 1, 2], dtype=tf.int64)
init = tf.lookup.KeyValueTensorInitializer(keys, values)
assert init.key_dtype == tf.string and init.value_dtype == tf.int64
table = tf.lookup.StaticHashTable(init, default_value=-1)
out = table.lookup(tf.constant(["banana", "kiwi", "apple"]))
assert out.dtype == tf.int64 and out.numpy().tolist() == [1, -1, 0]
assert table.size().numpy() == 3
assert table.default_value.numpy() == -1
assert table[tf.constant(["cherry"])].numpy().tolist() == [2]
ragged = table.lookup(tf.ragged.constant([["apple", "x"], ["cherry"]]))
assert ragged.to_list() == [[0, -1], [2]]
exported_keys, exported_values = table.export()
assert dict(zip(exported_keys.numpy().tolist(), exported_values.numpy().tolist())) == {
    b"apple": 0,
    b"banana": 1,
    b"cherry": 2,
}

# integer keys to string values
names = tf.lookup.StaticHashTable(
    tf.lookup.KeyValueTensorInitializer(tf.constant([1, 2], tf.int64), ["one", "two"]),
    default_value="?",
)
assert names.lookup(tf.constant([2, 7], tf.int64)).numpy().tolist() == [b"two", b"?"]

# out-of-vocabulary buckets
vocab_table = tf.lookup.StaticVocabularyTable(init, num_oov_buckets=4)
ids = vocab_table.lookup(tf.constant(["apple", "kiwi", "kiwi", "mango"])).numpy()
assert ids[0] == 0 and ids[1] == ids[2] and all(3 <= i < 7 for i in ids[1:])
assert vocab_table.size().numpy() == 7

# a vocabulary file, one token a line
with open("vocab.txt", "w") as f:
    f.write("red\ngreen\nblue\n")
file_init = tf.lookup.TextFileInitializer(
    os.path.abspath("vocab.txt"),
    key_dtype=tf.string,
    key_index=tf.lookup.TextFileIndex.WHOLE_LINE,
    value_dtype=tf.int64,
    value_index=tf.lookup.TextFileIndex.LINE_NUMBER,
)
colors = tf.lookup.StaticHashTable(file_init, default_value=-1)
assert colors.lookup(tf.constant(["blue", "red", "pink"])).numpy().tolist() == [2, 0, -1]

# used inside a tf.data pipeline
ds = tf.data.Dataset.from_tensor_slices(["cherry", "apple", "durian"]).map(table.lookup)
assert [int(x) for x in ds] == [2, 0, -1]

# wrong key dtype is a TypeError
try:
    table.lookup(tf.constant([1, 2]))
    raise AssertionError("looking up int keys in a string table must fail")
except TypeError:
    pass
print("ok")
