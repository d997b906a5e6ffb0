"""The "Load CSV data" guide beyond the basics: a GZIP-compressed CSV read by make_csv_dataset
and CsvDataset, many files by pattern (list_files + interleave), TextLineDataset.skip(1) with
decode_csv, packing columns with tf.stack, and cache/snapshot of a parsed dataset."""

import gzip
import os
import re

import numpy as np
import tensorflow as tf

rng = np.random.default_rng(0)

# A "traffic volume"-like file, gzip-compressed.
header = "temp,rain_1h,weather_main,traffic_volume"
rows = [
    f"{280 + i * 0.5:.1f},{(i % 3) * 0.25:.2f},{['Clouds', 'Clear', 'Rain'][i % 3]},{1000 + 10 * i}"
    for i in range(25)
]
with gzip.open("traffic.csv.gz", "wt") as f:
    f.write("\n".join([header] + rows) + "\n")

traffic = tf.data.experimental.make_csv_dataset(
    "traffic.csv.gz",
    batch_size=8,
    label_name="traffic_volume",
    num_epochs=1,
    compression_type="GZIP",
    shuffle=False,
)
batches = list(traffic)
assert [int(b[1].shape[0]) for b in batches] == [8, 8, 8, 1]
features, labels = batches[0]
assert sorted(features) == ["rain_1h", "temp", "weather_main"]
assert labels.dtype == tf.int32 and labels.numpy().tolist() == [1000 + 10 * i for i in range(8)]
np.testing.assert_allclose(features["temp"].numpy(), 280 + 0.5 * np.arange(8), rtol=1e-6)
assert features["weather_main"].numpy().tolist()[:3] == [b"Clouds", b"Clear", b"Rain"]

# The same file through CsvDataset, all fields as strings first.
all_strings = [str()] * 4
raw = tf.data.experimental.CsvDataset(
    "traffic.csv.gz", record_defaults=all_strings, header=True, compression_type="GZIP"
)
first = next(iter(raw))
assert [t.numpy() for t in first] == [b"280.0", b"0.00", b"Clouds", b"1000"]
assert len(list(raw)) == 25
typed = tf.data.experimental.CsvDataset(
    "traffic.csv.gz",
    record_defaults=[tf.float32, tf.float32, tf.int32],
    select_cols=[0, 1, 3],
    header=True,
    compression_type="GZIP",
)
assert [s.dtype for s in typed.element_spec] == [tf.float32, tf.float32, tf.int32]
volumes = [int(v) for _, _, v in typed]
assert volumes == [1000 + 10 * i for i in range(25)]

# TextLineDataset, skipping the header, then decode_csv on batches of lines.
lines = tf.data.TextLineDataset("traffic.csv.gz", compression_type="GZIP").skip(1)
assert next(iter(lines)).numpy() == rows[0].encode()


def parse(line):
    return tf.io.decode_csv(line, record_defaults=[0.0, 0.0, "", 0])


decoded = lines.batch(10).map(parse)
temp, rain, weather, volume = next(iter(decoded))
assert temp.shape == (10,) and weather.dtype == tf.string and volume.dtype == tf.int32
np.testing.assert_allclose(rain.numpy(), [(i % 3) * 0.25 for i in range(10)])

# "Fonts": many CSV files with pixel columns r0c0..r1c2, found by a file pattern.
os.makedirs("fonts", exist_ok=True)
names = ["font", "m_label"] + [f"r{r}c{c}" for r in range(2) for c in range(3)]
for k, font in enumerate(["ARIAL", "BOOK", "COURIER"]):
    with open(f"fonts/{font}.csv", "w") as f:
        f.write(",".join(names) + "\n")
        for j in range(4):
            pixels = [(k * 40 + j * 6 + p) % 256 for p in range(6)]
            f.write(",".join([font, str(65 + j)] + [str(p) for p in pixels]) + "\n")

fonts_ds = tf.data.experimental.make_csv_dataset(
    file_pattern="fonts/*.csv",
    batch_size=5,
    num_epochs=1,
    num_parallel_reads=3,
    shuffle_buffer_size=100,
)
seen_fonts = []
count = 0
for features in fonts_ds:
    assert sorted(features) == sorted(names)
    seen_fonts += features["font"].numpy().tolist()
    count += int(features["m_label"].shape[0])
assert count == 12 and sorted(set(seen_fonts)) == [b"ARIAL", b"BOOK", b"COURIER"]


def make_images(features):
    image = [None] * 6
    new_feats = {}
    for name, value in features.items():
        match = re.match(r"r(\d+)c(\d+)", name)
        if match:
            image[int(match.group(1)) * 3 + int(match.group(2))] = value
        else:
            new_feats[name] = value
    image = tf.stack(image, axis=0)
    image = tf.reshape(image, [2, 3, -1])
    new_feats["image"] = tf.transpose(image, [2, 0, 1])
    return new_feats


packed = fonts_ds.map(make_images)
for features in packed.take(1):
    assert features["image"].shape == (5, 2, 3)
    assert features["image"].dtype == tf.int32
    assert sorted(features) == ["font", "image", "m_label"]

# CsvDataset over the list of files, then interleave per file.
font_csvs = sorted(str(p) for p in tf.io.gfile.glob("fonts/*.csv"))
assert [os.path.basename(p) for p in font_csvs] == ["ARIAL.csv", "BOOK.csv", "COURIER.csv"]
font_column_types = [str(), int()] + [float()] * 6
simple = tf.data.experimental.CsvDataset(font_csvs, record_defaults=font_column_types, header=True)
assert len(list(simple)) == 12
assert [s.dtype for s in simple.element_spec][:3] == [tf.string, tf.int32, tf.float32]

files = tf.data.Dataset.list_files("fonts/*.csv", shuffle=False)
interleaved = files.interleave(
    lambda path: tf.data.experimental.CsvDataset(
        path, record_defaults=font_column_types, header=True
    ),
    cycle_length=3,
)
order = [row[0].numpy() for row in interleaved.take(6)]
assert order == [b"ARIAL", b"BOOK", b"COURIER"] * 2, order

# Records that do not parse: an error, or left out under ignore_errors.
with open("messy.csv", "w") as f:
    f.write("id,value\n1,NA\n2,3.5\n3,bad\n4,4.5\n")
messy = tf.data.experimental.CsvDataset("messy.csv", [0, 0.0], header=True)
try:
    list(messy)
except tf.errors.InvalidArgumentError as err:
    assert "not a valid float" in str(err)
else:
    raise AssertionError("a field that is not a float must raise")
assert [int(i) for i, _ in messy.ignore_errors()] == [2, 4]
kept = messy.map(lambda i, v: (i, v * 2)).ignore_errors()
assert [float(v) for _, v in kept] == [7.0, 9.0]

# Caching and snapshot keep the parsed rows.
cached = traffic.cache()
first_pass = [b[1].numpy().tolist() for b in cached]
assert [b[1].numpy().tolist() for b in cached] == first_pass
snap = traffic.snapshot("traffic.tfsnap").shuffle(100, seed=0)
assert sorted(sum((b[1].numpy().tolist() for b in snap), [])) == volumes
print("ok")
