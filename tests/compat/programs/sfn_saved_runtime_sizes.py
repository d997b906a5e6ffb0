"""Saved functions that compute with the runtime size of a None dimension (tf.shape in
arithmetic, reshapes to computed sizes, a while loop over the rows, nearest-neighbour
resizing and centred crop-or-pad of images of any size): after loading they serve inputs
of sizes never traced, with the same results as before saving."""

import tempfile

import numpy as np
import tensorflow as tf


class Sizes(tf.Module):
    @tf.function(input_signature=[tf.TensorSpec([None, None], tf.float32)])
    def halves(self, x):
        rows, cols = tf.shape(x)[0], tf.shape(x)[1]
        paired = tf.reshape(x, [rows * 2, cols // 2])
        scale = tf.cast(rows * 2 + cols % 3, tf.float32)
        return {"paired": paired, "scaled": x * scale}

    @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)])
    def running_total(self, rows):
        i = tf.constant(0)
        total = tf.zeros([3])
        _, total = tf.while_loop(
            lambda i, t: i < tf.shape(rows)[0],
            lambda i, t: (i + 1, t + rows[i] * tf.cast(i + 1, tf.float32)),
            [i, total],
        )
        return total

    @tf.function(input_signature=[tf.TensorSpec([None, None, None, 1], tf.float32)])
    def thumbnails(self, images):
        return {
            "nearest": tf.image.resize(images, [3, 4], method="nearest"),
            "framed": tf.image.resize_with_crop_or_pad(images, 4, 4),
        }


module = Sizes()
folder = tempfile.mkdtemp()
tf.saved_model.save(module, folder)
loaded = tf.saved_model.load(folder)

for shape in [(2, 4), (3, 6), (5, 2)]:
    x = np.arange(np.prod(shape), dtype="float32").reshape(shape)
    got = loaded.halves(tf.constant(x))
    assert got["paired"].shape == (shape[0] * 2, shape[1] // 2)
    np.testing.assert_array_equal(got["paired"].numpy().ravel(), x.ravel())
    factor = shape[0] * 2 + shape[1] % 3
    np.testing.assert_allclose(got["scaled"].numpy(), x * factor)

for n in (1, 4, 7):
    rows = np.arange(n * 3, dtype="float32").reshape(n, 3)
    want = (rows * np.arange(1, n + 1, dtype="float32")[:, None]).sum(axis=0)
    np.testing.assert_allclose(loaded.running_total(tf.constant(rows)).numpy(), want)

rng = np.random.default_rng(4)
for shape in [(1, 6, 6, 1), (2, 3, 9, 1), (1, 2, 2, 1)]:
    images = tf.constant(rng.random(shape, dtype=np.float32))
    got, want = loaded.thumbnails(images), module.thumbnails(images)
    assert got["nearest"].shape == (shape[0], 3, 4, 1)
    assert got["framed"].shape == (shape[0], 4, 4, 1)
    for key in ("nearest", "framed"):
        np.testing.assert_array_equal(got[key].numpy(), want[key].numpy())

# a centred frame: a 2x2 image lands in the middle of 4x4 zeros
small = tf.reshape(tf.range(1.0, 5.0), [1, 2, 2, 1])
frame = loaded.thumbnails(small)["framed"].numpy()[0, :, :, 0]
np.testing.assert_array_equal(frame, [[0, 0, 0, 0], [0, 1, 2, 0], [0, 3, 4, 0], [0, 0, 0, 0]])
print("ok")
