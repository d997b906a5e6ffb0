# keras.io "Timeseries forecasting for weather prediction", small and synthetic: features
# normalised with the training split's mean and std, keras.utils.timeseries_dataset_from_array
# with sampling_rate (one observation per "hour" of 3 "steps"), targets shifted by past + future,
# an LSTM regressor fit with EarlyStopping and ModelCheckpoint(save_weights_only,
# save_best_only) on a validation dataset, then the best weights reloaded.
import numpy as np
from tensorflow import keras

keras.utils.set_random_seed(2)
rng = np.random.default_rng(2)

n = 1200
t = np.arange(n)
temperature = 10 + 5 * np.sin(2 * np.pi * t / 48) + 0.2 * rng.normal(size=n)
pressure = 1000 + 3 * np.cos(2 * np.pi * t / 48) + 0.2 * rng.normal(size=n)
humidity = 60 - 2 * temperature + rng.normal(size=n)
features = np.stack([pressure, temperature, humidity], axis=1).astype("float32")

split_fraction = 0.75
train_split = int(split_fraction * n)
step = 3
past = 36
future = 6
batch_size = 64


def normalize(data, train_split):
    data_mean = data[:train_split].mean(axis=0)
    data_std = data[:train_split].std(axis=0)
    return (data - data_mean) / data_std


features = normalize(features, train_split)
np.testing.assert_allclose(features[:train_split].mean(axis=0), 0, atol=1e-4)
train_data = features[:train_split]
val_data = features[train_split:]

start = past + future
end = start + train_split
x_train = train_data
y_train = features[start:end, 1:2]  # the temperature column, `future` steps ahead
sequence_length = int(past / step)

dataset_train = keras.utils.timeseries_dataset_from_array(
    x_train,
    y_train,
    sequence_length=sequence_length,
    sampling_rate=step,
    batch_size=batch_size,
)
x_end = len(val_data) - past - future
label_start = train_split + past + future
x_val = val_data[:x_end]
y_val = features[label_start:, 1:2]
dataset_val = keras.utils.timeseries_dataset_from_array(
    x_val,
    y_val,
    sequence_length=sequence_length,
    sampling_rate=step,
    batch_size=batch_size,
)

for batch in dataset_train.take(1):
    inputs, targets = batch
assert inputs.shape == (batch_size, sequence_length, 3), inputs.shape
assert targets.shape == (batch_size, 1)
# window i holds rows i, i + step, ... and its target is y_train[i]
np.testing.assert_allclose(inputs.numpy()[5], x_train[5 : 5 + past : step])
np.testing.assert_allclose(targets.numpy()[5], y_train[5])
n_windows = sum(int(x.shape[0]) for x, _ in dataset_train)
assert n_windows == len(x_train) - (sequence_length - 1) * step, n_windows

inputs = keras.layers.Input(shape=(inputs.shape[1], inputs.shape[2]))
lstm_out = keras.layers.LSTM(16)(inputs)
outputs = keras.layers.Dense(1)(lstm_out)
model = keras.Model(inputs=inputs, outputs=outputs)
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse")

path_checkpoint = "model_checkpoint.weights.h5"
es_callback = keras.callbacks.EarlyStopping(monitor="val_loss", min_delta=0, patience=3)
modelckpt_callback = keras.callbacks.ModelCheckpoint(
    monitor="val_loss",
    filepath=path_checkpoint,
    verbose=0,
    save_weights_only=True,
    save_best_only=True,
)
history = model.fit(
    dataset_train,
    epochs=12,
    validation_data=dataset_val,
    callbacks=[es_callback, modelckpt_callback],
    verbose=0,
)
val_losses = history.history["val_loss"]
assert sorted(history.history) == ["loss", "val_loss"]
assert min(val_losses) < 0.1, val_losses  # the variance of the normalised target is 1
assert history.history["loss"][-1] < 0.2 * history.history["loss"][0], history.history["loss"]

model.load_weights(path_checkpoint)
best = model.evaluate(dataset_val, verbose=0)
np.testing.assert_allclose(best, min(val_losses), rtol=1e-4)

for x, y in dataset_val.take(1):
    prediction = model.predict(x, verbose=0)
    assert prediction.shape == (int(x.shape[0]), 1)
    assert float(np.mean(np.abs(prediction - y.numpy()))) < 0.3
print("weather ok", len(val_losses), round(min(val_losses), 4))
