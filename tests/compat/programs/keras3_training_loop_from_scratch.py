"""Writing a training loop from scratch (Keras 3 guide, TensorFlow backend): data drawn
with keras.random and a SeedGenerator, a model, an optimizer, a loss and metrics, an
eager step and a tf.function step, then a plain linear regression in keras.ops."""

import keras
import numpy as np
import tensorflow as tf
from keras import layers, ops

keras.utils.set_random_seed(42)
seed = keras.random.SeedGenerator(7)

# A two-class problem: label = whether the sum of the features is positive.
x_all = keras.random.normal((512, 8), seed=seed)
y_all = ops.cast(ops.sum(x_all, axis=1) > 0, "int32")
again = keras.random.normal((4,), seed=keras.random.SeedGenerator(7))
np.testing.assert_allclose(ops.convert_to_numpy(again), ops.convert_to_numpy(x_all)[0, :4])

dataset = tf.data.Dataset.from_tensor_slices((x_all, y_all)).batch(64)

inputs = keras.Input(shape=(8,), name="features")
x = layers.Dense(16, activation="relu")(inputs)
outputs = layers.Dense(2, name="predictions")(x)
model = keras.Model(inputs=inputs, outputs=outputs)

optimizer = keras.optimizers.Adam(learning_rate=1e-2)
loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
train_acc_metric = keras.metrics.SparseCategoricalAccuracy()


def train_step_eager(x, y):
    with tf.GradientTape() as tape:
        logits = model(x, training=True)
        loss_value = loss_fn(y, logits)
    grads = tape.gradient(loss_value, model.trainable_weights)
    optimizer.apply_gradients(zip(grads, model.trainable_weights))
    train_acc_metric.update_state(y, logits)
    return loss_value


@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        logits = model(x, training=True)
        loss_value = loss_fn(y, logits)
    grads = tape.gradient(loss_value, model.trainable_weights)
    optimizer.apply_gradients(zip(grads, model.trainable_weights))
    train_acc_metric.update_state(y, logits)
    return loss_value


epoch_losses = []
for epoch in range(6):
    step_fn = train_step_eager if epoch == 0 else train_step
    losses = [float(step_fn(xb, yb)) for xb, yb in dataset]
    epoch_losses.append(np.mean(losses))
    acc = float(train_acc_metric.result())
    train_acc_metric.reset_state()

assert epoch_losses[-1] < epoch_losses[0] * 0.6, epoch_losses
assert acc > 0.9, acc
assert int(optimizer.iterations) == 6 * 8

# The same model's predictions agree with keras.ops written by hand.
w1, b1, w2, b2 = [v.numpy() for v in model.weights]
manual = ops.matmul(ops.relu(ops.matmul(x_all[:5], w1) + b1), w2) + b2
np.testing.assert_allclose(
    ops.convert_to_numpy(manual), ops.convert_to_numpy(model(x_all[:5])), rtol=1e-5, atol=1e-5
)

# Linear regression from scratch: keras.Variable, keras.ops and a GradientTape.
true_w = np.array([[2.0], [-3.0]], dtype="float32")
features = keras.random.uniform((200, 2), minval=-1.0, maxval=1.0, seed=seed)
targets = ops.matmul(features, true_w) + 0.5
w = keras.Variable(keras.initializers.Zeros(), shape=(2, 1), name="w")
b = keras.Variable(0.0, name="b")
sgd = keras.optimizers.SGD(learning_rate=0.5)
for _ in range(100):
    with tf.GradientTape() as tape:
        predictions = ops.matmul(features, w) + b
        loss = ops.mean(ops.square(predictions - targets))
    sgd.apply_gradients(zip(tape.gradient(loss, [w, b]), [w, b]))
np.testing.assert_allclose(w.numpy(), true_w, atol=1e-3)
np.testing.assert_allclose(float(b.numpy()), 0.5, atol=1e-3)
assert float(loss) < 1e-5

# A loop written with ops.fori_loop: five Newton steps for sqrt(2).
root = ops.fori_loop(0, 5, lambda i, r: 0.5 * (r + 2.0 / r), ops.convert_to_tensor(1.0))
np.testing.assert_allclose(float(root), np.sqrt(2.0), rtol=1e-6)
print("keras3_training_loop_from_scratch: ok", [round(float(v), 4) for v in epoch_losses])
