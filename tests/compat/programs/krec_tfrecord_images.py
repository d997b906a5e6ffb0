# keras.io "Creating TFRecords": images encoded with tf.io.encode_png, written with their
# metadata as tf.train.Example protos into sharded TFRecord files, read back with
# TFRecordDataset + parse_single_example, decoded with tf.io.decode_png, and a small
# convnet trained on the parsed dataset.
import os

import numpy as np
import tensorflow as tf
from tensorflow import keras

keras.utils.set_random_seed(9)
rng = np.random.default_rng(9)


def image_feature(value):
    return tf.train.Feature(bytes_list=tf.train.BytesList(value=[tf.io.encode_png(value).numpy()]))


def bytes_feature(value):
    return tf.train.Feature(bytes_list=tf.train.BytesList(value=[value.encode()]))


def float_feature(value):
    return tf.train.Feature(float_list=tf.train.FloatList(value=[value]))


def int64_feature(value):
    return tf.train.Feature(int64_list=tf.train.Int64List(value=[value]))


def float_feature_list(value):
    return tf.train.Feature(float_list=tf.train.FloatList(value=value))


def create_example(image, path, example):
    feature = {
        "image": image_feature(image),
        "path": bytes_feature(path),
        "area": float_feature(example["area"]),
        "bbox": float_feature_list(example["bbox"]),
        "category_id": int64_feature(example["category_id"]),
        "id": int64_feature(example["id"]),
    }
    return tf.train.Example(features=tf.train.Features(feature=feature))


def parse_tfrecord_fn(example):
    feature_description = {
        "image": tf.io.FixedLenFeature([], tf.string),
        "path": tf.io.FixedLenFeature([], tf.string),
        "area": tf.io.FixedLenFeature([], tf.float32),
        "bbox": tf.io.VarLenFeature(tf.float32),
        "category_id": tf.io.FixedLenFeature([], tf.int64),
        "id": tf.io.FixedLenFeature([], tf.int64),
    }
    example = tf.io.parse_single_example(example, feature_description)
    example["image"] = tf.io.decode_png(example["image"], channels=3)
    example["bbox"] = tf.sparse.to_dense(example["bbox"])
    return example


# synthetic "objects": a bright square in a red (class 0) or blue (class 1) channel
num_samples, num_shards, size = 96, 3, 16
images, annotations = [], []
for i in range(num_samples):
    cat = int(rng.integers(0, 2))
    img = rng.integers(0, 60, size=(size, size, 3)).astype("uint8")
    x0, y0 = (int(v) for v in rng.integers(0, 9, 2))
    img[y0 : y0 + 7, x0 : x0 + 7, 0 if cat == 0 else 2] = 230
    images.append(img)
    annotations.append(
        {"area": 49.0, "bbox": [float(x0), float(y0), 7.0, 7.0], "category_id": cat, "id": i}
    )

tfrecords_dir = "tfrecords"
os.makedirs(tfrecords_dir, exist_ok=True)
per_shard = num_samples // num_shards
for shard in range(num_shards):
    path = f"{tfrecords_dir}/file_{shard:02d}-{per_shard}.tfrec"
    with tf.io.TFRecordWriter(path) as writer:
        for i in range(shard * per_shard, (shard + 1) * per_shard):
            example = create_example(images[i], f"img_{i:03d}.png", annotations[i])
            writer.write(example.SerializeToString())

files = sorted(tf.io.gfile.glob(f"{tfrecords_dir}/*.tfrec"))
assert len(files) == 3 and files[0].endswith("file_00-32.tfrec"), files

# one record back: every field round-trips, the PNG losslessly
raw = tf.data.TFRecordDataset(files[0])
for features in raw.map(parse_tfrecord_fn).take(1):
    assert features["image"].dtype == tf.uint8
    np.testing.assert_array_equal(features["image"].numpy(), images[0])
    assert features["path"].numpy() == b"img_000.png"
    assert features["category_id"].numpy() == annotations[0]["category_id"]
    np.testing.assert_allclose(features["bbox"].numpy(), annotations[0]["bbox"])
    assert float(features["area"].numpy()) == 49.0

# the raw proto can also be read with tf.train.Example.FromString
first = next(iter(raw)).numpy()
proto = tf.train.Example.FromString(first)
assert proto.features.feature["id"].int64_list.value[0] == 0
assert list(proto.features.feature["bbox"].float_list.value) == annotations[0]["bbox"]


def prepare_sample(features):
    image = tf.image.resize(tf.cast(features["image"], tf.float32) / 255.0, (12, 12))
    return image, features["category_id"]


dataset = (
    tf.data.TFRecordDataset(files, num_parallel_reads=tf.data.AUTOTUNE)
    .map(parse_tfrecord_fn, num_parallel_calls=tf.data.AUTOTUNE)
    .map(prepare_sample, num_parallel_calls=tf.data.AUTOTUNE)
    .shuffle(64, seed=1)
    .batch(16)
    .prefetch(tf.data.AUTOTUNE)
)
count = sum(int(y.shape[0]) for _, y in dataset)
assert count == num_samples

model = keras.Sequential(
    [
        keras.Input((12, 12, 3)),
        keras.layers.Conv2D(8, 3, activation="relu"),
        keras.layers.GlobalMaxPooling2D(),
        keras.layers.Dense(2),
    ]
)
model.compile(
    optimizer=keras.optimizers.Adam(0.02),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
hist = model.fit(dataset, epochs=10, verbose=0)
assert hist.history["accuracy"][-1] > 0.9, hist.history
print("accuracy", hist.history["accuracy"][-1])
