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


classifier = tf.keras.Sequential(
    [tf.keras.Input((6, 6, 3)), tf.keras.layers.Flatten(), tf.keras.layers.Dense(4)]
)
serve = tf.function(
    lambda images: {"scores": classifier(tf.image.resize(images, (6, 6)))},
    input_signature=[tf.TensorSpec([None, None, None, 3], tf.float32)],
)
holder = tf.Module()
holder.classifier = classifier
holder.serve = serve
served_dir = tempfile.mkdtemp()
tf.saved_model.save(holder, served_dir, signatures={"serving_default": serve})
served = tf.saved_model.load(served_dir).signatures["serving_default"]
for shape in [(2, 6, 6, 3), (1, 10, 4, 3), (3, 9, 13, 3)]:
    images = tf.constant(np.random.default_rng(5).random(shape).astype("float32"))
    got = served(images=images)["scores"]
    assert got.shape == (shape[0], 4)
    np.testing.assert_allclose(got.numpy(), serve(images)["scores"].numpy(), rtol=1e-5, atol=1e-5)

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
