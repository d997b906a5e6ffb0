"""Train from TFRecord files: write Examples with several features, read them with
TFRecordDataset (two files, read in parallel), parse batches and fit a model; then the
SequenceExample form of the same data."""

import numpy as np
import tensorflow as tf

rng = np.random.default_rng(1)
x = rng.standard_normal((64, 3)).astype(np.float32)
y = (x @ np.array([1.0, -2.0, 0.5], np.float32) > 0).astype(np.int64)


def make_example(features, label):
    return tf.train.Example(
        features=tf.train.Features(
            feature={
                "x": tf.train.Feature(float_list=tf.train.FloatList(value=features.tolist())),
                "y": tf.train.Feature(int64_list=tf.train.Int64List(value=[int(label)])),
            }
        )
    )


for shard in range(2):
    with tf.io.TFRecordWriter(f"train-{shard}.tfrecord") as writer:
        for i in range(shard, 64, 2):
            writer.write(make_example(x[i], y[i]).SerializeToString())

spec = {"x": tf.io.FixedLenFeature([3], tf.float32), "y": tf.io.FixedLenFeature([], tf.int64)}


def parse_batch(records):
    parsed = tf.io.parse_example(records, spec)
    return parsed["x"], parsed["y"]


files = ["train-0.tfrecord", "train-1.tfrecord"]
ds = tf.data.TFRecordDataset(files, num_parallel_reads=2).batch(16).map(parse_batch)
xs, ys = zip(*[(a.numpy(), b.numpy()) for a, b in ds])
np.testing.assert_array_equal(np.concatenate(xs), x)  # interleaving restores the order
np.testing.assert_array_equal(np.concatenate(ys), y)

tf.random.set_seed(0)
model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(1, "sigmoid")])
model.compile(
    optimizer=tf.keras.optimizers.SGD(0.5), loss="binary_crossentropy", metrics=["accuracy"]
)
history = model.fit(ds.map(lambda a, b: (a, tf.cast(b, tf.float32))), epochs=20, verbose=0)
assert history.history["loss"][-1] < history.history["loss"][0]
assert history.history["accuracy"][-1] >= 0.9

# SequenceExample: a context feature and a sequence of 3-vectors per record.
sequence = tf.train.SequenceExample(
    context=tf.train.Features(
        feature={"length": tf.train.Feature(int64_list=tf.train.Int64List(value=[4]))}
    ),
    feature_lists=tf.train.FeatureLists(
        feature_list={
            "steps": tf.train.FeatureList(
                feature=[
                    tf.train.Feature(float_list=tf.train.FloatList(value=row.tolist()))
                    for row in x[:4]
                ]
            )
        }
    ),
)
context, lists = tf.io.parse_single_sequence_example(
    sequence.SerializeToString(),
    context_features={"length": tf.io.FixedLenFeature([], tf.int64)},
    sequence_features={"steps": tf.io.FixedLenSequenceFeature([3], tf.float32)},
)
assert int(context["length"]) == 4
np.testing.assert_array_equal(lists["steps"].numpy(), x[:4])
print("ok")
