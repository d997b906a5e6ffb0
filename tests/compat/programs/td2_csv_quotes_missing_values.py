# CSV input (the "Load CSV data" tutorial's low-level and high-level readers): quoted
# fields with commas and doubled quotes, na_value and record defaults, select_cols and
# exclude_cols, make_csv_dataset with column_names / label_name / GZIP / ignore_errors,
# and text files read several at a time with num_parallel_reads.
import gzip

import numpy as np
import tensorflow as tf

with open("people.csv", "w") as f:
    f.write("name,age,score,city\n")
    f.write('"Smith, J",30,1.5,NYC\n')
    f.write('Lee,NA,,"San ""Fran"""\n')
    f.write("Kim,41,3.25,\n")

rows = tf.data.experimental.CsvDataset(
    "people.csv",
    record_defaults=[tf.string, tf.constant(-1, tf.int32), tf.constant(0.0), tf.constant("?")],
    header=True,
    na_value="NA",
)
got = [(n.numpy(), int(a), float(s), c.numpy()) for n, a, s, c in rows]
assert got == [
    (b"Smith, J", 30, 1.5, b"NYC"),
    (b"Lee", -1, 0.0, b'San "Fran"'),
    (b"Kim", 41, 3.25, b"?"),
], got

picked = tf.data.experimental.CsvDataset(
    "people.csv", [tf.string, tf.constant(0.0)], header=True, select_cols=[0, 2]
)
assert [(n.numpy(), float(s)) for n, s in picked][2] == (b"Kim", 3.25)
dropped = tf.data.experimental.CsvDataset(
    "people.csv",
    [tf.string, tf.constant(0, tf.int64)],
    header=True,
    exclude_cols=[2, 3],
    na_value="NA",
)
assert [int(a) for _, a in dropped] == [30, 0, 41]
try:
    tf.data.experimental.CsvDataset("people.csv", [tf.string, tf.string], select_cols=[2, 0])
    raise AssertionError("expected InvalidArgumentError")
except tf.errors.InvalidArgumentError:
    pass
# A required column (a dtype, no default) that is empty fails while iterating.
required = tf.data.experimental.CsvDataset(
    "people.csv", [tf.string, tf.int32, tf.float32, tf.string], header=True, na_value="NA"
)
try:
    list(required)
    raise AssertionError("expected InvalidArgumentError")
except tf.errors.InvalidArgumentError:
    pass

# make_csv_dataset: dict features, a label column, NA handled by column_defaults.
people = tf.data.experimental.make_csv_dataset(
    "people.csv",
    batch_size=3,
    label_name="age",
    column_defaults=["", -1, 0.0, "none"],
    na_value="NA",
    num_epochs=1,
    shuffle=False,
)
features, ages = next(iter(people))
assert sorted(features) == ["city", "name", "score"]
assert ages.numpy().tolist() == [30, -1, 41]
assert features["city"].numpy().tolist() == [b"NYC", b'San "Fran"', b"none"]
np.testing.assert_allclose(features["score"].numpy(), [1.5, 0.0, 3.25])

# No header: column_names name the columns; a gzipped file; rows that fail are skipped.
with gzip.open("points.csv.gz", "wt") as f:
    f.write("1,2.5\n3,4.5\nbad,row,extra\n5,6.5\n")
points = tf.data.experimental.make_csv_dataset(
    "points.csv.gz",
    batch_size=5,
    column_names=["x", "y"],
    column_defaults=[0, 0.0],
    header=False,
    compression_type="GZIP",
    ignore_errors=True,
    num_epochs=1,
    shuffle=False,
)
batch = next(iter(points))
assert batch["x"].numpy().tolist() == [1, 3, 5] and batch["y"].dtype == tf.float32

# Several text files read at once: one line of each in turn.
for k, text in enumerate(["a1\na2\na3\n", "b1\n", "c1\nc2\n"]):
    with open(f"part{k}.txt", "w") as f:
        f.write(text)
parts = ["part0.txt", "part1.txt", "part2.txt"]
interleaved = tf.data.TextLineDataset(parts, num_parallel_reads=2)
assert list(interleaved.as_numpy_iterator()) == [b"a1", b"b1", b"a2", b"a3", b"c1", b"c2"]
assert sorted(interleaved.as_numpy_iterator()) == sorted(
    tf.data.TextLineDataset(parts).as_numpy_iterator()
)
print("people:", len(got), "points:", batch["x"].numpy().tolist())
