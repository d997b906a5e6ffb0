"""A compiled forward pass inside a custom training loop: tf.function traces once, also
when called under a GradientTape, and its gradients equal the eager ones."""

import numpy as np
import tensorflow as tf

tf.random.set_seed(1)
model = tf.keras.Sequential(
    [tf.keras.Input((3,)), tf.keras.layers.Dense(6, activation="relu"), tf.keras.layers.Dense(2)]
)
loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
side_effects = []


@tf.function
def compiled_loss(features, labels):
    side_effects.append("traced")
    return loss_fn(labels, model(features, training=True))


features = tf.constant(np.random.default_rng(0).normal(size=(12, 3)).astype("float32"))
labels = tf.constant([0, 1] * 6)
optimizer = tf.keras.optimizers.SGD(0.1)
losses = []
for step in range(4):
    with tf.GradientTape() as tape:
        loss = compiled_loss(features, labels)
    grads = tape.gradient(loss, model.trainable_variables)
    with tf.GradientTape() as tape:
        eager_loss = loss_fn(labels, model(features, training=True))
    eager_grads = tape.gradient(eager_loss, model.trainable_variables)
    np.testing.assert_allclose(loss.numpy(), eager_loss.numpy(), rtol=1e-5)
    for g, e in zip(grads, eager_grads):
        np.testing.assert_allclose(g.numpy(), e.numpy(), rtol=1e-4, atol=1e-6)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    losses.append(float(loss))
assert losses[-1] < losses[0], losses
assert compiled_loss.experimental_get_tracing_count() == 1
assert side_effects == ["traced"], side_effects

# several outputs, one of them an integer; two calls recorded before the gradient
scale = tf.Variable(2.0)


@tf.function
def stats(x):
    return {"scaled": x * scale, "count": tf.size(x), "cubes": tf.reduce_sum(x**3)}


a, b = tf.constant([1.0, 2.0]), tf.constant([3.0, -1.0])
with tf.GradientTape() as tape:
    tape.watch([a, b])
    first, second = stats(a), stats(b)
    total = first["scaled"][1] + first["cubes"] + 2.0 * second["cubes"]
assert first["count"].dtype == tf.int32 and int(first["count"]) == 2
assert [v.name for v in tape.watched_variables()] == [scale.name]
grad_a, grad_b, grad_scale = tape.gradient(total, [a, b, scale])
np.testing.assert_allclose(grad_a.numpy(), [3.0, 14.0])
np.testing.assert_allclose(grad_b.numpy(), [54.0, 6.0])
np.testing.assert_allclose(grad_scale.numpy(), 2.0)

# an output that does not depend on an input of the function: a zero gradient, not None
with tf.GradientTape() as tape:
    tape.watch(a)
    first = stats(a)
grad_scale = tape.gradient(first["cubes"], scale)
assert grad_scale is not None and float(grad_scale) == 0.0

# a persistent tape differentiating a gradient it recorded
with tf.GradientTape(persistent=True) as tape:
    tape.watch(a)
    cubes = stats(a)["cubes"]
    grad = tape.gradient(cubes, a)
np.testing.assert_allclose(grad.numpy(), [3.0, 12.0])
np.testing.assert_allclose(tape.gradient(grad, a).numpy(), [6.0, 12.0])
del tape

# a second derivative through the compiled function (nested tapes)
cube = tf.function(lambda x: x**3)
x = tf.constant(1.5)
with tf.GradientTape() as outer:
    outer.watch(x)
    with tf.GradientTape() as inner:
        inner.watch(x)
        y = cube(x)
    dy = inner.gradient(y, x)
np.testing.assert_allclose(dy.numpy(), 6.75)
np.testing.assert_allclose(outer.gradient(dy, x).numpy(), 9.0)

# autograph control flow in the body: each call differentiates the branch it took
weights = tf.Variable([1.0, -2.0])


@tf.function
def branchy(v):
    if tf.reduce_sum(v) > 0:
        out = v * weights
    else:
        out = v * weights * 3.0
    return tf.reduce_sum(out)


for sign, want in ((1.0, [1.0, 2.0]), (-1.0, [-3.0, -6.0])):
    with tf.GradientTape() as tape:
        value = branchy(tf.constant([1.0, 2.0]) * sign)
    np.testing.assert_allclose(tape.gradient(value, weights).numpy(), want)
assert branchy.experimental_get_tracing_count() == 1
print("ok")
