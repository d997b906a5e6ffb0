# A custom test_step: evaluate() (and the validation in fit) report what it returns.
import numpy as np
import tensorflow as tf
from tensorflow import keras

keras.utils.set_random_seed(1)


class Regressor(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(1)
        self.max_error = keras.metrics.Mean(name="max_error")

    def call(self, inputs):
        return self.dense(inputs)

    def test_step(self, data):
        x, y = data
        y_pred = self(x, training=False)
        self.max_error.update_state(tf.reduce_max(tf.abs(y - y_pred)))
        return {"max_error": self.max_error.result()}


rng = np.random.default_rng(1)
x = rng.standard_normal((64, 2)).astype("float32")
y = (x[:, :1] - 2.0 * x[:, 1:]).astype("float32")

model = Regressor()
model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
history = model.fit(x, y, epochs=3, batch_size=16, verbose=0, validation_data=(x, y))
assert "val_max_error" in history.history and "loss" in history.history

result = model.evaluate(x, y, batch_size=64, verbose=0, return_dict=True)
assert list(result) == ["max_error"], result
expected = np.max(np.abs(y - model.predict(x, verbose=0)))
np.testing.assert_allclose(result["max_error"], expected, rtol=1e-5)
