"""Train a classifier from a tf.data pipeline: fit, evaluate and predict on Datasets."""

import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
x = rng.normal(size=(512, 8)).astype("float32")
y = (x[:, 0] + x[:, 1] > 0).astype("int64")

train = (
    tf.data.Dataset.from_tensor_slices((x[:384], y[:384]))
    .shuffle(384, seed=1)
    .batch(32)
    .prefetch(tf.data.AUTOTUNE)
)
val = tf.data.Dataset.from_tensor_slices((x[384:], y[384:])).batch(64)

model = tf.keras.Sequential(
    [
        tf.keras.Input(shape=(8,)),
        tf.keras.layers.Dense(16, activation="relu"),
        tf.keras.layers.Dense(2),
    ]
)
model.compile(
    optimizer=tf.keras.optimizers.Adam(0.01),
    loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
history = model.fit(train, epochs=10, validation_data=val, verbose=0)
assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
assert len(history.history["loss"]) == 10
assert history.history["loss"][-1] < history.history["loss"][0]

loss, accuracy = model.evaluate(val, verbose=0)
assert accuracy > 0.9, accuracy
logits = model.predict(val.map(lambda features, label: features), verbose=0)
assert logits.shape == (128, 2)
assert np.mean(np.argmax(logits, axis=1) == y[384:]) > 0.9

# An endless dataset needs steps_per_epoch.
history = model.fit(train.repeat(), steps_per_epoch=5, epochs=2, verbose=0)
assert len(history.history["loss"]) == 2
