"""The GPU set-up many TensorFlow 2 scripts start with (ConfigProto, allow_growth, a v1
Session), then ordinary eager Keras training."""

import numpy as np
import tensorflow as tf

config = tf.compat.v1.ConfigProto()
config.gpu_options.allow_growth = True
config.allow_soft_placement = True
config.log_device_placement = False
session = tf.compat.v1.Session(config=config)
assert tf.executing_eagerly()
assert "allow_growth: true" in str(config)

gpus = tf.config.list_physical_devices("GPU")
for gpu in gpus:
    tf.config.experimental.set_memory_growth(gpu, True)

tf.compat.v1.set_random_seed(0)
tf.keras.utils.set_random_seed(0)
x = np.random.default_rng(0).normal(size=(256, 4)).astype("float32")
y = (x @ np.array([1.0, -2.0, 0.5, 3.0], "float32") + 0.5)[:, None]
model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(1)])
model.compile(optimizer=tf.keras.optimizers.Adam(0.1), loss="mse")
model.fit(x, y, epochs=40, batch_size=32, verbose=0)
loss = model.evaluate(x, y, verbose=0)
print("loss", loss)
assert loss < 0.01, loss

session.close()
tf.compat.v1.reset_default_graph()
