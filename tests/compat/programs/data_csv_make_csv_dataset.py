"""The "Load CSV data" guide: make_csv_dataset, CsvDataset and decode_csv on a small file."""

import collections

import numpy as np
import tensorflow as tf

rows = [
    ("survived", "sex", "age", "n_siblings_spouses", "fare", "class"),
    (0, "male", 22.0, 1, 7.25, "Third"),
    (1, "female", 38.0, 1, 71.2833, "First"),
    (1, "female", 26.0, 0, 7.925, "Third"),
    (1, "female", 35.0, 1, 53.1, "First"),
    (0, "male", "", 0, 8.05, "Third"),
    (0, "male", 2.0, 3, 21.075, "Third"),
    (1, "female", 27.0, 0, 11.1333, "Third"),
]
with open("titanic.csv", "w") as f:
    for row in rows:
        f.write(",".join(str(v) for v in row) + "\n")

ds = tf.data.experimental.make_csv_dataset(
    "titanic.csv", batch_size=3, label_name="survived", num_epochs=1, shuffle=False
)
features, labels = next(iter(ds))
assert isinstance(features, collections.OrderedDict)
assert list(features) == ["sex", "age", "n_siblings_spouses", "fare", "class"]
assert labels.dtype == tf.int32 and labels.numpy().tolist() == [0, 1, 1]
assert features["age"].dtype == tf.float32
assert features["sex"].numpy().tolist() == [b"male", b"female", b"female"]
assert features["n_siblings_spouses"].dtype == tf.int32
batches = list(ds.as_numpy_iterator())
assert [len(b[1]) for b in batches] == [3, 3, 1]
assert batches[1][0]["age"].tolist() == [35.0, 0.0, 2.0]  # the empty field: its default

# Chosen columns and defaults; num_epochs=None repeats and keeps batches full.
ds = tf.data.experimental.make_csv_dataset(
    "titanic.csv",
    batch_size=4,
    select_columns=["class", "fare", "survived"],
    column_defaults=[tf.int64, tf.float64, ""],
    label_name="survived",
    shuffle=False,
)
assert ds.element_spec[1].shape.as_list() == [4]
seen = [labels.numpy().tolist() for _, labels in ds.take(3)]
assert seen == [[0, 1, 1, 1], [0, 0, 1, 0], [1, 1, 1, 0]]
features, _ = next(iter(ds))
assert features["fare"].dtype == tf.float64
np.testing.assert_allclose(features["fare"].numpy(), [7.25, 71.2833, 7.925, 53.1])

# Shuffled: the same rows, in some order.
ds = tf.data.experimental.make_csv_dataset(
    "titanic.csv", batch_size=10, label_name="survived", num_epochs=1, shuffle_seed=1
)
features, labels = next(iter(ds))
assert sorted(features["fare"].numpy().tolist()) == sorted(
    np.float32([7.25, 71.2833, 7.925, 53.1, 8.05, 21.075, 11.1333]).tolist()
)

# The lower-level CsvDataset.
csv = tf.data.experimental.CsvDataset(
    "titanic.csv", [tf.int32, tf.string, [0.0]], header=True, select_cols=[0, 1, 2]
)
first = next(iter(csv))
assert [v.numpy() for v in first] == [0, b"male", 22.0]
assert len(list(csv)) == 7

# decode_csv on lines in memory.
lines = tf.constant(['1,"a,b",2.5', "2,,"])
ints, text, floats = tf.io.decode_csv(lines, record_defaults=[[0], ["?"], [-1.0]])
assert ints.numpy().tolist() == [1, 2]
assert text.numpy().tolist() == [b"a,b", b"?"]
assert floats.numpy().tolist() == [2.5, -1.0]
try:
    tf.io.decode_csv(["x,1"], record_defaults=[[0], [0]])
except tf.errors.InvalidArgumentError:
    pass
else:
    raise AssertionError("a field that is not an int32 must raise")
print("ok")
