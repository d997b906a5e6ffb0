"""Gradient ascent on an input inside tf.function, as the DeepDream tutorial does it: a
tape opened in each step of a `for ... in tf.range(n)` loop (names first bound inside the
loop), a Module method whose input_signature has a defaulted parameter, and
preprocess_input applied to a tensor's .numpy()."""

import numpy as np
import tensorflow as tf

tf.random.set_seed(0)
net = tf.keras.Sequential(
    [
        tf.keras.Input((None, None, 3)),
        tf.keras.layers.Conv2D(4, 3, activation="relu", name="feat"),
        tf.keras.layers.GlobalAveragePooling2D(),
    ]
)


def activation_loss(image, model):
    return tf.reduce_mean(model(tf.expand_dims(image, 0)))


class Ascender(tf.Module):
    def __init__(self, model):
        self.model = model

    @tf.function(
        input_signature=(
            tf.TensorSpec([None, None, 3], tf.float32),
            tf.TensorSpec([], tf.int32),
            tf.TensorSpec([], tf.float32),
        )
    )
    def __call__(self, image, steps, rate=0.05):
        loss = tf.constant(0.0)
        for _ in tf.range(steps):
            with tf.GradientTape() as tape:
                tape.watch(image)
                loss = activation_loss(image, self.model)
            grads = tape.gradient(loss, image)
            grads /= tf.math.reduce_std(grads) + 1e-8
            image = tf.clip_by_value(image + grads * rate, -1.0, 1.0)
        return loss, image


rng = np.random.default_rng(1)
start = tf.constant(rng.uniform(-0.5, 0.5, (12, 10, 3)).astype("float32"))
ascend = Ascender(net)

# eager reference of the same steps
ref = start
for _ in range(3):
    with tf.GradientTape() as tape:
        tape.watch(ref)
        ref_loss = activation_loss(ref, net)
    g = tape.gradient(ref_loss, ref)
    g /= tf.math.reduce_std(g) + 1e-8
    ref = tf.clip_by_value(ref + g * 0.05, -1.0, 1.0)

loss, out = ascend(start, tf.constant(3))  # rate left out: its default
assert out.shape == (12, 10, 3) and out.dtype == tf.float32
np.testing.assert_allclose(out.numpy(), ref.numpy(), rtol=1e-4, atol=1e-5)
np.testing.assert_allclose(float(loss), float(ref_loss), rtol=1e-4)
assert float(tf.reduce_max(tf.abs(out))) <= 1.0

# zero steps: the loss it started with, the image unchanged
loss0, out0 = ascend(start, tf.constant(0), 0.5)
assert float(loss0) == 0.0
np.testing.assert_array_equal(out0.numpy(), start.numpy())

# too few arguments for parameters without defaults is a TypeError
try:
    ascend(start)
except TypeError:
    pass
else:
    raise AssertionError("expected a TypeError")


# a tensor first bound inside a tf.range loop keeps the last step's value after it
@tf.function
def last_square(n):
    for i in tf.range(n):
        sq = i * i
    return sq


assert int(last_square(tf.constant(5))) == 16

# preprocess_input scales a float array in place; a tensor's .numpy() works too
resized = tf.image.resize(tf.fill([8, 8, 3], 255.0), [4, 4])
pre = tf.keras.applications.inception_v3.preprocess_input(resized.numpy())
np.testing.assert_allclose(pre, np.ones((4, 4, 3)), atol=1e-6)

print("tutb_deepdream_loops OK")
