# TFRecord files of tf.train.Example (the "TFRecord and tf.train.Example" guide): write
# with TFRecordWriter (plain, GZIP and ZLIB), read with TFRecordDataset, then parse batches
# with tf.io.parse_example: FixedLenFeature with defaults, VarLenFeature (SparseTensor),
# RaggedFeature and FixedLenSequenceFeature, checking values and element_spec.
import numpy as np
import tensorflow as tf


def example(i):
    feature = {
        "id": tf.train.Feature(int64_list=tf.train.Int64List(value=[i])),
        "scores": tf.train.Feature(float_list=tf.train.FloatList(value=[0.5 * i] * (i + 1))),
        "tags": tf.train.Feature(
            bytes_list=tf.train.BytesList(value=[b"t%d" % k for k in range(i)])
        ),
        "image": tf.train.Feature(
            bytes_list=tf.train.BytesList(
                value=[tf.io.serialize_tensor(tf.fill([2, 2], i)).numpy()]
            )
        ),
    }
    return tf.train.Example(features=tf.train.Features(feature=feature))


for name, options in [("plain.tfrecord", None), ("gz.tfrecord", "GZIP"), ("z.tfrecord", "ZLIB")]:
    with tf.io.TFRecordWriter(name, options=options) as writer:
        for i in range(4):
            writer.write(example(i).SerializeToString())
with open("gz.tfrecord", "rb") as f:
    assert f.read(2) == b"\x1f\x8b"  # a gzip stream

raw = tf.data.TFRecordDataset(["plain.tfrecord"])
for name, kind in [("gz.tfrecord", "GZIP"), ("z.tfrecord", "ZLIB")]:
    other = tf.data.TFRecordDataset(name, compression_type=kind)
    assert list(other.as_numpy_iterator()) == list(raw.as_numpy_iterator())

features = {
    "id": tf.io.FixedLenFeature([], tf.int64),
    "missing": tf.io.FixedLenFeature([], tf.float32, default_value=-1.0),
    "scores": tf.io.VarLenFeature(tf.float32),
    "tags": tf.io.RaggedFeature(tf.string),
    "image": tf.io.FixedLenFeature([], tf.string),
}


def parse(batch):
    # "scores" parsed twice: as a SparseTensor and as a dense tensor padded with zeros
    parsed = tf.io.parse_example(batch, features)
    dense = tf.io.parse_example(
        batch, {"scores": tf.io.FixedLenSequenceFeature([], tf.float32, allow_missing=True)}
    )
    parsed["dense_scores"] = dense["scores"]
    return parsed


parsed = raw.batch(3).map(parse)
spec = parsed.element_spec
assert spec["id"] == tf.TensorSpec([None], tf.int64)
assert isinstance(spec["scores"], tf.SparseTensorSpec)
assert spec["scores"].shape.as_list() == [None, None]
assert isinstance(spec["tags"], tf.RaggedTensorSpec) and spec["tags"].dtype == tf.string
assert spec["dense_scores"].shape.as_list() == [None, None]

first, second = list(parsed)
assert first["id"].numpy().tolist() == [0, 1, 2] and second["id"].numpy().tolist() == [3]
assert first["missing"].numpy().tolist() == [-1.0, -1.0, -1.0]
assert first["scores"].dense_shape.numpy().tolist() == [3, 3]
assert tf.sparse.to_dense(first["scores"]).numpy().tolist() == [
    [0.0, 0.0, 0.0],
    [0.5, 0.5, 0.0],
    [1.0, 1.0, 1.0],
]
assert first["tags"].to_list() == [[], [b"t0"], [b"t0", b"t1"]]
assert first["dense_scores"].numpy().tolist() == [[0.0, 0.0, 0.0], [0.5, 0.5, 0.0], [1.0, 1.0, 1.0]]
images = tf.map_fn(
    lambda s: tf.io.parse_tensor(s, tf.int32), first["image"], fn_output_signature=tf.int32
)
assert images.shape == (3, 2, 2) and images.numpy()[2].tolist() == [[2, 2], [2, 2]]

# One record at a time with parse_single_example; a missing required key is an error.
one = tf.io.parse_single_example(next(iter(raw.skip(3))), features)
assert int(one["id"]) == 3 and one["tags"].numpy().tolist() == [b"t0", b"t1", b"t2"]
np.testing.assert_allclose(tf.sparse.to_dense(one["scores"]).numpy(), [1.5] * 4)
try:
    tf.io.parse_single_example(next(iter(raw)), {"label": tf.io.FixedLenFeature([], tf.int64)})
    raise AssertionError("expected InvalidArgumentError")
except tf.errors.InvalidArgumentError:
    pass
print("parsed ids:", first["id"].numpy().tolist(), second["id"].numpy().tolist())
