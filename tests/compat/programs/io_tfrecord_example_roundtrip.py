"""The TFRecord guide: build tf.train.Example records, write them (plain and GZIP), read them
back with TFRecordDataset and parse them in Dataset.map."""

import numpy as np
import tensorflow as tf


def _bytes_feature(value):
    return tf.train.Feature(bytes_list=tf.train.BytesList(value=[value]))


def _float_feature(value):
    return tf.train.Feature(float_list=tf.train.FloatList(value=[value]))


def _int64_feature(value):
    return tf.train.Feature(int64_list=tf.train.Int64List(value=[value]))


def serialize_example(feature0, feature1, feature2, feature3):
    feature = {
        "feature0": _int64_feature(int(feature0)),
        "feature1": _int64_feature(int(feature1)),
        "feature2": _bytes_feature(feature2),
        "feature3": _float_feature(float(feature3)),
    }
    example = tf.train.Example(features=tf.train.Features(feature=feature))
    return example.SerializeToString()


n = 50
rng = np.random.default_rng(0)
feature0 = rng.integers(0, 2, n).astype(bool)
feature1 = rng.integers(0, 5, n)
strings = np.array([b"cat", b"dog", b"chicken", b"horse", b"goat"])
feature2 = strings[feature1]
feature3 = rng.standard_normal(n).astype(np.float32)

# One message: wire bytes, text format and parsing back.
one = serialize_example(False, 4, b"goat", 0.9876)
assert one == serialize_example(False, 4, b"goat", 0.9876)
example = tf.train.Example.FromString(one)
assert example.features.feature["feature2"].bytes_list.value == [b"goat"]
assert 'value: "goat"' in str(example)
single = tf.train.Example(
    features=tf.train.Features(feature={"f": _int64_feature(7)})
).SerializeToString()
assert single == b"\n\x0c\n\n\n\x01f\x12\x05\x1a\x03\n\x01\x07"

for compression in ("", "GZIP"):
    filename = f"test{compression}.tfrecord"
    with tf.io.TFRecordWriter(filename, options=compression) as writer:
        for i in range(n):
            writer.write(serialize_example(feature0[i], feature1[i], feature2[i], feature3[i]))

    raw_dataset = tf.data.TFRecordDataset([filename], compression_type=compression)
    assert raw_dataset.element_spec == tf.TensorSpec([], tf.string)

    feature_description = {
        "feature0": tf.io.FixedLenFeature([], tf.int64, default_value=0),
        "feature1": tf.io.FixedLenFeature([], tf.int64, default_value=0),
        "feature2": tf.io.FixedLenFeature([], tf.string, default_value=""),
        "feature3": tf.io.FixedLenFeature([], tf.float32, default_value=0.0),
    }

    def _parse_function(example_proto):
        return tf.io.parse_single_example(example_proto, feature_description)

    parsed = list(raw_dataset.map(_parse_function).as_numpy_iterator())
    assert len(parsed) == n
    np.testing.assert_array_equal([p["feature0"] for p in parsed], feature0.astype(np.int64))
    np.testing.assert_array_equal([p["feature1"] for p in parsed], feature1)
    assert [p["feature2"] for p in parsed] == feature2.tolist()
    np.testing.assert_array_equal([p["feature3"] for p in parsed], feature3)

    # Batched parsing, and a feature of any length as a SparseTensor.
    batch = next(iter(raw_dataset.batch(8)))
    features = tf.io.parse_example(
        batch,
        {
            "feature1": tf.io.FixedLenFeature([], tf.int64),
            "feature2": tf.io.VarLenFeature(tf.string),
        },
    )
    np.testing.assert_array_equal(features["feature1"].numpy(), feature1[:8])
    sparse = features["feature2"]
    assert isinstance(sparse, tf.sparse.SparseTensor)
    assert sparse.dense_shape.numpy().tolist() == [8, 1]
    assert sparse.values.numpy().tolist() == feature2[:8].tolist()

# A corrupted file is reported, not read silently.
data = bytearray(open("test.tfrecord", "rb").read())
data[20] ^= 0xFF
with open("corrupt.tfrecord", "wb") as f:
    f.write(bytes(data))
try:
    list(tf.data.TFRecordDataset("corrupt.tfrecord"))
except tf.errors.DataLossError:
    pass
else:
    raise AssertionError("a corrupted record must raise DataLossError")

# Tensors as bytes.
t = tf.constant([[1.5, 2.0], [3.0, -4.0]])
serialized = tf.io.serialize_tensor(t)
assert serialized.numpy() == (
    b'\x08\x01\x12\x08\x12\x02\x08\x02\x12\x02\x08\x02"\x10'
    b"\x00\x00\xc0?\x00\x00\x00@\x00\x00@@\x00\x00\x80\xc0"
)
np.testing.assert_array_equal(tf.io.parse_tensor(serialized, tf.float32).numpy(), t.numpy())
print("ok")
