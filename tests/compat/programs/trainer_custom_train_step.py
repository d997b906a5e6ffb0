# A custom train_step with compile(optimizer=...) only: the model computes its own loss,
# tracks its own metrics, and what train_step returns is what History records.
import numpy as np
import tensorflow as tf
from tensorflow import keras

keras.utils.set_random_seed(0)


class CustomModel(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(1)
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self.mae_metric = keras.metrics.MeanAbsoluteError(name="mae")

    def call(self, inputs):
        return self.dense(inputs)

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = tf.reduce_mean(tf.square(y - y_pred))
        gradients = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))
        self.loss_tracker.update_state(loss)
        self.mae_metric.update_state(y, y_pred)
        return {"loss": self.loss_tracker.result(), "mae": self.mae_metric.result()}

    @property
    def metrics(self):
        # listed here, so fit resets them at the start of each epoch
        return [self.loss_tracker, self.mae_metric]


rng = np.random.default_rng(0)
x = rng.standard_normal((256, 3)).astype("float32")
y = x @ np.array([[2.0], [-1.0], [0.5]], dtype="float32") + 1.0

model = CustomModel()
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1))
history = model.fit(x, y, epochs=6, batch_size=32, verbose=0)

assert sorted(history.history) == ["loss", "mae"]
losses = history.history["loss"]
assert losses[-1] < 0.01 * losses[0], losses
assert history.history["mae"][-1] < 0.1
w, b = model.dense.get_weights()
np.testing.assert_allclose(w[:, 0], [2.0, -1.0, 0.5], atol=0.05)
np.testing.assert_allclose(b, [1.0], atol=0.05)
