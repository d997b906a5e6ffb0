# The "Load text" tutorial's tf.data part: TextLineDataset per file, labelling each with
# map, concatenating / interleaving them, skipping headers, filtering comment lines,
# sample_from_datasets / choose_from_datasets, and a TextVectorization over the lines.
import os

import numpy as np
import tensorflow as tf

names = ["cowper.txt", "derby.txt", "butler.txt"]
lines = {
    "cowper.txt": ["# header", "Achilles sing, O Goddess!", "the wrath of Peleus' son"],
    "derby.txt": [
        "# header",
        "Of Peleus' son, Achilles, sing, O Muse,",
        "the vengeance",
    ],
    "butler.txt": [
        "# header",
        "Sing, O goddess, the anger",
        "# a comment",
        "of Achilles",
    ],
}
for name in names:
    with open(name, "w", encoding="utf-8") as f:
        f.write("\n".join(lines[name]) + "\n")

ds = tf.data.TextLineDataset("cowper.txt")
assert ds.element_spec == tf.TensorSpec(shape=(), dtype=tf.string)
assert [x.numpy().decode() for x in ds] == lines["cowper.txt"]

both = tf.data.TextLineDataset(["cowper.txt", "derby.txt"]).skip(1)
assert len(list(both)) == 5  # one header skipped, not two


def labeler(example, index):
    return example, tf.cast(index, tf.int64)


labeled_data_sets = []
for i, file_name in enumerate(names):
    lines_dataset = tf.data.TextLineDataset(file_name).skip(1)
    labeled_data_sets.append(lines_dataset.map(lambda ex: labeler(ex, i)))

all_labeled_data = labeled_data_sets[0]
for labeled_dataset in labeled_data_sets[1:]:
    all_labeled_data = all_labeled_data.concatenate(labeled_dataset)
all_labeled_data = all_labeled_data.filter(
    lambda text, label: tf.logical_not(tf.strings.regex_full_match(text, "#.*"))
)
pairs = [(t.numpy().decode(), int(label)) for t, label in all_labeled_data]
assert pairs == [
    ("Achilles sing, O Goddess!", 0),
    ("the wrath of Peleus' son", 0),
    ("Of Peleus' son, Achilles, sing, O Muse,", 1),
    ("the vengeance", 1),
    ("Sing, O goddess, the anger", 2),
    ("of Achilles", 2),
]

files = tf.data.Dataset.from_tensor_slices(names)
interleaved = files.interleave(
    lambda f: tf.data.TextLineDataset(f).skip(1), cycle_length=3, block_length=1
)
first = [x.numpy().decode() for x in interleaved.take(3)]
assert first == [lines[n][1] for n in names]

shuffled = all_labeled_data.shuffle(100, seed=1, reshuffle_each_iteration=False)
assert sorted(p for p, _ in [(t.numpy().decode(), 0) for t, _ in shuffled]) == sorted(
    p for p, _ in pairs
)

a = tf.data.Dataset.from_tensors(tf.constant("a")).repeat()
b = tf.data.Dataset.from_tensors(tf.constant("b")).repeat()
mixed = tf.data.Dataset.sample_from_datasets([a, b], weights=[0.5, 0.5], seed=3)
sample = [x.numpy() for x in mixed.take(200)]
assert 60 < sample.count(b"a") < 140
choice = tf.data.Dataset.range(3).repeat(2)
chosen = tf.data.Dataset.choose_from_datasets([a, b, a], choice)
assert [x.numpy() for x in chosen] == [b"a", b"b", b"a"] * 2

vectorize = tf.keras.layers.TextVectorization(
    max_tokens=30, output_mode="int", output_sequence_length=6
)
vectorize.adapt(all_labeled_data.map(lambda text, label: text).batch(2))
vocab = vectorize.get_vocabulary()
assert "achilles" in vocab and "sing" in vocab and "peleus" in vocab
encoded = all_labeled_data.batch(3).map(lambda text, label: (vectorize(text), label))
x_batch, y_batch = next(iter(encoded))
assert x_batch.shape == (3, 6) and x_batch.dtype == tf.int64
assert y_batch.numpy().tolist() == [0, 0, 1]
assert vocab[int(x_batch[0, 0])] == "achilles"

tf.io.write_file("extra.txt", "one\ntwo\n")
assert os.path.getsize("extra.txt") == 8
assert [x.numpy() for x in tf.data.TextLineDataset("extra.txt")] == [b"one", b"two"]
assert int(tf.data.TextLineDataset("extra.txt").reduce(0, lambda n, _: n + 1)) == 2
sizes = tf.data.Dataset.list_files("*.txt", shuffle=False).map(tf.io.read_file)
sizes = sizes.map(tf.strings.length)
expected = [os.path.getsize(n) for n in sorted(names + ["extra.txt"])]
assert list(sizes.as_numpy_iterator()) == expected
assert isinstance(next(sizes.as_numpy_iterator()), np.int32)
