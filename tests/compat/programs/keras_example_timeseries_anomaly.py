# keras.io "Timeseries anomaly detection using an Autoencoder": normalize a periodic
# signal, cut it into overlapping windows, train a Conv1D / Conv1DTranspose autoencoder
# (strides 2, Dropout) with EarlyStopping, take the largest training MAE as the threshold
# and find the windows of a test signal that contain an injected anomaly.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(4)
rng = np.random.default_rng(4)
TIME_STEPS = 32
period = 16
n_train = 640
steps = np.arange(n_train)
train_signal = np.sin(2 * np.pi * steps / period) + 0.05 * rng.normal(size=n_train)
test_signal = np.sin(2 * np.pi * np.arange(400) / period) + 0.03 * rng.normal(size=400)
test_signal[200:208] += 2.5  # the anomaly

training_mean = train_signal.mean()
training_std = train_signal.std()
df_training_value = ((train_signal - training_mean) / training_std).astype("float32")


def create_sequences(values, time_steps=TIME_STEPS):
    output = []
    for i in range(len(values) - time_steps + 1):
        output.append(values[i : (i + time_steps)])
    return np.stack(output)[..., None]


x_train = create_sequences(df_training_value)
assert x_train.shape == (n_train - TIME_STEPS + 1, TIME_STEPS, 1)

model = keras.Sequential(
    [
        layers.Input(shape=(x_train.shape[1], x_train.shape[2])),
        layers.Conv1D(filters=16, kernel_size=7, padding="same", strides=2, activation="relu"),
        layers.Dropout(rate=0.2),
        layers.Conv1D(filters=8, kernel_size=7, padding="same", strides=2, activation="relu"),
        layers.Conv1DTranspose(
            filters=8, kernel_size=7, padding="same", strides=2, activation="relu"
        ),
        layers.Dropout(rate=0.2),
        layers.Conv1DTranspose(
            filters=16, kernel_size=7, padding="same", strides=2, activation="relu"
        ),
        layers.Conv1DTranspose(filters=1, kernel_size=7, padding="same"),
    ]
)
shapes = [layer.output.shape for layer in model.layers]
assert shapes[0] == (None, 16, 16) and shapes[2] == (None, 8, 8), shapes
assert shapes[3] == (None, 16, 8) and shapes[5] == (None, 32, 16), shapes
assert model.output_shape == (None, TIME_STEPS, 1)
# Conv1DTranspose kernel: (kernel_size, filters, input channels)
assert model.layers[3].kernel.shape == (7, 8, 8)
assert model.layers[6].kernel.shape == (7, 1, 16)
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.003), loss="mse")

history = model.fit(
    x_train,
    x_train,
    epochs=20,
    batch_size=64,
    validation_split=0.1,
    verbose=0,
    callbacks=[keras.callbacks.EarlyStopping(monitor="val_loss", patience=4, mode="min")],
)
losses = history.history["loss"]
assert losses[-1] < 0.3 * losses[0], losses

x_train_pred = model.predict(x_train, verbose=0)
train_mae_loss = np.mean(np.abs(x_train_pred - x_train), axis=1)
assert train_mae_loss.shape == (len(x_train), 1)
threshold = np.max(train_mae_loss)
assert threshold < 0.5, threshold

df_test_value = ((test_signal - training_mean) / training_std).astype("float32")
x_test = create_sequences(df_test_value)
x_test_pred = model.predict(x_test, verbose=0)
test_mae_loss = np.mean(np.abs(x_test_pred - x_test), axis=1).reshape((-1))
anomalies = test_mae_loss > threshold
assert anomalies.sum() > 0
# every flagged window overlaps the anomaly [200, 208); the windows fully inside the clean
# part are not flagged
flagged = np.where(anomalies)[0]
assert np.all((flagged + TIME_STEPS > 200) & (flagged < 208)), flagged
anomalous_data_indices = []
for data_idx in range(TIME_STEPS - 1, len(df_test_value) - TIME_STEPS + 1):
    if np.all(anomalies[data_idx - TIME_STEPS + 1 : data_idx]):
        anomalous_data_indices.append(data_idx)
assert set(anomalous_data_indices) <= set(range(200, 208 + TIME_STEPS)), anomalous_data_indices
# Keras's MAE metric agrees with the NumPy computation
mae = keras.losses.MeanAbsoluteError(reduction=None)(x_test[..., 0], x_test_pred[..., 0])
np.testing.assert_allclose(mae.numpy(), test_mae_loss, rtol=1e-5)
tf_mae = tf.reduce_mean(tf.abs(tf.constant(x_test_pred) - x_test), axis=[1, 2])
np.testing.assert_allclose(tf_mae.numpy(), test_mae_loss, rtol=1e-5)
print("threshold", threshold, "flagged", len(flagged), "points", len(anomalous_data_indices))
