"""ImageDataGenerator on in-memory images: flow, fit statistics, flips, training with fit."""

import numpy as np
import tensorflow as tf
from tensorflow.keras.preprocessing.image import ImageDataGenerator

rng = np.random.RandomState(0)
x = rng.randint(0, 256, size=(12, 8, 8, 3)).astype("float32")
y = tf.keras.utils.to_categorical(np.arange(12) % 2, 2)

# featurewise statistics come from fit(); standardize applies them
gen = ImageDataGenerator(featurewise_center=True, featurewise_std_normalization=True)
gen.fit(x)
np.testing.assert_allclose(gen.mean.reshape(-1), x.mean(axis=(0, 1, 2)), rtol=1e-5)
np.testing.assert_allclose(gen.std.reshape(-1), x.std(axis=(0, 1, 2)), rtol=1e-4)
batch = next(iter(gen.flow(x, y, batch_size=12, shuffle=False)))
np.testing.assert_allclose(batch[0].mean(axis=(0, 1, 2)), 0.0, atol=1e-4)
np.testing.assert_allclose(batch[0].std(axis=(0, 1, 2)), 1.0, atol=1e-3)

# deterministic transforms
plain = ImageDataGenerator(rescale=1.0 / 255)
flipped = plain.apply_transform(x[0], {"flip_horizontal": True})
np.testing.assert_array_equal(flipped, x[0][:, ::-1, :])
shifted = plain.apply_transform(x[0], {"channel_shift_intensity": 10.0})
np.testing.assert_array_equal(shifted, np.clip(x[0] + 10, x[0].min(), x[0].max()))
it = plain.flow(x, y, batch_size=5, shuffle=False)
assert len(it) == 3
bx, by = it[2]
assert bx.shape == (2, 8, 8, 3) and by.shape == (2, 2)
np.testing.assert_allclose(bx, x[10:] / 255, rtol=1e-6)

# random flips with a seed: every image is either itself or its mirror image
aug = ImageDataGenerator(
    horizontal_flip=True, vertical_flip=True, rescale=1.0 / 255, validation_split=0.25
)
train = aug.flow(x, y, batch_size=4, seed=3, subset="training")
val = aug.flow(x, y, batch_size=4, seed=3, subset="validation")
assert train.n == 9 and val.n == 3
for bx, by in (train[0], train[1]):
    for img in bx:
        candidates = [src / 255 for src in x[3:]]
        assert any(
            np.allclose(img, c[r, k])
            for c in candidates
            for r in (slice(None), slice(None, None, -1))
            for k in (slice(None), slice(None, None, -1))
        )

model = tf.keras.Sequential(
    [
        tf.keras.Input((8, 8, 3)),
        tf.keras.layers.Conv2D(4, 3, activation="relu"),
        tf.keras.layers.GlobalAveragePooling2D(),
        tf.keras.layers.Dense(2, activation="softmax"),
    ]
)
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
history = model.fit(train, validation_data=val, epochs=2, verbose=0)
assert len(history.history["loss"]) == 2 and "val_loss" in history.history
assert np.isfinite(history.history["loss"]).all()
print("ok")
