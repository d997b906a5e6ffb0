"""The "Load and preprocess images" tutorial's tf.data path: list_files, labels from the
folder names with tf.strings.split, read_file + decode_png + resize in Dataset.map, then
batch, prefetch and fit."""

import os

import numpy as np
import tensorflow as tf

for c, name in enumerate(["cat", "dog"]):
    os.makedirs(os.path.join("photos", name), exist_ok=True)
    for i in range(4):
        pixels = np.full((6, 5, 3), 40 + 150 * c + i, np.uint8)
        tf.io.write_file(os.path.join("photos", name, f"{i}.png"), tf.io.encode_png(pixels))

class_names = np.array(sorted(os.listdir("photos")))
list_ds = tf.data.Dataset.list_files("photos/*/*", shuffle=False)
assert list_ds.cardinality().numpy() == 8
list_ds = list_ds.shuffle(8, seed=1, reshuffle_each_iteration=False)


def get_label(file_path):
    parts = tf.strings.split(file_path, os.path.sep)
    one_hot = parts[-2] == class_names
    return tf.argmax(one_hot)


def decode_img(img):
    img = tf.io.decode_png(img, channels=3)
    return tf.image.resize(img, [8, 8])


def process_path(file_path):
    label = get_label(file_path)
    img = tf.io.read_file(file_path)
    return decode_img(img), label


ds = list_ds.map(process_path, num_parallel_calls=tf.data.AUTOTUNE)
for image, label in ds.take(1):
    assert image.shape == (8, 8, 3) and image.dtype == tf.float32
    assert label.dtype == tf.int64
pairs = [(float(img.numpy().mean()), int(lab)) for img, lab in ds]
assert sorted(lab for _, lab in pairs) == [0, 0, 0, 0, 1, 1, 1, 1]
for mean, lab in pairs:  # dogs were written brighter than cats
    assert (mean > 150) == (lab == 1)

tf.keras.utils.set_random_seed(0)
model = tf.keras.Sequential(
    [
        tf.keras.Input((8, 8, 3)),
        tf.keras.layers.Rescaling(1.0 / 255),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(2),
    ]
)
model.compile(
    optimizer=tf.keras.optimizers.Adam(0.01),
    loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
history = model.fit(ds.batch(4).prefetch(tf.data.AUTOTUNE), epochs=30, verbose=0)
losses = history.history["loss"]
assert losses[-1] < 0.8 * losses[0], losses
print("image files pipeline ok")
