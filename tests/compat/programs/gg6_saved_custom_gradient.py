"""A custom gradient inside a saved tf.function: gradients through the reloaded function
are the custom ones (TensorFlow saves custom gradients by default)."""

import tempfile

import numpy as np
import tensorflow as tf


@tf.custom_gradient
def softplus_with_own_gradient(x):
    ex = tf.exp(x)

    def backward(upstream):
        return upstream * ex / (1.0 + ex)

    return tf.math.log(1.0 + ex), backward


@tf.custom_gradient
def halved_gradient(x):
    return tf.identity(x), lambda upstream: upstream * 0.5


class Scorer(tf.Module):
    def __init__(self):
        super().__init__()
        self.scale = tf.Variable([1.0, -0.5])

    @tf.function(input_signature=[tf.TensorSpec([None, 2], tf.float32)])
    def score(self, x):
        return tf.reduce_sum(softplus_with_own_gradient(x * self.scale) + halved_gradient(x))


scorer = Scorer()
export_dir = tempfile.mkdtemp()
tf.saved_model.save(scorer, export_dir)
restored = tf.saved_model.load(export_dir)

for rows in (1, 3):
    x = tf.reshape(tf.range(2 * rows, dtype=tf.float32), (rows, 2)) * 0.25
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        before = scorer.score(x)
        after = restored.score(x)
    np.testing.assert_allclose(after.numpy(), before.numpy(), rtol=1e-6)
    grad_before = tape.gradient(before, x).numpy()
    grad_after = tape.gradient(after, x).numpy()
    np.testing.assert_allclose(grad_after, grad_before, rtol=1e-6)
    scale = scorer.scale.numpy()
    expected = 0.5 + scale / (1.0 + np.exp(-x.numpy() * scale))
    np.testing.assert_allclose(grad_after, expected, rtol=1e-5)
    np.testing.assert_allclose(
        tape.gradient(after, restored.scale).numpy(),
        tape.gradient(before, scorer.scale).numpy(),
        rtol=1e-6,
    )
print("ok")
