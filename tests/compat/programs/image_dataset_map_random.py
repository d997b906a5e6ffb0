"""Augmenting a tf.data pipeline with tf.image random ops in Dataset.map (the "Data
augmentation" tutorial's second way): seeded random flips / crops / brightness, and the
stateless variants that repeat exactly for a given seed."""

import numpy as np
import tensorflow as tf

tf.random.set_seed(7)
rng = np.random.default_rng(0)
images = rng.random((12, 10, 10, 3)).astype("float32")
labels = np.arange(12) % 3
ds = tf.data.Dataset.from_tensor_slices((images, labels))


def resize_and_rescale(image, label):
    image = tf.image.resize(image, [12, 12])
    return tf.image.convert_image_dtype(image, tf.float32), label


def augment(image, label):
    image = tf.image.random_flip_left_right(image, seed=1)
    image = tf.image.random_crop(image, size=[8, 8, 3], seed=2)
    image = tf.image.random_brightness(image, max_delta=0.1, seed=3)
    image = tf.clip_by_value(image, 0.0, 1.0)
    return image, label


train = ds.map(resize_and_rescale).map(augment).batch(4)
shapes = [(tuple(x.shape), tuple(y.shape)) for x, y in train]
assert shapes == [((4, 8, 8, 3), (4,))] * 3, shapes
for x, _ in train:
    assert float(tf.reduce_min(x)) >= 0.0 and float(tf.reduce_max(x)) <= 1.0

# Each flipped image is the mirror of its original, and some of both kinds occur.
flipped = ds.map(lambda x, y: (tf.image.random_flip_left_right(x, seed=4), y))
kinds = []
for (out, _), original in zip(flipped, images):
    out = out.numpy()
    if np.array_equal(out, original):
        kinds.append("same")
    else:
        np.testing.assert_array_equal(out, original[:, ::-1])
        kinds.append("mirrored")
assert "same" in kinds and "mirrored" in kinds, kinds


# Stateless ops: the result is a function of the seed only.
def stateless_augment(image, label):
    seed = (3, 4)
    image = tf.image.stateless_random_crop(image, size=[6, 6, 3], seed=seed)
    image = tf.image.stateless_random_brightness(image, max_delta=0.2, seed=seed)
    image = tf.image.stateless_random_contrast(image, lower=0.8, upper=1.2, seed=seed)
    image = tf.image.stateless_random_flip_up_down(image, seed=seed)
    return image, label


first = np.stack([x.numpy() for x, _ in ds.map(stateless_augment)])
second = np.stack([x.numpy() for x, _ in ds.map(stateless_augment)])
assert first.shape == (12, 6, 6, 3)
np.testing.assert_array_equal(first, second)

# random_brightness adds one delta per image, within max_delta
bright = ds.map(lambda x, y: (tf.image.random_brightness(x, max_delta=0.25, seed=5), y))
for (out, _), original in zip(bright, images):
    delta = out.numpy() - original
    assert np.allclose(delta, delta.flat[0], atol=1e-6) and abs(delta.flat[0]) <= 0.25

# keras preprocessing layers inside Dataset.map, as the tutorial does
augmenter = tf.keras.Sequential(
    [tf.keras.layers.RandomFlip("horizontal", seed=1), tf.keras.layers.RandomRotation(0.1, seed=2)]
)
aug_ds = ds.batch(6).map(lambda x, y: (augmenter(x, training=True), y))
for x, y in aug_ds:
    assert x.shape == (6, 10, 10, 3) and y.shape == (6,)
print("ok")
