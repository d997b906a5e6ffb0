"""The time-series forecasting tutorial, single-step part: a WindowGenerator (split_window
with tf.stack and set_shape, make_dataset through timeseries_dataset_from_array, train /
val / test properties, an example batch cached with getattr), a Baseline subclass, Linear,
Dense, multi-step dense (Flatten + Reshape), Conv1D and LSTM models, trained by
compile_and_fit with EarlyStopping and a MeanAbsoluteError metric, on a synthetic signal."""

import numpy as np
import tensorflow as tf

tf.random.set_seed(0)
rng = np.random.default_rng(0)
n = 900
t = np.arange(n, dtype="float32")
columns = ["T (degC)", "p (mbar)", "wv (m/s)"]
df = np.stack(
    [
        np.sin(t / 24 * 2 * np.pi) * 5 + 10 + rng.normal(0, 0.3, n),
        np.cos(t / 50) * 3 + 1000 + rng.normal(0, 0.3, n),
        np.abs(np.sin(t / 7)) * 2 + rng.normal(0, 0.1, n),
    ],
    axis=1,
).astype("float32")
column_indices = {name: i for i, name in enumerate(columns)}
train_df, val_df, test_df = df[: int(n * 0.7)], df[int(n * 0.7) : int(n * 0.9)], df[int(n * 0.9) :]
num_features = df.shape[1]
train_mean, train_std = train_df.mean(axis=0), train_df.std(axis=0)
train_df = (train_df - train_mean) / train_std
val_df = (val_df - train_mean) / train_std
test_df = (test_df - train_mean) / train_std


class WindowGenerator:
    def __init__(self, input_width, label_width, shift, label_columns=None):
        self.train_df, self.val_df, self.test_df = train_df, val_df, test_df
        self.label_columns = label_columns
        self.column_indices = column_indices
        self.input_width, self.label_width, self.shift = input_width, label_width, shift
        self.total_window_size = input_width + shift
        self.input_slice = slice(0, input_width)
        self.input_indices = np.arange(self.total_window_size)[self.input_slice]
        self.label_start = self.total_window_size - self.label_width
        self.labels_slice = slice(self.label_start, None)
        self.label_indices = np.arange(self.total_window_size)[self.labels_slice]

    def __repr__(self):
        return "\n".join(
            [
                f"Total window size: {self.total_window_size}",
                f"Input indices: {self.input_indices}",
                f"Label indices: {self.label_indices}",
                f"Label column name(s): {self.label_columns}",
            ]
        )


def split_window(self, features):
    inputs = features[:, self.input_slice, :]
    labels = features[:, self.labels_slice, :]
    if self.label_columns is not None:
        labels = tf.stack(
            [labels[:, :, self.column_indices[name]] for name in self.label_columns], axis=-1
        )
    inputs.set_shape([None, self.input_width, None])
    labels.set_shape([None, self.label_width, None])
    return inputs, labels


def make_dataset(self, data):
    data = np.array(data, dtype=np.float32)
    ds = tf.keras.utils.timeseries_dataset_from_array(
        data=data,
        targets=None,
        sequence_length=self.total_window_size,
        sequence_stride=1,
        shuffle=True,
        batch_size=32,
    )
    return ds.map(self.split_window)


@property
def train(self):
    return self.make_dataset(self.train_df)


@property
def val(self):
    return self.make_dataset(self.val_df)


@property
def test(self):
    return self.make_dataset(self.test_df)


@property
def example(self):
    result = getattr(self, "_example", None)
    if result is None:
        result = next(iter(self.train))
        self._example = result
    return result


WindowGenerator.split_window = split_window
WindowGenerator.make_dataset = make_dataset
WindowGenerator.train, WindowGenerator.val, WindowGenerator.test = train, val, test
WindowGenerator.example = example

w1 = WindowGenerator(input_width=24, label_width=1, shift=24, label_columns=["T (degC)"])
assert "Total window size: 48" in repr(w1) and "Label indices: [47]" in repr(w1)

w2 = WindowGenerator(input_width=6, label_width=1, shift=1, label_columns=["T (degC)"])
example_window = tf.stack(
    [
        np.array(train_df[: w2.total_window_size]),
        np.array(train_df[100 : 100 + w2.total_window_size]),
        np.array(train_df[200 : 200 + w2.total_window_size]),
    ]
)
example_inputs, example_labels = w2.split_window(example_window)
assert example_window.shape == (3, 7, 3)
assert example_inputs.shape == (3, 6, 3) and example_labels.shape == (3, 1, 1)
np.testing.assert_allclose(example_labels[1, 0, 0].numpy(), train_df[106, 0], rtol=1e-6)

inputs_spec, labels_spec = w2.train.element_spec
assert inputs_spec.shape[1:] == (6, 3) and labels_spec.shape[1:] == (1, 1)
assert inputs_spec.dtype == tf.float32
n_windows = sum(int(x.shape[0]) for x, _ in w2.train)
assert n_windows == len(train_df) - w2.total_window_size + 1, n_windows
cached = w2.example
assert w2.example is cached  # the getattr cache hands back the same batch

single_step_window = WindowGenerator(
    input_width=1, label_width=1, shift=1, label_columns=["T (degC)"]
)
wide_window = WindowGenerator(input_width=24, label_width=24, shift=1, label_columns=["T (degC)"])


