"""Binary records with FixedLengthRecordDataset (CIFAR-style files: header, records,
footer), decode_raw, and tf.data.Options set with with_options and read back."""

import gzip
import os
import tempfile

import numpy as np
import tensorflow as tf

folder = tempfile.mkdtemp()
first, second = os.path.join(folder, "a.bin"), os.path.join(folder, "b.bin")
with open(first, "wb") as f:
    f.write(b"HDR" + bytes(range(12)) + b"FT")
with open(second, "wb") as f:
    f.write(b"HDR" + bytes(range(100, 108)) + b"FT")

records = tf.data.FixedLengthRecordDataset(
    [first, second], record_bytes=4, header_bytes=3, footer_bytes=2
)
assert records.element_spec == tf.TensorSpec((), tf.string)
decoded = records.map(lambda r: tf.io.decode_raw(r, tf.uint8))
assert [x.numpy().tolist() for x in decoded] == [
    [0, 1, 2, 3],
    [4, 5, 6, 7],
    [8, 9, 10, 11],
    [100, 101, 102, 103],
    [104, 105, 106, 107],
]
interleaved = tf.data.FixedLengthRecordDataset([first, second], 4, 3, 2, num_parallel_reads=2)
assert [np.frombuffer(r, np.uint8)[0] for r in interleaved.as_numpy_iterator()] == [
    0,
    100,
    4,
    104,
    8,
]
packed = os.path.join(folder, "c.bin.gz")
with gzip.open(packed, "wb") as f:
    f.write(bytes(range(8)))
unpacked = tf.data.FixedLengthRecordDataset(packed, 4, compression_type="GZIP")
assert len(list(unpacked)) == 2
try:
    list(tf.data.FixedLengthRecordDataset(first, record_bytes=5, header_bytes=3, footer_bytes=2))
    raise AssertionError("12 body bytes are not records of 5")
except tf.errors.InvalidArgumentError as error:
    assert "exact multiple" in str(error)

options = tf.data.Options()
options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
options.threading.private_threadpool_size = 4
options.deterministic = False
options.experimental_optimization.map_parallelization = True
dataset = tf.data.Dataset.range(5).with_options(options)
assert list(dataset.as_numpy_iterator()) == [0, 1, 2, 3, 4]
assert dataset.options().deterministic is False
assert dataset.options().threading.private_threadpool_size == 4
assert isinstance(options.threading, tf.data.ThreadingOptions)
assert isinstance(dataset.as_numpy_iterator(), tf.data.NumpyIterator)
try:
    dataset.options().deterministic = True
    raise AssertionError("options() is a read-only copy")
except ValueError as error:
    assert "with_options" in str(error)
print("ok")
