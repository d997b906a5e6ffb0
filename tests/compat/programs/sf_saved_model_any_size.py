"""A SavedModel whose input_signature leaves image height and width free serves images of
any size after loading, including calls whose height and width differ."""

import tempfile

import numpy as np
import tensorflow as tf


class Preprocess(tf.Module):
    @tf.function(input_signature=[tf.TensorSpec([None, None, 3], tf.float32)])
    def centre(self, image):
        # zero-based image minus its per-channel mean, plus a mask of ones of its shape
        mean = tf.reduce_mean(image, axis=[0, 1])
        return {"centred": image - mean, "mask": tf.ones_like(image[..., 0])}

    @tf.function(input_signature=[tf.TensorSpec([None, None, 3], tf.float32)])
    def corner(self, image):
        return tf.image.crop_to_bounding_box(image, 1, 1, 2, 2)

    @tf.function(input_signature=[tf.TensorSpec([None, None], tf.float32)])
    def doubled_rows(self, rows):
        both = tf.concat([rows, rows * 2.0], axis=1)
        return tf.reshape(both, [tf.shape(rows)[0], -1])


export_dir = tempfile.mkdtemp()
tf.saved_model.save(Preprocess(), export_dir)
loaded = tf.saved_model.load(export_dir)

rng = np.random.default_rng(3)
for height, width in [(4, 6), (7, 3), (5, 5)]:
    image = rng.random((height, width, 3)).astype("float32")
    out = loaded.centre(tf.constant(image))
    np.testing.assert_allclose(out["centred"].numpy(), image - image.mean(axis=(0, 1)), atol=1e-6)
    assert out["mask"].shape == (height, width)
    assert out["mask"].dtype == tf.float32
    assert float(tf.reduce_sum(out["mask"])) == height * width
    corner = loaded.corner(tf.constant(image))
    assert corner.shape == (2, 2, 3)
    np.testing.assert_array_equal(corner.numpy(), image[1:3, 1:3])

for batch, width in [(2, 3), (4, 1), (1, 6)]:
    rows = np.arange(batch * width, dtype="float32").reshape(batch, width)
    got = loaded.doubled_rows(tf.constant(rows))
    assert got.shape == (batch, 2 * width)
    np.testing.assert_array_equal(got.numpy(), np.concatenate([rows, rows * 2], axis=1))

print("ok")
