"""Data augmentation layers inside a small CNN (the "Data augmentation" tutorial's way):
random flips, rotations, zooms, translations and contrast run during fit and are identity
in predict."""

import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(42)

# Synthetic images: a bright vertical or horizontal bar (class 1 / class 0) on noise.
n = 64
rng = np.random.default_rng(0)
x = rng.random((n, 16, 16, 3)).astype("float32") * 0.2
y = np.arange(n) % 2
for i in range(n):
    pos = rng.integers(4, 12)
    if y[i]:
        x[i, :, pos - 1 : pos + 1] += 0.8
    else:
        x[i, pos - 1 : pos + 1, :] += 0.8

data_augmentation = tf.keras.Sequential(
    [
        tf.keras.layers.RandomFlip("horizontal_and_vertical", seed=1),
        tf.keras.layers.RandomRotation(0.02, fill_mode="reflect", seed=2),
        tf.keras.layers.RandomZoom(0.1, fill_mode="nearest", seed=3),
        tf.keras.layers.RandomTranslation(0.1, 0.1, fill_mode="constant", seed=4),
        tf.keras.layers.RandomContrast(0.2, value_range=(0, 1), seed=5),
    ],
    name="augment",
)

# augmentation changes images only when training
batch = x[:8]
assert np.array_equal(data_augmentation(batch, training=False).numpy(), batch)
augmented = data_augmentation(batch, training=True).numpy()
assert augmented.shape == batch.shape and not np.allclose(augmented, batch)

model = tf.keras.Sequential(
    [
        tf.keras.Input(shape=(16, 16, 3)),
        data_augmentation,
        tf.keras.layers.Rescaling(2.0, offset=-1.0),
        tf.keras.layers.Conv2D(8, 3, padding="same", activation="relu"),
        tf.keras.layers.MaxPooling2D(),
        tf.keras.layers.Conv2D(8, 3, padding="same", activation="relu"),
        tf.keras.layers.GlobalAveragePooling2D(),
        tf.keras.layers.Dense(2),
    ]
)
model.compile(
    optimizer=tf.keras.optimizers.Adam(0.01),
    loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
history = model.fit(x, y, epochs=10, batch_size=16, verbose=0)
losses = history.history["loss"]
assert losses[-1] < losses[0], losses

# predict does not augment: two calls agree exactly
p1 = model.predict(x, verbose=0)
p2 = model.predict(x, verbose=0)
np.testing.assert_array_equal(p1, p2)
loss, acc = model.evaluate(x, y, verbose=0)
assert acc > 0.8, (loss, acc)

# the augmentation layers serialize with the model
config = model.get_config()
rebuilt = tf.keras.Sequential.from_config(config)
kinds = [type(layer).__name__ for layer in rebuilt.layers[0].layers]
assert kinds == [
    "RandomFlip",
    "RandomRotation",
    "RandomZoom",
    "RandomTranslation",
    "RandomContrast",
], kinds
assert rebuilt.layers[0].layers[1].get_config()["factor"] == (-0.02, 0.02)
print("ok")
