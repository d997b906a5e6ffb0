"""tf.image stateless random ops: same seed, same augmentation; shapes and ranges kept."""

import numpy as np
import tensorflow as tf

img = tf.random.stateless_uniform([8, 8, 3], seed=[0, 1])
batch = tf.stack([img, 1.0 - img])
seed = tf.constant([3, 4])

ops = {
    "flip_lr": lambda x, s: tf.image.stateless_random_flip_left_right(x, s),
    "flip_ud": lambda x, s: tf.image.stateless_random_flip_up_down(x, s),
    "brightness": lambda x, s: tf.image.stateless_random_brightness(x, 0.2, s),
    "contrast": lambda x, s: tf.image.stateless_random_contrast(x, 0.5, 1.5, s),
    "saturation": lambda x, s: tf.image.stateless_random_saturation(x, 0.5, 1.5, s),
    "hue": lambda x, s: tf.image.stateless_random_hue(x, 0.1, s),
    "jpeg": lambda x, s: tf.image.stateless_random_jpeg_quality(x, 70, 90, s),
    "crop": lambda x, s: tf.image.stateless_random_crop(x, [5, 5, 3], s),
}
for name, op in ops.items():
    a = op(img, seed)
    b = op(img, seed)
    np.testing.assert_array_equal(a, b, err_msg=name)  # deterministic given the seed
    assert a.dtype == tf.float32, name
    if name != "crop":
        assert a.shape == img.shape, name

# The crop is a real window of the image.
crop = tf.image.stateless_random_crop(img, [5, 5, 3], seed)
found = any(
    np.array_equal(crop.numpy(), img.numpy()[i : i + 5, j : j + 5])
    for i in range(4)
    for j in range(4)
)
assert found
try:
    tf.image.stateless_random_crop(img, [9, 5, 3], seed)
except (ValueError, tf.errors.InvalidArgumentError):
    pass
else:
    raise AssertionError("a crop larger than the image should raise")

# Flips over many seeds: each image is either unchanged or mirrored, both happen.
outcomes = set()
for i in range(20):
    f = tf.image.stateless_random_flip_left_right(img, [i, 0])
    if np.array_equal(f, img):
        outcomes.add("same")
    else:
        np.testing.assert_array_equal(f, img[:, ::-1])
        outcomes.add("flipped")
assert outcomes == {"same", "flipped"}
fb = tf.image.stateless_random_flip_left_right(batch, seed)
assert fb.shape == batch.shape

# Brightness stays within its delta; contrast keeps the per-channel mean.
bright = tf.image.stateless_random_brightness(img, 0.2, seed)
delta = (bright - img).numpy()
assert np.allclose(delta, delta.flat[0], atol=1e-6) and abs(delta.flat[0]) <= 0.2
con = tf.image.stateless_random_contrast(img, 0.5, 1.5, seed)
np.testing.assert_allclose(
    tf.reduce_mean(con, axis=[0, 1]), tf.reduce_mean(img, axis=[0, 1]), atol=1e-5
)
try:
    tf.image.stateless_random_contrast(img, 1.5, 0.5, seed)
except ValueError:
    pass
else:
    raise AssertionError("lower > upper should raise")
try:
    tf.image.stateless_random_hue(img, 0.6, seed)
except ValueError:
    pass
else:
    raise AssertionError("max_delta above 0.5 should raise")

# The same ops as random layers in a dataset map stay deterministic with stateless seeds.
ds = tf.data.Dataset.from_tensors(img).repeat(3).enumerate()
ds = ds.map(lambda i, x: tf.image.stateless_random_flip_up_down(x, [tf.cast(i, tf.int32), 7]))
first = [t.numpy() for t in ds]
second = [t.numpy() for t in ds]
for p, q in zip(first, second):
    np.testing.assert_array_equal(p, q)
print("ok")
