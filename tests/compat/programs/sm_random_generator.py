"""A SavedModel whose functions draw from a tf.random.Generator: the loaded functions
continue the saved generator's stream, and saving draws nothing."""

import tempfile

import numpy as np
import tensorflow as tf


class Augmenter(tf.Module):
    def __init__(self):
        super().__init__()
        self.rng = tf.random.Generator.from_seed(11)

    @tf.function
    def noise(self):
        return self.rng.normal([4])

    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def jitter(self, values):
        return values + self.rng.uniform(tf.shape(values), minval=0.0, maxval=0.25)


module = Augmenter()
start = module.rng.state.numpy().copy()
path = tempfile.mkdtemp()
tf.saved_model.save(module, path)
np.testing.assert_array_equal(module.rng.state.numpy(), start)

restored = tf.saved_model.load(path)
first = restored.noise()
assert first.shape == (4,) and first.dtype == tf.float32
second = restored.noise()
assert not np.array_equal(first.numpy(), second.numpy())
# the original, from the same state, makes the same numbers
np.testing.assert_allclose(module.noise().numpy(), first.numpy())
np.testing.assert_allclose(module.noise().numpy(), second.numpy())
# the restored generator state moved on, the saved files did not
assert not np.array_equal(restored.rng._state_var.numpy(), start)
again = tf.saved_model.load(path)
np.testing.assert_allclose(again.noise().numpy(), first.numpy())

values = tf.constant([0.0, 1.0, 2.0, 3.0, 4.0])
moved = restored.jitter(values).numpy()
assert moved.shape == (5,)
assert np.all(moved >= values.numpy()) and np.all(moved < values.numpy() + 0.25)
# two tf.functions with a signature (noise takes no arguments): no default signature
assert len(restored.signatures) == 0
tf.saved_model.save(module, path + "/served", signatures={"jitter": module.jitter})
served = tf.saved_model.load(path + "/served").signatures["jitter"](values=values[:3])
served = served["output_0"].numpy()
assert served.shape == (3,)
assert np.all(served >= values.numpy()[:3]) and np.all(served < values.numpy()[:3] + 0.25)
print("ok")
