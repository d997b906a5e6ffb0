"""Image + mask augmentation for segmentation with Keras 3's dict inputs: one call moves
the images and their ``segmentation_masks`` together (flip, rotation, zoom, translation,
shear, crop), colour layers change only the images, and the pairs train a tiny fully
convolutional model."""

import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(5)
L = tf.keras.layers
rng = np.random.default_rng(2)
n, size = 16, 16
masks = np.zeros((n, size, size, 1), "float32")
for i in range(n):  # one bright square per image; the mask marks it
    top, left = rng.integers(0, size - 6, 2)
    masks[i, top : top + 6, left : left + 6] = 1.0
images = (masks * 200 + rng.random((n, size, size, 3)) * 40).astype("float32")

# a mask that is the images' first channel follows every geometric transform exactly
probe = np.concatenate([masks * 255] * 3, axis=-1)
for layer in [
    L.RandomFlip("horizontal_and_vertical", seed=1),
    L.RandomRotation(0.25, fill_mode="constant", interpolation="nearest", seed=2),
    L.RandomZoom(0.3, fill_mode="constant", interpolation="nearest", seed=3),
    L.RandomTranslation(0.2, 0.2, fill_mode="constant", interpolation="nearest", seed=4),
    L.RandomShear(0.2, 0.2, fill_mode="constant", interpolation="nearest", seed=5),
    L.RandomCrop(12, 12, seed=6),
]:
    out = layer({"images": probe, "segmentation_masks": masks * 255}, training=True)
    moved, moved_masks = np.asarray(out["images"]), np.asarray(out["segmentation_masks"])
    assert moved_masks.shape[:3] == moved.shape[:3] and moved_masks.shape[-1] == 1
    np.testing.assert_allclose(moved_masks[..., 0], moved[..., 0], atol=1e-3)
    assert not np.allclose(moved, probe[:, : moved.shape[1], : moved.shape[2]])

# colour layers change the images only; labels pass through every layer
out = L.RandomBrightness(0.3, seed=7)({"images": images, "segmentation_masks": masks})
np.testing.assert_array_equal(out["segmentation_masks"], masks)
assert not np.allclose(out["images"], images)
labels = np.eye(n, dtype="float32")
out = L.RandomFlip(seed=8)({"images": images, "labels": labels})
np.testing.assert_array_equal(out["labels"], labels)

# a pipeline of dicts, then (image, mask) pairs for fit
augment = [
    L.RandomFlip("horizontal", seed=9),
    L.RandomRotation(0.1, fill_mode="reflect", interpolation="nearest", seed=10),
    L.RandomContrast(0.2, seed=11),
]


def apply(x, y):
    data = {"images": x, "segmentation_masks": y}
    for layer in augment:
        data = layer(data, training=True)
    return data["images"], data["segmentation_masks"]


train = tf.data.Dataset.from_tensor_slices((images, masks)).batch(4).map(apply)
for x, y in train:
    assert x.shape == (4, size, size, 3) and y.shape == (4, size, size, 1)
    assert set(np.unique(np.asarray(y)).tolist()) <= {0.0, 1.0}  # nearest keeps the labels

model = tf.keras.Sequential(
    [
        tf.keras.Input((size, size, 3)),
        L.Rescaling(1 / 255.0),
        L.Conv2D(8, 3, padding="same", activation="relu"),
        L.Conv2D(1, 1, activation="sigmoid"),
    ]
)
model.compile(optimizer=tf.keras.optimizers.Adam(0.05), loss="binary_crossentropy")
history = model.fit(train, epochs=6, verbose=0)
losses = history.history["loss"]
assert losses[-1] < losses[0], losses
predicted = model.predict(images, verbose=0) > 0.5
truth = masks > 0.5
iou = (predicted & truth).sum() / (predicted | truth).sum()
assert iou > 0.5, iou  # the squares are found (all-background would give 0)
print("segmentation augmentation ok")
