"""A tf.Module whose function slices by sizes known only at run time, saved with None
dimensions in its input_signature and loaded back: every size is served."""

import tempfile

import numpy as np
import tensorflow as tf


class Halves(tf.Module):
    def __init__(self):
        super().__init__()
        self.scale = tf.Variable(0.5)

    @tf.function(input_signature=[tf.TensorSpec([None, None], tf.float32)])
    def split(self, x):
        width = tf.shape(x)[1]
        left = x[:, : width // 2] * self.scale
        right_reversed = x[:, width - 1 : (width - 1) // 2 : -1]
        return {"left": left, "right_reversed": right_reversed}


module = Halves()
export_dir = tempfile.mkdtemp()
tf.saved_model.save(module, export_dir)
restored = tf.saved_model.load(export_dir)

for rows, cols in [(2, 6), (3, 5), (1, 8)]:
    data = np.arange(rows * cols, dtype=np.float32).reshape(rows, cols)
    expected_left = data[:, : cols // 2] * 0.5
    expected_right = data[:, cols - 1 : (cols - 1) // 2 : -1]
    for fn in (module.split, restored.split):
        out = fn(tf.constant(data))
        assert out["left"].shape == (rows, cols // 2), out["left"].shape
        np.testing.assert_allclose(out["left"].numpy(), expected_left)
        np.testing.assert_allclose(out["right_reversed"].numpy(), expected_right)

module.scale.assign(2.0)  # the live module reads its variable; the saved copy keeps 0.5
data = np.ones((2, 4), np.float32)
assert module.split(tf.constant(data))["left"].numpy().tolist() == [[2.0, 2.0]] * 2
assert restored.split(tf.constant(data))["left"].numpy().tolist() == [[0.5, 0.5]] * 2

print("gg5_saved_slices: ok")