class Baseline(tf.keras.Model):
    def __init__(self, label_index=None):
        super().__init__()
        self.label_index = label_index

    def call(self, inputs):
        if self.label_index is None:
            return inputs
        result = inputs[:, :, self.label_index]
        return result[:, :, tf.newaxis]


baseline = Baseline(label_index=column_indices["T (degC)"])
baseline.compile(
    loss=tf.keras.losses.MeanSquaredError(), metrics=[tf.keras.metrics.MeanAbsoluteError()]
)
val_performance = {
    "Baseline": baseline.evaluate(single_step_window.val, verbose=0, return_dict=True)
}
assert sorted(val_performance["Baseline"]) == ["loss", "mean_absolute_error"]
expected_mae = np.mean(np.abs(val_df[1:, 0] - val_df[:-1, 0]))  # "tomorrow is today"
np.testing.assert_allclose(
    val_performance["Baseline"]["mean_absolute_error"], expected_mae, rtol=1e-4
)
assert baseline(wide_window.example[0]).shape == (32, 24, 1)

MAX_EPOCHS = 8


def compile_and_fit(model, window, patience=2):
    early_stopping = tf.keras.callbacks.EarlyStopping(
        monitor="val_loss", patience=patience, mode="min", restore_best_weights=True
    )
    model.compile(
        loss=tf.keras.losses.MeanSquaredError(),
        optimizer=tf.keras.optimizers.Adam(),
        metrics=[tf.keras.metrics.MeanAbsoluteError()],
    )
    history = model.fit(
        window.train,
        epochs=MAX_EPOCHS,
        validation_data=window.val,
        callbacks=[early_stopping],
        verbose=0,
    )
    # restore_best_weights: the model ends at its best epoch, stopped early or not
    best = min(history.history["val_loss"])
    np.testing.assert_allclose(early_stopping.best, best, rtol=1e-6)
    assert model.evaluate(window.val, verbose=0, return_dict=True)["loss"] <= best + 1e-4
    return history


linear = tf.keras.Sequential([tf.keras.layers.Dense(units=1)])
assert linear(single_step_window.example[0]).shape == (32, 1, 1)
history = compile_and_fit(linear, single_step_window)
assert set(history.history) == {
    "loss",
    "mean_absolute_error",
    "val_loss",
    "val_mean_absolute_error",
}
assert linear(wide_window.example[0]).shape == (32, 24, 1)
assert linear.layers[0].kernel[:, 0].numpy().shape == (3,)

dense = tf.keras.Sequential(
    [
        tf.keras.layers.Dense(units=64, activation="relu"),
        tf.keras.layers.Dense(units=64, activation="relu"),
        tf.keras.layers.Dense(units=1),
    ]
)
compile_and_fit(dense, single_step_window)
dense_mae = dense.evaluate(single_step_window.val, verbose=0, return_dict=True)
mean_only_mae = np.mean(np.abs(val_df[1:, 0]))  # predicting the (normalized) mean, 0
assert dense_mae["mean_absolute_error"] < 0.5 * mean_only_mae, (dense_mae, mean_only_mae)

CONV_WIDTH = 3
conv_window = WindowGenerator(
    input_width=CONV_WIDTH, label_width=1, shift=1, label_columns=["T (degC)"]
)
multi_step_dense = tf.keras.Sequential(
    [
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(units=32, activation="relu"),
        tf.keras.layers.Dense(units=32, activation="relu"),
        tf.keras.layers.Dense(units=1),
        tf.keras.layers.Reshape([1, -1]),
    ]
)
assert multi_step_dense(conv_window.example[0]).shape == (32, 1, 1)
compile_and_fit(multi_step_dense, conv_window)
try:
    multi_step_dense(wide_window.example[0])
    raise AssertionError("a flattened 24-step window must not fit a 3-step Dense")
except ValueError as e:
    assert "9" in str(e) and "72" in str(e), str(e)

conv_model = tf.keras.Sequential(
    [
        tf.keras.layers.Conv1D(filters=32, kernel_size=(CONV_WIDTH,), activation="relu"),
        tf.keras.layers.Dense(units=32, activation="relu"),
        tf.keras.layers.Dense(units=1),
    ]
)
assert conv_model(conv_window.example[0]).shape == (32, 1, 1)
compile_and_fit(conv_model, conv_window)
assert conv_model(wide_window.example[0]).shape == (32, 24 - CONV_WIDTH + 1, 1)
LABEL_WIDTH = 24
wide_conv_window = WindowGenerator(
    input_width=LABEL_WIDTH + (CONV_WIDTH - 1),
    label_width=LABEL_WIDTH,
    shift=1,
    label_columns=["T (degC)"],
)
assert "Input indices: [ 0  1" in repr(wide_conv_window)
assert conv_model(wide_conv_window.example[0]).shape == (32, LABEL_WIDTH, 1)

lstm_model = tf.keras.models.Sequential(
    [tf.keras.layers.LSTM(16, return_sequences=True), tf.keras.layers.Dense(units=1)]
)
assert lstm_model(wide_window.example[0]).shape == (32, 24, 1)
compile_and_fit(lstm_model, wide_window)
performance = lstm_model.evaluate(wide_window.test, verbose=0, return_dict=True)
assert np.isfinite(performance["mean_absolute_error"])
loss_value, mae_value = lstm_model.evaluate(wide_window.test, verbose=0)
np.testing.assert_allclose(mae_value, performance["mean_absolute_error"], rtol=1e-5)
print("time series single-step tutorial: ok")
