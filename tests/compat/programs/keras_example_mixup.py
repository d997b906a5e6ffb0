# keras.io "MixUp augmentation for image classification": two shuffled copies of the
# training set zipped with tf.data.Dataset.zip, mixing weights from a Beta distribution
# built of two tf.random.gamma samples, images and one-hot labels blended in a map, then a
# small CNN trained on the mixed batches.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(7)
tf.random.set_seed(7)
rng = np.random.default_rng(7)
AUTO = tf.data.AUTOTUNE
BATCH_SIZE = 32
IMG = 8
num_classes = 3
protos = rng.random((num_classes, IMG, IMG, 1)).astype("float32")
labels = rng.integers(0, num_classes, 600)
images = np.clip(protos[labels] + 0.2 * rng.normal(size=(600, IMG, IMG, 1)), 0, 1).astype("float32")
y = tf.one_hot(labels, num_classes)
assert y.shape == (600, 3) and y.dtype == tf.float32
x_train, y_train = images[:480], y[:480]
x_test, y_test = images[480:], y[480:]

train_ds_one = (
    tf.data.Dataset.from_tensor_slices((x_train, y_train))
    .shuffle(BATCH_SIZE * 10)
    .batch(BATCH_SIZE)
)
train_ds_two = (
    tf.data.Dataset.from_tensor_slices((x_train, y_train))
    .shuffle(BATCH_SIZE * 10)
    .batch(BATCH_SIZE)
)
train_ds = tf.data.Dataset.zip((train_ds_one, train_ds_two))
assert train_ds.cardinality().numpy() == 15
(a_img, a_lab), (b_img, b_lab) = next(iter(train_ds))
assert a_img.shape == (32, IMG, IMG, 1) and b_lab.shape == (32, 3)


def sample_beta_distribution(size, concentration_0=0.2, concentration_1=0.2):
    gamma_1_sample = tf.random.gamma(shape=[size], alpha=concentration_1)
    gamma_2_sample = tf.random.gamma(shape=[size], alpha=concentration_0)
    return gamma_1_sample / (gamma_1_sample + gamma_2_sample)


def mix_up(ds_one, ds_two, alpha=0.2):
    images_one, labels_one = ds_one
    images_two, labels_two = ds_two
    batch_size = tf.shape(images_one)[0]
    l = sample_beta_distribution(batch_size, alpha, alpha)  # noqa: E741
    x_l = tf.reshape(l, (batch_size, 1, 1, 1))
    y_l = tf.reshape(l, (batch_size, 1))
    images = images_one * x_l + images_two * (1 - x_l)
    labels = labels_one * y_l + labels_two * (1 - y_l)
    return (images, labels)


# Beta(alpha, alpha) samples lie in [0, 1] with mean 1/2; Gamma(alpha) has mean alpha
g = tf.random.gamma(shape=[20000], alpha=0.5)
assert g.shape == (20000,) and g.dtype == tf.float32
np.testing.assert_allclose(float(tf.reduce_mean(g)), 0.5, atol=0.03)
np.testing.assert_allclose(float(tf.math.reduce_variance(g)), 0.5, atol=0.06)
beta = sample_beta_distribution(20000, 0.2, 0.2).numpy()
assert beta.min() >= 0.0 and beta.max() <= 1.0
np.testing.assert_allclose(beta.mean(), 0.5, atol=0.02)
# Beta(0.2, 0.2) is U-shaped: most of its mass near 0 and 1 (variance 1/(4 * 1.4) = 0.179)
np.testing.assert_allclose(beta.var(), 1 / (4 * 1.4), atol=0.01)
assert np.mean((beta < 0.1) | (beta > 0.9)) > 0.5

train_ds_mu = train_ds.map(
    lambda ds_one, ds_two: mix_up(ds_one, ds_two, alpha=0.2), num_parallel_calls=AUTO
)
assert train_ds_mu.element_spec[0].shape.as_list() == [None, IMG, IMG, 1]
assert train_ds_mu.element_spec[1].shape.as_list() == [None, 3]
sample_images, sample_labels = next(iter(train_ds_mu))
lab = sample_labels.numpy()
np.testing.assert_allclose(lab.sum(axis=1), 1.0, rtol=1e-5)  # mixed labels stay distributions
assert np.all(lab >= 0) and np.any((lab > 0.01) & (lab < 0.99))
assert sample_images.shape == (32, IMG, IMG, 1)

test_ds = tf.data.Dataset.from_tensor_slices((x_test, y_test)).batch(BATCH_SIZE)


def get_training_model():
    model = keras.Sequential(
        [
            layers.Input(shape=(IMG, IMG, 1)),
            layers.Conv2D(8, (3, 3), activation="relu"),
            layers.MaxPooling2D(pool_size=(2, 2)),
            layers.Flatten(),
            layers.Dropout(0.2),
            layers.Dense(num_classes, activation="softmax"),
        ]
    )
    return model


initial_model = get_training_model()
initial_model.save_weights("initial_weights.weights.h5")
model = get_training_model()
model.load_weights("initial_weights.weights.h5")
for w0, w1 in zip(initial_model.get_weights(), model.get_weights()):
    np.testing.assert_array_equal(w0, w1)
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
history = model.fit(train_ds_mu, validation_data=test_ds, epochs=12, verbose=0)
_, test_acc = model.evaluate(test_ds, verbose=0)
assert test_acc > 0.9, history.history
# the training loss is measured against soft labels: above what hard labels would give
hard_loss = model.evaluate(x_train, y_train, verbose=0)[0]
assert history.history["loss"][-1] > hard_loss, (history.history["loss"], hard_loss)
print("MixUp test accuracy", test_acc)
