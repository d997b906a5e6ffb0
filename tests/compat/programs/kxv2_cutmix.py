# keras.io "CutMix data augmentation for image classification": two shuffled tf.data copies
# of the training set zipped together, a lambda drawn from Beta(alpha, alpha) made of two
# tf.random.gamma samples, a box of side sqrt(1 - lambda) placed at a random centre and
# clipped to the image (tf.clip_by_value on int32 coordinates), the patch cut from the second
# image with tf.image.crop_to_bounding_box, padded back with tf.image.pad_to_bounding_box and
# pasted over the first image, and the one-hot labels mixed by the exact pasted area. Then a
# small CNN trained on the CutMix batches. Synthetic 12x12 images of 3 classes.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(5)
tf.random.set_seed(5)
rng = np.random.default_rng(5)
N, S, C = 220, 12, 3
ii, jj = np.meshgrid(np.arange(S), np.arange(S), indexing="ij")
prototypes = np.stack([ii % 3 == 0, jj % 3 == 0, (ii + jj) % 3 == 0]).astype("float32")
labels = rng.integers(0, C, N)
x = prototypes[labels][..., None] + 0.2 * rng.normal(size=(N, S, S, 1)).astype("float32")
y = keras.utils.to_categorical(labels, C).astype("float32")
x_train, y_train, x_test, y_test = x[:160], y[:160], x[160:], labels[160:]
AUTO = tf.data.AUTOTUNE
BATCH = 16


def sample_beta_distribution(size, concentration_0=0.2, concentration_1=0.2):
    gamma_1_sample = tf.random.gamma(shape=[size], alpha=concentration_1)
    gamma_2_sample = tf.random.gamma(shape=[size], alpha=concentration_0)
    return gamma_1_sample / (gamma_1_sample + gamma_2_sample)


def get_box(lambda_value):
    cut_rat = tf.math.sqrt(1.0 - lambda_value)
    cut_w = tf.cast(S * cut_rat, tf.int32)
    cut_h = tf.cast(S * cut_rat, tf.int32)
    cut_x = tf.random.uniform((1,), minval=0, maxval=S, dtype=tf.int32)
    cut_y = tf.random.uniform((1,), minval=0, maxval=S, dtype=tf.int32)
    boundaryx1 = tf.clip_by_value(cut_x[0] - cut_w // 2, 0, S)
    boundaryy1 = tf.clip_by_value(cut_y[0] - cut_h // 2, 0, S)
    bbx2 = tf.clip_by_value(cut_x[0] + cut_w // 2, 0, S)
    bby2 = tf.clip_by_value(cut_y[0] + cut_h // 2, 0, S)
    target_h = bby2 - boundaryy1
    target_h = tf.where(target_h == 0, 1, target_h)
    target_w = bbx2 - boundaryx1
    target_w = tf.where(target_w == 0, 1, target_w)
    return boundaryx1, boundaryy1, target_h, target_w


def cutmix(train_ds_one, train_ds_two):
    (image1, label1), (image2, label2) = train_ds_one, train_ds_two
    lambda_value = sample_beta_distribution(1)[0]
    bbx1, bby1, target_h, target_w = get_box(lambda_value)
    crop2 = tf.image.crop_to_bounding_box(image2, bby1, bbx1, target_h, target_w)
    image2 = tf.image.pad_to_bounding_box(crop2, bby1, bbx1, S, S)
    crop1 = tf.image.crop_to_bounding_box(image1, bby1, bbx1, target_h, target_w)
    img1 = tf.image.pad_to_bounding_box(crop1, bby1, bbx1, S, S)
    image = image1 - img1 + image2
    lambda_value = 1 - (target_w * target_h) / (S * S)
    lambda_value = tf.cast(lambda_value, tf.float32)
    label = lambda_value * label1 + (1 - lambda_value) * label2
    return image, label


# the Beta sampler: mean 1/2 for equal concentrations, U-shaped for alpha < 1
lam = sample_beta_distribution(4000).numpy()
assert lam.shape == (4000,) and lam.min() >= 0 and lam.max() <= 1
assert abs(lam.mean() - 0.5) < 0.05, lam.mean()
assert ((lam < 0.1) | (lam > 0.9)).mean() > 0.6
lam2 = sample_beta_distribution(4000, 2.0, 5.0).numpy()  # Beta(5, 2): mean 5/7
assert abs(lam2.mean() - 5 / 7) < 0.03, lam2.mean()

# crop + pad puts back exactly the box and zeros elsewhere
img = tf.constant(x[0])
crop = tf.image.crop_to_bounding_box(img, 2, 3, 4, 5)
assert crop.shape == (4, 5, 1)
np.testing.assert_array_equal(crop.numpy(), x[0, 2:6, 3:8])
padded = tf.image.pad_to_bounding_box(crop, 2, 3, S, S).numpy()
expected = np.zeros_like(x[0])
expected[2:6, 3:8] = x[0, 2:6, 3:8]
np.testing.assert_array_equal(padded, expected)

# one cutmix pair: the label weight of the second image is the pasted area
i = 0
j = int(np.flatnonzero(labels != labels[0])[0])
for _ in range(5):
    a, b = (tf.constant(x[i]), tf.constant(y[i])), (tf.constant(x[j]), tf.constant(y[j]))
    mixed, mixed_label = cutmix(a, b)
    mixed, mixed_label = mixed.numpy(), mixed_label.numpy()
    from_b = np.isclose(mixed, x[j]) & ~np.isclose(x[i], x[j])
    assert np.all(np.isclose(mixed, x[i]) | from_b)
    np.testing.assert_allclose(mixed_label.sum(), 1.0, atol=1e-6)
    np.testing.assert_allclose(mixed_label[labels[j]], from_b.sum() / (S * S), atol=1e-6)

train_ds_one = tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(160, seed=1)
train_ds_two = tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(160, seed=2)
train_ds = tf.data.Dataset.zip((train_ds_one, train_ds_two))
train_ds_cmu = train_ds.map(cutmix, num_parallel_calls=AUTO).batch(BATCH).prefetch(AUTO)
images, mixed_labels = next(iter(train_ds_cmu))
assert images.shape == (BATCH, S, S, 1) and mixed_labels.shape == (BATCH, C)
np.testing.assert_allclose(mixed_labels.numpy().sum(axis=1), np.ones(BATCH), atol=1e-5)
assert (mixed_labels.numpy().max(axis=1) < 1.0).any()  # some labels were really mixed

model = keras.Sequential(
    [
        keras.Input((S, S, 1)),
        layers.Conv2D(8, 3, activation="relu", padding="same"),
        layers.MaxPooling2D(2),
        layers.Conv2D(16, 3, activation="relu", padding="same"),
        layers.GlobalAveragePooling2D(),
        layers.Dense(C, activation="softmax"),
    ]
)
model.compile(
    optimizer=keras.optimizers.Adam(0.01), loss="categorical_crossentropy", metrics=["accuracy"]
)
history = model.fit(train_ds_cmu, epochs=10, verbose=0)
assert history.history["loss"][-1] < history.history["loss"][0], history.history["loss"]
_, acc = model.evaluate(x_test, keras.utils.to_categorical(y_test, C), verbose=0)
print("CutMix accuracy", acc)
assert acc > 0.85, acc
