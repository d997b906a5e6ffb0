# TF checkpoint guide topic with a compiled Keras model: tf.train.Checkpoint(model=model)
# saves the model's optimizer with it, so a resumed run continues its step count and slots.
import os
import tempfile

import numpy as np
import tensorflow as tf


def compiled_model():
    model = tf.keras.Sequential(
        [
            tf.keras.Input((5,)),
            tf.keras.layers.Dense(6, activation="relu"),
            tf.keras.layers.Dense(1),
        ]
    )
    model.compile(optimizer=tf.keras.optimizers.Adam(0.01), loss="mse")
    return model


rng = np.random.default_rng(0)
x = rng.normal(size=(32, 5)).astype("float32")
y = x.sum(axis=1, keepdims=True)

model = compiled_model()
model.fit(x, y, batch_size=8, epochs=2, verbose=0)
assert int(model.optimizer.iterations) == 8

directory = tempfile.mkdtemp()
manager = tf.train.CheckpointManager(tf.train.Checkpoint(model=model), directory, max_to_keep=1)
path = manager.save()
names = [name for name, _ in tf.train.list_variables(path)]
assert any(name.startswith("model/optimizer/") for name in names), names
assert os.path.basename(path) == "ckpt-1"

# A fresh model restores before its optimizer has made its slots; they arrive when it does.
resumed = compiled_model()
tf.train.Checkpoint(model=resumed).restore(tf.train.latest_checkpoint(directory))
resumed.fit(x, y, batch_size=8, epochs=1, verbose=0, shuffle=False)
model.fit(x, y, batch_size=8, epochs=1, verbose=0, shuffle=False)
assert int(resumed.optimizer.iterations) == int(model.optimizer.iterations) == 12
np.testing.assert_allclose(
    resumed.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-5, atol=1e-6
)
print("ok")
