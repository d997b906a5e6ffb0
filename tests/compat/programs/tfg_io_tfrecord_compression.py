"""tf.io: serialize_tensor/parse_tensor and TFRecord files with GZIP/ZLIB compression."""

import os

import numpy as np
import tensorflow as tf

# serialize_tensor keeps dtype and shape; parse_tensor needs the dtype back.
t = tf.constant([[1.5, -2.0], [0.25, 4.0]], dtype=tf.float64)
blob = tf.io.serialize_tensor(t)
assert blob.dtype == tf.string and blob.shape == ()
back = tf.io.parse_tensor(blob, out_type=tf.float64)
assert back.dtype == tf.float64 and back.shape == (2, 2)
np.testing.assert_array_equal(back, t)
try:
    tf.io.parse_tensor(blob, out_type=tf.float32)
except tf.errors.InvalidArgumentError:
    pass
else:
    raise AssertionError("wrong out_type should raise")
strs = tf.io.parse_tensor(tf.io.serialize_tensor(tf.constant([b"a", b"bc"])), tf.string)
assert strs.numpy().tolist() == [b"a", b"bc"]
scalar = tf.io.parse_tensor(tf.io.serialize_tensor(tf.constant(7, tf.int64)), tf.int64)
assert scalar.shape == () and int(scalar) == 7

# Records round-trip through plain, GZIP and ZLIB files.
records = [tf.io.serialize_tensor(tf.range(i, dtype=tf.int32)).numpy() for i in range(5)]
records.append(b"")  # an empty record is a record too
for kind in ["", "GZIP", "ZLIB"]:
    path = f"data_{kind or 'plain'}.tfrecord"
    options = tf.io.TFRecordOptions(compression_type=kind)
    with tf.io.TFRecordWriter(path, options=options) as writer:
        for r in records:
            writer.write(r)
    ds = tf.data.TFRecordDataset(path, compression_type=kind)
    got = [x.numpy() for x in ds]
    assert got == records, kind
    parsed = ds.take(5).map(lambda x: tf.io.parse_tensor(x, tf.int32))
    assert [p.shape[0] for p in parsed] == [0, 1, 2, 3, 4]
assert os.path.getsize("data_GZIP.tfrecord") != os.path.getsize("data_plain.tfrecord")

# A writer may also be given the compression string directly.
with tf.io.TFRecordWriter("direct.gz", "GZIP") as writer:
    writer.write(b"payload")
assert [x.numpy() for x in tf.data.TFRecordDataset(["direct.gz"], "GZIP")] == [b"payload"]

# Several files are read in order; buffer_size and num_parallel_reads keep all records.
many = tf.data.TFRecordDataset(["data_plain.tfrecord", "direct.gz"][:1] * 2)
assert len(list(many)) == 2 * len(records)
inter = tf.data.TFRecordDataset(["data_plain.tfrecord"] * 3, num_parallel_reads=2)
assert sorted(x.numpy() for x in inter) == sorted(records * 3)

# Reading a compressed file without the compression type fails with DataLossError.
try:
    list(tf.data.TFRecordDataset("data_GZIP.tfrecord"))
except tf.errors.DataLossError:
    pass
else:
    raise AssertionError("reading GZIP as plain should raise")

# tf.io.write_file / read_file handle raw bytes.
tf.io.write_file("raw.bin", tf.constant(b"\x00\x01bytes"))
assert tf.io.read_file("raw.bin").numpy() == b"\x00\x01bytes"
assert tf.io.gfile.exists("raw.bin") and not tf.io.gfile.exists("missing.bin")
print("ok")
