"""Save a checkpoint every epoch, 'crash', load the last one and continue from its epoch."""

import os

import numpy as np
import tensorflow as tf

tf.random.set_seed(1)
rng = np.random.default_rng(1)
x = rng.normal(size=(128, 6)).astype("float32")
y = rng.integers(0, 3, size=128)


def build():
    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(6,)),
            tf.keras.layers.Dense(16, activation="relu"),
            tf.keras.layers.Dropout(0.25),
            tf.keras.layers.Dense(3, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


model = build()
save = tf.keras.callbacks.ModelCheckpoint("ckpt-{epoch:02d}.keras")
model.fit(x, y, batch_size=32, epochs=3, verbose=0, callbacks=[save])
assert sorted(f for f in os.listdir(".") if f.startswith("ckpt-")) == [
    "ckpt-01.keras",
    "ckpt-02.keras",
    "ckpt-03.keras",
]

# the process "crashed" after epoch 2: resume from that file
restored = tf.keras.models.load_model("ckpt-02.keras")
reference = tf.keras.models.load_model("ckpt-02.keras")
np.testing.assert_allclose(
    restored.predict(x, verbose=0), reference.predict(x, verbose=0), rtol=1e-6, atol=1e-6
)
history = restored.fit(x, y, batch_size=32, epochs=5, initial_epoch=2, verbose=0)
assert history.epoch == [2, 3, 4], history.epoch
assert np.all(np.isfinite(history.history["loss"]))
# training went on from the saved optimizer state, not from scratch
assert int(restored.optimizer.iterations) == 5 * 4
print("ok")
