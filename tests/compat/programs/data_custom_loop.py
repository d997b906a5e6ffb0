"""A custom training loop over a Dataset: iterate, transform, GradientTape, apply_gradients."""

import numpy as np
import tensorflow as tf

tf.random.set_seed(3)
rng = np.random.default_rng(3)
x = rng.uniform(-1, 1, size=(256, 3)).astype("float32")
true_w = np.array([[2.0], [-1.0], [0.5]], dtype="float32")
y = x @ true_w + 0.25

dataset = tf.data.Dataset.from_tensor_slices((x, y))
dataset = dataset.map(lambda features, target: (features * 2.0, target))  # scale inputs
dataset = dataset.shuffle(256, seed=3).batch(32)

model = tf.keras.Sequential([tf.keras.Input(shape=(3,)), tf.keras.layers.Dense(1)])
optimizer = tf.keras.optimizers.SGD(learning_rate=0.1)
loss_fn = tf.keras.losses.MeanSquaredError()

losses = []
for epoch in range(30):
    total, batches = 0.0, 0
    for features, target in dataset:
        assert features.shape[1] == 3
        with tf.GradientTape() as tape:
            loss = loss_fn(target, model(features, training=True))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        total += float(loss)
        batches += 1
    assert batches == 8
    losses.append(total / batches)

assert losses[-1] < 1e-3, losses[-1]
kernel, bias = model.layers[0].get_weights()
np.testing.assert_allclose(kernel, true_w / 2.0, atol=0.02)
np.testing.assert_allclose(bias, [0.25], atol=0.02)

# Iterating by hand with an iterator.
iterator = iter(dataset)
first_x, first_y = next(iterator)
assert first_x.shape == (32, 3) and first_y.shape == (32, 1)
