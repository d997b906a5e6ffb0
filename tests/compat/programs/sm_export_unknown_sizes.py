"""Exporting tf.functions whose input_signature leaves every size unknown while the body
needs particular ones (a flatten to 16 pixels, a fixed number of features)."""

import tempfile

import numpy as np
import tensorflow as tf


class ImageClassifier(tf.Module):
    def __init__(self):
        super().__init__()
        self.kernel = tf.Variable(np.linspace(-1.0, 1.0, 16 * 4, dtype="float32").reshape(16, 4))

    @tf.function(input_signature=[tf.TensorSpec([None, None, None, None], tf.uint8)])
    def __call__(self, images):
        flat = tf.cast(tf.reshape(images, [-1, 16]), tf.float32) / 255.0
        return tf.argmax(tf.matmul(flat, self.kernel), axis=1)


class Standardized(tf.Module):
    def __init__(self):
        super().__init__()
        self.center = tf.constant([1.0, 2.0, 3.0, 0.5, 0.5])
        self.weights = tf.Variable([[1.0], [-1.0], [0.5], [2.0], [-2.0]])

    @tf.function(input_signature=[tf.TensorSpec([None, None], tf.float32)])
    def __call__(self, rows):
        group = tf.one_hot(tf.cast(rows[:, -1], tf.int32), 2)
        features = tf.concat([rows[:, :-1], group], axis=1) - self.center
        return tf.squeeze(features @ self.weights, axis=1)


root = tempfile.mkdtemp()
rng = np.random.default_rng(3)

clf = ImageClassifier()
tf.saved_model.save(clf, root + "/clf")
restored = tf.saved_model.load(root + "/clf")
images = rng.integers(0, 256, (6, 4, 4, 1)).astype(np.uint8)
expected = clf(tf.constant(images)).numpy()
got = restored(tf.constant(images))
assert got.dtype == tf.int64 and got.shape == (6,)
np.testing.assert_array_equal(got.numpy(), expected)
# another layout with 16 values per example works as well
other = restored(tf.constant(images.reshape(6, 2, 8, 1)))
np.testing.assert_array_equal(other.numpy(), expected)
serving = restored.signatures["serving_default"]
out = serving(images=tf.constant(images[:2]))
assert list(out) == ["output_0"]
np.testing.assert_array_equal(out["output_0"].numpy(), expected[:2])

std = Standardized()
tf.saved_model.save(std, root + "/std")
restored = tf.saved_model.load(root + "/std")
rows = np.array([[1.0, 2.0, 3.0, 0.0], [0.0, 1.0, -1.0, 1.0], [2.5, 0.5, 1.0, 1.0]], np.float32)
want = np.concatenate([rows[:, :3], np.eye(2)[rows[:, 3].astype(int)]], 1) - std.center.numpy()
want = want @ std.weights.numpy()[:, 0]
np.testing.assert_allclose(restored(tf.constant(rows)).numpy(), want, rtol=1e-6)
np.testing.assert_allclose(restored(tf.constant(rows[1:])).numpy(), want[1:], rtol=1e-6)
print("ok")
