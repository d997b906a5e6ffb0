# TensorFlow's "Intro to Autoencoders" tutorial on synthetic data: a subclassed dense
# autoencoder, a denoising convolutional one (tf.random.normal noise + tf.clip_by_value), and
# anomaly detection on ECG-like rows with a reconstruction-error threshold (mean + std).
import numpy as np
import tensorflow as tf
from tensorflow.keras import layers, losses
from tensorflow.keras.models import Model

tf.keras.utils.set_random_seed(3)
rng = np.random.default_rng(3)
yy, xx = np.mgrid[0:28, 0:28]
centers = rng.uniform(6, 22, size=(160, 2))
images = np.stack([np.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / 40.0) for cy, cx in centers]).astype(
    "float32"
)
x_train, x_test = images[:128], images[128:]
assert x_train.shape == (128, 28, 28) and x_test.shape == (32, 28, 28)


class Autoencoder(Model):
    def __init__(self, latent_dim, shape):
        super(Autoencoder, self).__init__()
        self.latent_dim = latent_dim
        self.shape = shape
        self.encoder = tf.keras.Sequential(
            [layers.Flatten(), layers.Dense(latent_dim, activation="relu")]
        )
        self.decoder = tf.keras.Sequential(
            [
                # Keras 3 wants a Python int: the tutorial's .numpy() gives a NumPy integer
                layers.Dense(int(tf.math.reduce_prod(shape).numpy()), activation="sigmoid"),
                layers.Reshape(shape),
            ]
        )

    def call(self, x):
        encoded = self.encoder(x)
        decoded = self.decoder(encoded)
        return decoded


shape = x_test.shape[1:]
assert int(tf.math.reduce_prod(shape)) == 784
latent_dim = 16
autoencoder = Autoencoder(latent_dim, shape)
autoencoder.compile(optimizer=tf.keras.optimizers.Adam(0.01), loss=losses.MeanSquaredError())
history = autoencoder.fit(
    x_train,
    x_train,
    epochs=10,
    batch_size=8,
    shuffle=True,
    validation_data=(x_test, x_test),
    verbose=0,
)
encoded_imgs = autoencoder.encoder(x_test).numpy()
decoded_imgs = autoencoder.decoder(encoded_imgs).numpy()
assert encoded_imgs.shape == (32, 16) and decoded_imgs.shape == (32, 28, 28)
assert encoded_imgs.min() >= 0.0 and 0.0 <= decoded_imgs.min() and decoded_imgs.max() <= 1.0
baseline = float(np.mean((x_test - x_train.mean(axis=0)) ** 2))
assert history.history["val_loss"][-1] < 0.5 * baseline, (history.history["val_loss"], baseline)
np.testing.assert_allclose(
    np.mean((decoded_imgs - x_test) ** 2), history.history["val_loss"][-1], rtol=1e-3
)

# Denoising
x_train = x_train[..., tf.newaxis]
x_test = x_test[..., tf.newaxis]
assert x_train.shape == (128, 28, 28, 1)
noise_factor = 0.2
x_train_noisy = x_train + noise_factor * tf.random.normal(shape=x_train.shape)
x_test_noisy = x_test + noise_factor * tf.random.normal(shape=x_test.shape)
x_train_noisy = tf.clip_by_value(x_train_noisy, clip_value_min=0.0, clip_value_max=1.0)
x_test_noisy = tf.clip_by_value(x_test_noisy, clip_value_min=0.0, clip_value_max=1.0)
assert x_train_noisy.dtype == tf.float32 and x_train_noisy.shape == (128, 28, 28, 1)
assert float(tf.reduce_min(x_test_noisy)) == 0.0 and float(tf.reduce_max(x_test_noisy)) == 1.0
noise_mse = float(tf.reduce_mean((x_test_noisy - x_test) ** 2))


class Denoise(Model):
    def __init__(self):
        super(Denoise, self).__init__()
        self.encoder = tf.keras.Sequential(
            [
                layers.Input(shape=(28, 28, 1)),
                layers.Conv2D(16, (3, 3), activation="relu", padding="same", strides=2),
                layers.Conv2D(8, (3, 3), activation="relu", padding="same", strides=2),
            ]
        )
        self.decoder = tf.keras.Sequential(
            [
                layers.Conv2DTranspose(
                    8, kernel_size=3, strides=2, activation="relu", padding="same"
                ),
                layers.Conv2DTranspose(
                    16, kernel_size=3, strides=2, activation="relu", padding="same"
                ),
                layers.Conv2D(1, kernel_size=(3, 3), activation="sigmoid", padding="same"),
            ]
        )

    def call(self, x):
        encoded = self.encoder(x)
        decoded = self.decoder(encoded)
        return decoded


