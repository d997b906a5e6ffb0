"""Keras 3's colour and tone augmentation layers, the "Data augmentation" tutorial way: a
Sequential augmentation block (RandomColorJitter, RandomGrayscale, RandomSharpness ...) in
a tf.data pipeline and in a model, with the closed forms each layer must obey where its draw
is fixed (grayscale luma, inversion, solarization, posterization, auto-contrast,
equalization)."""

import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(7)
L = tf.keras.layers
rng = np.random.default_rng(0)
images = (rng.random((32, 16, 16, 3)) * 255).astype("float32")
labels = (images[..., 0].mean(axis=(1, 2)) > images[..., 2].mean(axis=(1, 2))).astype("int32")

# -- closed forms: draws pinned with (v, v) factors --
gray = L.RandomGrayscale(factor=1.0)(images[:4]).numpy()
luma = images[:4] @ np.array([0.2989, 0.587, 0.114], "float32")
assert gray.shape == (4, 16, 16, 3)  # the three channels are kept
np.testing.assert_allclose(gray, np.repeat(luma[..., None], 3, axis=-1), rtol=1e-4)
np.testing.assert_allclose(L.RandomInvert(factor=(1.0, 1.0))(images[:4]), 255 - images[:4])
# Solarization's default threshold (0) inverts every value; value_range rescales
np.testing.assert_allclose(L.Solarization()(images[:4]), 255 - images[:4], atol=1e-3)
x01 = images[:4] / 255.0
np.testing.assert_allclose(L.Solarization(value_range=(0, 1))(x01), 1 - x01, atol=1e-5)
poster = L.RandomPosterization(factor=(3, 3))(images[:4]).numpy()
np.testing.assert_array_equal(poster, np.floor(images[:4] / 32) * 32)  # 3 bits kept
np.testing.assert_allclose(L.RandomHue(0.0)(images[:4]), images[:4], atol=1e-2)
np.testing.assert_allclose(L.RandomSaturation((0.5, 0.5))(images[:4]), images[:4], atol=1e-2)
np.testing.assert_allclose(L.RandomSharpness((0.5, 0.5))(images[:4]), images[:4], atol=1e-3)
gray_sat = L.RandomSaturation((0.0, 0.0))(images[:4]).numpy()  # S = 0: every channel is V
np.testing.assert_allclose(gray_sat, np.repeat(images[:4].max(-1, keepdims=True), 3, -1))
degenerate = L.RandomColorDegeneration((1.0, 1.0))(images[:4]).numpy()
np.testing.assert_allclose(degenerate, gray, rtol=1e-4)

# AutoContrast stretches each channel to the full range, in inference too
dim = images[:4] * 0.25 + 60
stretched = L.AutoContrast()(dim, training=False).numpy()
np.testing.assert_allclose(stretched.min(axis=(1, 2)), 0.0, atol=1e-3)
np.testing.assert_allclose(stretched.max(axis=(1, 2)), 255.0, atol=1e-3)
# Equalization: a dark ramp spreads over 0..255; identity at inference
ramp = np.linspace(0, 50, 64, dtype="float32").reshape(1, 8, 8, 1)
equalized = L.Equalization()(ramp).numpy()
assert equalized.min() == 0.0 and equalized.max() == 255.0
assert len(np.unique(equalized)) > 32
np.testing.assert_array_equal(L.Equalization()(ramp, training=False), ramp)

# CLAHE: tile-wise equalization raises the contrast of a dull image, keeping its dtype
clahe = L.ContrastLimitedAdaptiveHistogramEqualization(clip_limit=3.0, tile_grid_size=(4, 4))
dull = (images[:2] * 0.2 + 100).astype("uint8")
enhanced = clahe(dull)
assert enhanced.dtype == tf.uint8 and enhanced.shape == dull.shape
assert np.asarray(enhanced).astype("float32").std() > 1.5 * dull.std()  # 24.3 vs 14.8

# -- an augmentation block: random while training, identity otherwise --
augment = tf.keras.Sequential(
    [
        L.RandomColorJitter(
            value_range=(0, 255),
            brightness_factor=0.2,
            contrast_factor=0.2,
            saturation_factor=(0.4, 0.6),
            hue_factor=0.1,
            seed=1,
        ),
        L.RandomGrayscale(factor=0.2, seed=2),
        L.RandomSharpness(factor=0.3, seed=3),
        L.RandomColorDegeneration(factor=0.2, seed=4),
    ],
    name="color_augment",
)
batch = images[:8]
assert np.array_equal(augment(batch, training=False).numpy(), batch)
once, twice = augment(batch, training=True).numpy(), augment(batch, training=True).numpy()
assert once.shape == batch.shape and not np.allclose(once, twice)
assert once.min() >= -1e-3 and once.max() <= 255 + 1e-3  # each layer clips to value_range

# in a tf.data pipeline (the tutorial's "apply it to the dataset" option)
ds = tf.data.Dataset.from_tensor_slices((images, labels)).batch(8)
ds = ds.map(lambda x, y: (augment(x, training=True), y))
seen = 0
for x, y in ds:
    assert x.shape == (8, 16, 16, 3) and x.dtype == tf.float32
    seen += int(x.shape[0])
assert seen == 32

# and inside the model (the "make it part of the model" option), under tf.function
model = tf.keras.Sequential(
    [
        tf.keras.Input((16, 16, 3)),
        augment,
        L.Rescaling(1 / 255.0),
        L.Conv2D(4, 3, activation="relu"),
        L.GlobalAveragePooling2D(),
        L.Dense(2),
    ]
)
model.compile(
    optimizer="adam", loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
)
history = model.fit(images, labels, epochs=2, batch_size=8, verbose=0)
assert len(history.history["loss"]) == 2 and np.isfinite(history.history["loss"]).all()
first = model.predict(images, verbose=0)
np.testing.assert_allclose(model.predict(images, verbose=0), first)  # no augmentation

step = tf.function(lambda x: augment(x, training=True))
assert not np.allclose(step(batch).numpy(), step(batch).numpy())  # fresh draws per call

# a config round trip keeps every argument
config = L.RandomColorJitter(brightness_factor=0.1, hue_factor=0.2, seed=3).get_config()
restored = L.RandomColorJitter.from_config(config)
assert restored.get_config()["hue_factor"] == 0.2 and restored.get_config()["seed"] == 3
print("colour augmentation ok")
