"""kernel/bias/activity regularizers: their penalties in model.losses and in the training loss."""

import numpy as np
import tensorflow as tf
from tensorflow import keras

regularizers = keras.regularizers
x = np.arange(6.0, dtype="float32").reshape(2, 3)
np.testing.assert_allclose(float(regularizers.L1(0.1)(x)), 1.5, rtol=1e-6)
np.testing.assert_allclose(float(regularizers.L2(0.1)(x)), 5.5, rtol=1e-6)
np.testing.assert_allclose(float(regularizers.L1L2(l1=0.1, l2=0.2)(x)), 12.5, rtol=1e-6)
np.testing.assert_allclose(float(regularizers.l2(0.01)(x)), 0.55, rtol=1e-6)
assert regularizers.get("l2").get_config() == {"l2": 0.01}
config = regularizers.serialize(regularizers.L1L2(l1=0.25, l2=0.5))
assert config["class_name"] == "L1L2"
assert regularizers.deserialize(config).get_config() == {"l1": 0.25, "l2": 0.5}


class SumOfWeights(regularizers.Regularizer):
    def __init__(self, strength):
        self.strength = strength

    def __call__(self, weights):
        return self.strength * tf.reduce_sum(weights)

    def get_config(self):
        return {"strength": self.strength}


keras.utils.set_random_seed(0)
inputs = keras.Input(shape=(4,))
dense = keras.layers.Dense(
    3,
    kernel_initializer="ones",
    kernel_regularizer=regularizers.l2(0.01),
    bias_regularizer=regularizers.l1(0.1),
    activity_regularizer=regularizers.L1(0.01),
)
custom = keras.layers.Dense(1, kernel_initializer="ones", kernel_regularizer=SumOfWeights(0.5))
model = keras.Model(inputs, custom(dense(inputs)))

penalties = sorted(float(v) for v in model.losses)  # weight penalties, before any call
np.testing.assert_allclose(penalties, sorted([0.01 * 12.0, 0.0, 0.5 * 3.0]), rtol=1e-6)

batch = np.ones((2, 4), dtype="float32")
activations = dense(batch).numpy()
model(batch)
assert len(model.losses) == 4  # + the activity penalty of this forward pass
activity = 0.01 * np.abs(activations).sum() / 2  # divided by the batch size, as Keras 3
assert any(np.isclose(float(v), activity, rtol=1e-5) for v in model.losses)

# Training with a strong L2 penalty shrinks the weights more than training without one.
rng = np.random.default_rng(0)
data = rng.normal(size=(64, 4)).astype("float32")
target = rng.normal(size=(64, 1)).astype("float32")


def trained_norm(regularizer):
    keras.utils.set_random_seed(1)
    net = keras.Sequential(
        [keras.Input(shape=(4,)), keras.layers.Dense(1, kernel_regularizer=regularizer)]
    )
    net.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
    net.fit(data, target, epochs=20, batch_size=64, verbose=0)
    return float(np.sum(net.layers[0].kernel.numpy() ** 2))


assert trained_norm(regularizers.l2(1.0)) < trained_norm(None)
print("ok")
