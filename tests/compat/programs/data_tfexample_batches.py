"""TFRecord and tf.Example tutorial, continued: make_batched_features_dataset with a label
key, parse_example_dataset, pad_to_cardinality for evaluation, save/load, snapshot."""

import os
import tempfile

import numpy as np
import tensorflow as tf

folder = tempfile.mkdtemp()


def serialize(i):
    feature = {
        "size": tf.train.Feature(int64_list=tf.train.Int64List(value=[i])),
        "price": tf.train.Feature(float_list=tf.train.FloatList(value=[i * 1.5])),
    }
    example = tf.train.Example(features=tf.train.Features(feature=feature))
    return example.SerializeToString()


path = os.path.join(folder, "houses.tfrecord")
with tf.io.TFRecordWriter(path) as writer:
    for i in range(7):
        writer.write(serialize(i))

features = {
    "size": tf.io.FixedLenFeature([], tf.int64),
    "price": tf.io.FixedLenFeature([], tf.float32),
}
batches = tf.data.experimental.make_batched_features_dataset(
    path, batch_size=3, features=features, label_key="price", num_epochs=1, shuffle=False
)
seen = [(x["size"].numpy().tolist(), y.numpy().tolist()) for x, y in batches]
assert seen == [([0, 1, 2], [0.0, 1.5, 3.0]), ([3, 4, 5], [4.5, 6.0, 7.5]), ([6], [9.0])], seen

parsed = (
    tf.data.TFRecordDataset(path)
    .batch(7)
    .apply(tf.data.experimental.parse_example_dataset(features))
)
whole = next(iter(parsed))
np.testing.assert_allclose(whole["price"].numpy(), np.arange(7) * 1.5)

rows = tf.data.Dataset.from_tensor_slices({"size": np.arange(3), "price": np.ones(3, np.float32)})
padded = rows.apply(tf.data.experimental.pad_to_cardinality(4))
flags = [bool(e["valid"]) for e in padded.as_numpy_iterator()]
assert flags == [True, True, True, False], flags

saved = os.path.join(folder, "saved")
tf.data.experimental.save(tf.data.Dataset.range(5), saved)
assert list(tf.data.experimental.load(saved).as_numpy_iterator()) == [0, 1, 2, 3, 4]
snapshot = tf.data.Dataset.range(4).map(lambda x: x * x).snapshot(os.path.join(folder, "snap"))
assert list(snapshot.as_numpy_iterator()) == [0, 1, 4, 9]
assert list(snapshot.as_numpy_iterator()) == [0, 1, 4, 9]
print("ok")
