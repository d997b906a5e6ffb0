"""add_loss inside call: the penalty is in model.losses after each forward pass, and trains."""

import numpy as np
import tensorflow as tf
from tensorflow import keras


class ActivityPenalty(keras.layers.Layer):
    def __init__(self, rate=1e-2, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate

    def call(self, inputs):
        self.add_loss(self.rate * tf.reduce_sum(tf.square(inputs)))
        return inputs


class Model(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = keras.layers.Dense(8, activation="relu")
        self.penalty = ActivityPenalty(0.1)
        self.out = keras.layers.Dense(1)

    def call(self, inputs):
        return self.out(self.penalty(self.hidden(inputs)))


keras.utils.set_random_seed(0)
model = Model()
x = np.random.default_rng(0).normal(size=(64, 4)).astype("float32")
y = x.sum(axis=1, keepdims=True)

model(x)
assert len(model.losses) == 1
hidden = model.hidden(x).numpy()
np.testing.assert_allclose(model.losses[0].numpy(), 0.1 * np.sum(hidden**2), rtol=1e-4)
model(x[:8])
assert len(model.losses) == 1  # replaced at each call, not accumulated
np.testing.assert_allclose(model.losses[0].numpy(), 0.1 * np.sum(hidden[:8] ** 2), rtol=1e-4)

# A custom training loop adds the penalties to the loss.
optimizer = keras.optimizers.SGD(0.01)
first = None
for step in range(40):
    with tf.GradientTape() as tape:
        prediction = model(x)
        mse = tf.reduce_mean(tf.square(prediction - y))
        penalty = sum(model.losses)
        loss = mse + penalty
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    first = float(loss) if first is None else first
assert float(loss) < first, (first, float(loss))

# In a functional model too.
inputs = keras.Input(shape=(4,))
outputs = keras.layers.Dense(1)(ActivityPenalty(0.5)(inputs))
functional = keras.Model(inputs, outputs)
functional(x[:2])
np.testing.assert_allclose(functional.losses[0].numpy(), 0.5 * np.sum(x[:2] ** 2), rtol=1e-5)
print("ok")
