"""MixUp and CutMix as Keras 3 layers in a tf.data pipeline (the keras.io MixUp / CutMix
examples, with the built-in layers): images and one-hot labels go in as a dict, mixed
labels train a classifier with categorical cross-entropy. The mixing is checked from the
labels: with the identity matrix as labels, each row says which image was mixed in and
with what weight."""

import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(3)
L = tf.keras.layers
rng = np.random.default_rng(0)
n, classes = 48, 3
images = (rng.random((n, 12, 12, 3)) * 255).astype("float32")
labels = np.eye(classes, dtype="float32")[np.arange(n) % classes]
for i in range(n):  # class k: a bright stripe in channel k
    images[i, 4:8, :, i % classes] = 255.0


def partners(mixed):
    """(own weight, partner) of each row of mixed identity labels."""
    out = []
    for i, row in enumerate(mixed):
        others = np.delete(np.arange(len(row)), i)
        j = int(others[np.argmax(row[others])])
        out.append((float(row[i]), j if row[j] > 0 else i))
    return out


batch = images[:6]
eye = np.eye(6, dtype="float32")

# MixUp: image i becomes w x_i + (1 - w) x_j and its label w e_i + (1 - w) e_j
mixed = L.MixUp(alpha=0.8, seed=1)({"images": batch, "labels": eye})
m_images, m_labels = mixed["images"].numpy(), mixed["labels"].numpy()
np.testing.assert_allclose(m_labels.sum(axis=-1), 1.0, rtol=1e-5)
pairs = partners(m_labels)
assert sorted(j for _, j in pairs) == list(range(6))  # a permutation of the batch
for i, (w, j) in enumerate(pairs):
    np.testing.assert_allclose(m_images[i], w * batch[i] + (1 - w) * batch[j], rtol=1e-4, atol=0.05)

# CutMix: each pixel is the image's own or its partner's; labels weigh by the box's area
cut = L.CutMix(factor=1.0, seed=2)({"images": batch, "labels": eye})
c_images, c_labels = cut["images"].numpy(), cut["labels"].numpy()
np.testing.assert_allclose(c_labels.sum(axis=-1), 1.0, rtol=1e-5)
for i, (w, j) in enumerate(partners(c_labels)):
    own = np.all(c_images[i] == batch[i], axis=-1)
    theirs = np.all(c_images[i] == batch[j], axis=-1)
    assert np.all(own | theirs)
    if j != i:
        pasted = (theirs & ~own).mean()
        assert abs(pasted - (1 - w)) <= 0.25, (pasted, w)

# not training: both pass images and labels through
still = L.CutMix(seed=1)({"images": batch, "labels": eye}, training=False)
np.testing.assert_array_equal(still["images"], batch)
np.testing.assert_array_equal(still["labels"], eye)

# the pipeline: mix each batch, then back to (images, labels) for fit
mix_up, cut_mix = L.MixUp(alpha=0.2, seed=4), L.CutMix(seed=5)


def mix(x, y):
    data = mix_up({"images": x, "labels": y}, training=True)
    data = cut_mix(data, training=True)
    return data["images"], data["labels"]


train = tf.data.Dataset.from_tensor_slices((images, labels)).shuffle(n, seed=0).batch(8)
train = train.map(mix)
for x, y in train.take(2):
    assert x.shape == (8, 12, 12, 3) and y.shape == (8, classes)
    np.testing.assert_allclose(y.numpy().sum(-1), 1.0, rtol=1e-5)
    assert y.numpy().min() >= 0.0 and y.numpy().max() <= 1.0 + 1e-6

model = tf.keras.Sequential(
    [
        tf.keras.Input((12, 12, 3)),
        L.Rescaling(1 / 255.0),
        L.Conv2D(8, 3, activation="relu"),
        L.GlobalAveragePooling2D(),
        L.Dense(classes, activation="softmax"),
    ]
)
model.compile(optimizer=tf.keras.optimizers.Adam(0.02), loss="categorical_crossentropy")
history = model.fit(train, epochs=4, verbose=0)
losses = history.history["loss"]
assert np.isfinite(losses).all() and losses[-1] < losses[0], losses
probabilities = model.predict(images, verbose=0)
assert probabilities.shape == (n, classes)
np.testing.assert_allclose(probabilities.sum(-1), 1.0, rtol=1e-5)

config = L.MixUp(alpha=0.3, seed=9).get_config()
assert config["alpha"] == 0.3 and config["seed"] == 9
assert L.CutMix.from_config(L.CutMix(0.5).get_config()).get_config()["factor"] == (0, 0.5)
print("mixing ok")