autoencoder = Denoise()
autoencoder.compile(optimizer=tf.keras.optimizers.Adam(0.002), loss=losses.MeanSquaredError())
denoise_history = autoencoder.fit(
    x_train_noisy,
    x_train,
    epochs=10,
    batch_size=16,
    shuffle=True,
    validation_data=(x_test_noisy, x_test),
    verbose=0,
)
assert autoencoder.encoder.output_shape == (None, 7, 7, 8)
assert autoencoder.encoder.count_params() == (3 * 3 * 1 * 16 + 16) + (3 * 3 * 16 * 8 + 8)
encoded_imgs = autoencoder.encoder(x_test_noisy).numpy()
decoded_imgs = autoencoder.decoder(encoded_imgs).numpy()
assert encoded_imgs.shape == (32, 7, 7, 8) and decoded_imgs.shape == (32, 28, 28, 1)
denoised_mse = float(np.mean((decoded_imgs - x_test) ** 2))
val_losses = denoise_history.history["val_loss"]
np.testing.assert_allclose(denoised_mse, val_losses[-1], rtol=1e-3)
# the output is closer to the clean images than the noisy input was
assert denoised_mse < noise_mse and val_losses[-1] < 0.3 * val_losses[0], (val_losses, noise_mse)

# Anomaly detection: "normal" rows are noisy sines, anomalies noisy triple-frequency cosines
t = np.linspace(0, 2 * np.pi, 140)
normal = np.sin(t)[None] + 0.1 * rng.normal(size=(300, 140))
abnormal = np.cos(3 * t)[None] + 0.1 * rng.normal(size=(200, 140))
raw_data = np.concatenate([np.c_[normal, np.ones(300)], np.c_[abnormal, np.zeros(200)]])
labels = raw_data[:, -1]
data = raw_data[:, 0:-1]
order = rng.permutation(len(data))
split = int(len(data) * 0.8)
train_data, test_data = data[order[:split]], data[order[split:]]
train_labels, test_labels = labels[order[:split]], labels[order[split:]]

min_val = tf.reduce_min(train_data)
max_val = tf.reduce_max(train_data)
assert min_val.dtype == tf.float64
train_data = (train_data - min_val) / (max_val - min_val)
test_data = (test_data - min_val) / (max_val - min_val)
train_data = tf.cast(train_data, tf.float32)
test_data = tf.cast(test_data, tf.float32)
train_labels = train_labels.astype(bool)
test_labels = test_labels.astype(bool)
normal_train_data = train_data[train_labels]
normal_test_data = test_data[test_labels]
anomalous_test_data = test_data[~test_labels]
assert normal_train_data.shape == (int(train_labels.sum()), 140)
assert normal_test_data.shape[0] + anomalous_test_data.shape[0] == 100


class AnomalyDetector(Model):
    def __init__(self):
        super(AnomalyDetector, self).__init__()
        self.encoder = tf.keras.Sequential(
            [
                layers.Dense(32, activation="relu"),
                layers.Dense(16, activation="relu"),
                layers.Dense(8, activation="relu"),
            ]
        )
        self.decoder = tf.keras.Sequential(
            [
                layers.Dense(16, activation="relu"),
                layers.Dense(32, activation="relu"),
                layers.Dense(140, activation="sigmoid"),
            ]
        )

    def call(self, x):
        encoded = self.encoder(x)
        decoded = self.decoder(encoded)
        return decoded


autoencoder = AnomalyDetector()
autoencoder.compile(optimizer=tf.keras.optimizers.Adam(0.01), loss="mae")
history = autoencoder.fit(
    normal_train_data,
    normal_train_data,
    epochs=40,
    batch_size=64,
    validation_data=(test_data, test_data),
    shuffle=True,
    verbose=0,
)
assert history.history["loss"][-1] < history.history["loss"][0]

reconstructions = autoencoder.predict(normal_train_data, verbose=0)
train_loss = tf.keras.losses.mae(reconstructions, normal_train_data)
assert train_loss.shape == (normal_train_data.shape[0],)
np.testing.assert_allclose(
    train_loss.numpy(),
    np.mean(np.abs(reconstructions - normal_train_data.numpy()), axis=-1),
    rtol=1e-5,
)
threshold = float(np.mean(train_loss.numpy()) + np.std(train_loss.numpy()))
reconstructions = autoencoder.predict(anomalous_test_data, verbose=0)
test_loss = tf.keras.losses.mae(reconstructions, anomalous_test_data)
assert float(tf.reduce_mean(test_loss)) > threshold  # anomalies reconstruct badly


def predict(model, data, threshold):
    reconstructions = model(data)
    loss = tf.keras.losses.mae(reconstructions, data)
    return tf.math.less(loss, threshold)


preds = predict(autoencoder, test_data, threshold)
assert preds.dtype == tf.bool and preds.shape == (100,)
preds = preds.numpy()
accuracy = np.mean(preds == test_labels)
precision = np.sum(preds & test_labels) / np.sum(preds)
recall = np.sum(preds & test_labels) / np.sum(test_labels)
print("Accuracy", accuracy, "Precision", precision, "Recall", recall)
assert accuracy > 0.8 and precision > 0.9 and recall > 0.6
print("autoencoders ok")
