# The Keras 3 guide's custom train_step: compute_loss for the compiled loss, self.metrics
# for the compiled metrics (the loss tracker first), and the result dict for History.
import numpy as np
import tensorflow as tf
from tensorflow import keras

keras.utils.set_random_seed(5)


class CustomModel(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = keras.layers.Dense(16, activation="relu")
        self.out = keras.layers.Dense(3, activation="softmax")

    def call(self, inputs):
        return self.out(self.hidden(inputs))

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(y=y, y_pred=y_pred)
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}


rng = np.random.default_rng(5)
x = rng.standard_normal((300, 4)).astype("float32")
y = (x[:, 0] > 0).astype("int32") + (x[:, 1] > 0).astype("int32")

model = CustomModel()
model.compile(
    optimizer=keras.optimizers.Adam(0.01),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
history = model.fit(x, y, epochs=12, batch_size=30, verbose=0)
assert sorted(history.history) == ["accuracy", "loss"], sorted(history.history)
assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
assert history.history["accuracy"][-1] > 0.85
assert model.metrics[0].name == "loss"
logs = model.evaluate(x, y, verbose=0, return_dict=True)
assert sorted(logs) == ["accuracy", "loss"]
assert abs(logs["accuracy"] - np.mean(model.predict(x, verbose=0).argmax(1) == y)) < 1e-6
