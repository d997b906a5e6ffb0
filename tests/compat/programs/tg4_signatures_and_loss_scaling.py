"""The saved_model guide's signatures (a call's trace, then concrete functions of unknown
rank and of unknown length, saved and loaded) and the mixed_precision guide's custom loop
with a LossScaleOptimizer inside tf.function."""

import contextlib
import io
import os
import tempfile

import keras
import numpy as np
import tensorflow as tf

# -- how many times a module's function traces, and what each signature serves ------------
printed = io.StringIO()


def traces():
    return printed.getvalue().splitlines()


class Doubler(tf.Module):
    def __init__(self):
        super().__init__()
        self.factor = tf.Variable(2.0)

    @tf.function
    def __call__(self, x):
        print("Tracing with", x)
        return x * self.factor


mod = Doubler()
with contextlib.redirect_stdout(printed):  # print runs once per trace
    assert float(mod(tf.constant(1.5))) == 3.0
    assert traces() == ['Tracing with Tensor("x:0", shape=(), dtype=float32)'], traces()
    general = mod.__call__.get_concrete_function(tf.TensorSpec(None, tf.float32))
    assert traces()[1:] == ['Tracing with Tensor("x:0", dtype=float32)'], traces()
    narrower = mod.__call__.get_concrete_function(tf.TensorSpec([None], tf.float32))
    assert narrower is general and len(traces()) == 2  # the general trace serves it
    assert "shape=<unknown>" in repr(general.structured_input_signature[0][0])
    np.testing.assert_allclose(general(tf.constant([[1.0], [2.0]])).numpy(), [[2.0], [4.0]])
    assert float(mod(tf.constant(5.0))) == 10.0 and len(traces()) == 2

folder = os.path.join(tempfile.mkdtemp(), "doubler")
tf.saved_model.save(mod, folder, signatures={"serving_default": general, "vector": narrower})
loaded = tf.saved_model.load(folder)
assert sorted(loaded.signatures.keys()) == ["serving_default", "vector"]
out = loaded.signatures["vector"](x=tf.constant([1.0, 4.0]))
np.testing.assert_allclose(list(out.values())[0].numpy(), [2.0, 8.0])
np.testing.assert_allclose(loaded(tf.constant([3.0, 1.0, 0.5])).numpy(), [6.0, 2.0, 1.0])

# -- a loss-scaled custom loop inside tf.function ----------------------------------------
keras.utils.set_random_seed(4)
rng = np.random.default_rng(2)
features = rng.random((128, 6)).astype("float32")
labels = (features[:, :3].sum(1) > features[:, 3:].sum(1)).astype("int32")
keras.mixed_precision.set_global_policy("mixed_float16")
try:
    inputs = keras.Input((6,))
    hidden = keras.layers.Dense(16, activation="relu")(inputs)
    logits = keras.layers.Dense(2)(hidden)
    probs = keras.layers.Activation("softmax", dtype="float32")(logits)
    model = keras.Model(inputs, probs)
finally:
    keras.mixed_precision.set_global_policy("float32")
assert model.layers[1].compute_dtype == "float16" and model.layers[1].kernel.dtype == "float32"
assert probs.dtype == "float32"

opt = keras.mixed_precision.LossScaleOptimizer(keras.optimizers.Adam(0.01))
loss_fn = keras.losses.SparseCategoricalCrossentropy()
assert float(opt.scale_loss(tf.constant(1.0))) == 2.0**15


@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True))
        scaled = opt.scale_loss(loss)
    grads = tape.gradient(scaled, model.trainable_variables)
    opt.apply_gradients(zip(grads, model.trainable_variables))
    return loss


data = tf.data.Dataset.from_tensor_slices((features, labels)).batch(32)
losses = []
for _ in range(6):
    total = keras.metrics.Mean()
    for x, y in data:
        total.update_state(train_step(x, y))
    losses.append(float(total.result()))
assert losses[-1] < losses[0] * 0.9, losses
assert float(opt.dynamic_scale) == 2.0**15  # no overflow, fewer than 2000 steps: unchanged
assert int(opt.iterations) == 24
print("ok")
