# keras.io "Timeseries Classification with LSTM and CNN Models" and "Multivariate Time Series
# Forecasting using LSTM", small and synthetic: a UCR-style TSV written and read with
# np.loadtxt, labels {-1, 1} mapped to {0, 1}; stacked LSTMs with dropout and
# recurrent_dropout and a Conv1D/BatchNormalization model trained with validation_split,
# ModelCheckpoint(save_best_only) to a .keras file and EarlyStopping(restore_best_weights),
# the best file loaded back (its LSTM options included) and evaluated; then
# TimeseriesGenerator windows feeding an LSTM / LeakyReLU(alpha=...) regressor, with the
# UserWarnings Keras 3 gives for input_shape= and alpha=.
import warnings

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
from tensorflow.keras.preprocessing.sequence import TimeseriesGenerator

keras.utils.set_random_seed(11)
rng = np.random.default_rng(11)

labels = rng.choice([-1, 1], 48)
steps = np.linspace(0, 6, 24)
rows = [np.sin(steps * (2 if c > 0 else 1)) + 0.1 * rng.normal(size=24) for c in labels]
np.savetxt("ford_train.tsv", np.concatenate([labels[:, None], rows], 1), delimiter="\t")
data = np.loadtxt("ford_train.tsv", delimiter="\t")
x, y = data[:, 1:].astype(np.float32)[..., None], data[:, 0].astype(int)
y = np.where(y == -1, 0, y)
assert x.shape == (48, 24, 1) and set(np.unique(y)) == {0, 1}
objects = np.array(list(y), dtype=object)  # e.g. a pandas column after .replace({...})

lstm_model = keras.Sequential(
    [
        layers.Input(shape=x.shape[1:]),
        layers.LSTM(6, return_sequences=True, dropout=0.3, recurrent_dropout=0.3),
        layers.LSTM(4, dropout=0.3, recurrent_dropout=0.3),
        layers.Dense(2, activation="softmax"),
    ]
)
cnn_model = keras.Sequential(
    [
        layers.Input(shape=x.shape[1:]),
        layers.Conv1D(4, 5, padding="same", activation="relu"),
        layers.BatchNormalization(),
        layers.MaxPooling1D(2),
        layers.GlobalAveragePooling1D(),
        layers.Dense(2, activation="softmax"),
    ]
)
for name, model in (("lstm", lstm_model), ("cnn", cnn_model)):
    model.compile(
        optimizer="adam",
        loss="sparse_categorical_crossentropy",
        metrics=["sparse_categorical_accuracy"],
    )
    history = model.fit(
        x,
        y,
        epochs=2,
        batch_size=16,
        validation_split=0.25,
        verbose=0,
        callbacks=[
            keras.callbacks.ModelCheckpoint(
                f"best_{name}.keras", save_best_only=True, monitor="val_loss"
            ),
            keras.callbacks.EarlyStopping(
                monitor="val_loss", patience=5, restore_best_weights=True
            ),
        ],
    )
    assert sorted(history.history) == [
        "loss",
        "sparse_categorical_accuracy",
        "val_loss",
        "val_sparse_categorical_accuracy",
    ]
    best = keras.models.load_model(f"best_{name}.keras")
    assert [type(layer).__name__ for layer in best.layers] == [
        type(layer).__name__ for layer in model.layers
    ]
    # restore_best_weights leaves the model at the best epoch, which the checkpoint saved
    np.testing.assert_allclose(
        best.evaluate(x, y, verbose=0), model.evaluate(x, y, verbose=0), rtol=1e-5, atol=1e-6
    )
try:  # labels left as Python objects: Keras 3 refuses them with a ValueError
    cnn_model.fit(x, objects, epochs=1, verbose=0)
    raise AssertionError("object labels were accepted")
except ValueError as error:
    assert "object" in str(error)
loaded_lstm = keras.models.load_model("best_lstm.keras").layers[0]
assert (loaded_lstm.dropout, loaded_lstm.recurrent_dropout) == (0.3, 0.3)

# --- TimeseriesGenerator windows ---
series = np.stack([np.sin(np.arange(80) / 6 + k) for k in range(3)], 1).astype("float32")
target = series[:, 0]
first = TimeseriesGenerator(series, target, length=2, sampling_rate=1, batch_size=1)[0]
np.testing.assert_array_equal(first[0], series[None, :2])
np.testing.assert_array_equal(first[1], target[2:3])
train_gen = TimeseriesGenerator(series, target, length=8, batch_size=16)
assert len(train_gen) == 5 and train_gen[4][0].shape == (8, 8, 3)

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    regressor = tf.keras.Sequential()
    regressor.add(tf.keras.layers.LSTM(6, input_shape=(8, 3), return_sequences=True))
    regressor.add(tf.keras.layers.LeakyReLU(alpha=0.5))
    regressor.add(tf.keras.layers.LSTM(4))
    regressor.add(tf.keras.layers.Dense(1))
messages = [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
assert any("Do not pass an `input_shape`/`input_dim` argument" in m for m in messages)
assert "Argument `alpha` is deprecated. Use `negative_slope` instead." in messages
assert regressor.layers[1].negative_slope == 0.5
regressor.compile(
    loss=tf.losses.MeanSquaredError(),
    optimizer=tf.optimizers.Adam(),
    metrics=[tf.metrics.MeanAbsoluteError()],
)
history = regressor.fit(train_gen, epochs=2, validation_data=train_gen, shuffle=False, verbose=0)
assert sorted(history.history) == [
    "loss",
    "mean_absolute_error",
    "val_loss",
    "val_mean_absolute_error",
]
assert regressor.predict(train_gen, verbose=0).shape == (72, 1)
print("ok")
