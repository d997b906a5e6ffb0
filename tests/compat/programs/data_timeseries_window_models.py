"""The time-series forecasting tutorial's WindowGenerator, baseline, and single-shot,
residual and autoregressive (feedback LSTMCell) models, on a synthetic signal."""

import numpy as np
import tensorflow as tf

tf.random.set_seed(0)
n = 300
t = np.arange(n, dtype="float32")
data = np.stack([np.sin(t / 10), np.cos(t / 7), np.sin(t / 3) * 0.5], axis=1).astype("float32")
train, val = data[:220], data[220:]
column_indices = {"T": 0, "p": 1, "w": 2}
num_features = 3


class WindowGenerator:
    def __init__(self, input_width, label_width, shift, label_columns=None):
        self.label_columns = label_columns
        self.input_width, self.label_width = input_width, label_width
        self.total_window_size = input_width + shift
        self.input_slice = slice(0, input_width)
        self.labels_slice = slice(self.total_window_size - label_width, None)

    def split_window(self, features):
        inputs = features[:, self.input_slice, :]
        labels = features[:, self.labels_slice, :]
        if self.label_columns is not None:
            labels = tf.stack(
                [labels[:, :, column_indices[name]] for name in self.label_columns], axis=-1
            )
        inputs.set_shape([None, self.input_width, None])
        labels.set_shape([None, self.label_width, None])
        return inputs, labels

    def make_dataset(self, array, shuffle=True):
        ds = tf.keras.utils.timeseries_dataset_from_array(
            data=array,
            targets=None,
            sequence_length=self.total_window_size,
            sequence_stride=1,
            shuffle=shuffle,
            batch_size=32,
            seed=1,
        )
        return ds.map(self.split_window)


w = WindowGenerator(input_width=6, label_width=1, shift=1, label_columns=["T"])
example = tf.stack([train[: w.total_window_size], train[100 : 100 + w.total_window_size]])
inputs, labels = w.split_window(example)
assert inputs.shape == (2, 6, 3) and labels.shape == (2, 1, 1)
np.testing.assert_allclose(labels.numpy()[1, 0, 0], train[106, 0])


class Baseline(tf.keras.Model):
    def __init__(self, label_index=None):
        super().__init__()
        self.label_index = label_index

    def call(self, inputs):
        result = inputs[:, :, self.label_index]
        return result[:, :, tf.newaxis]


single = WindowGenerator(input_width=1, label_width=1, shift=1, label_columns=["T"])
baseline = Baseline(label_index=column_indices["T"])
baseline.compile(
    loss=tf.keras.losses.MeanSquaredError(), metrics=[tf.keras.metrics.MeanAbsoluteError()]
)
scores = baseline.evaluate(single.make_dataset(val), return_dict=True, verbose=0)
expected = np.mean((val[1:, 0] - val[:-1, 0]) ** 2)  # "tomorrow = today"
np.testing.assert_allclose(scores["loss"], expected, rtol=1e-5)
np.testing.assert_allclose(
    scores["mean_absolute_error"], np.mean(np.abs(val[1:, 0] - val[:-1, 0])), rtol=1e-5
)


def compile_and_fit(model, window, epochs=3):
    model.compile(
        loss=tf.keras.losses.MeanSquaredError(),
        optimizer=tf.keras.optimizers.Adam(),
        metrics=[tf.keras.metrics.MeanAbsoluteError()],
    )
    return model.fit(
        window.make_dataset(train),
        epochs=epochs,
        validation_data=window.make_dataset(val, shuffle=False),
        verbose=0,
        callbacks=[tf.keras.callbacks.EarlyStopping(monitor="val_loss", patience=2)],
    )


wide = WindowGenerator(input_width=24, label_width=24, shift=1)


class ResidualWrapper(tf.keras.Model):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def call(self, inputs, *args, **kwargs):
        return inputs + self.model(inputs, *args, **kwargs)


residual = ResidualWrapper(
    tf.keras.Sequential(
        [
            tf.keras.layers.LSTM(16, return_sequences=True),
            tf.keras.layers.Dense(num_features, kernel_initializer=tf.initializers.zeros()),
        ]
    )
)
history = compile_and_fit(residual, wide)
assert sorted(history.history) == [
    "loss",
    "mean_absolute_error",
    "val_loss",
    "val_mean_absolute_error",
]
assert all(np.isfinite(history.history["loss"]))

OUT_STEPS = 4
multi = WindowGenerator(input_width=12, label_width=OUT_STEPS, shift=OUT_STEPS)
multi_conv = tf.keras.Sequential(
    [
        tf.keras.layers.Lambda(lambda x: x[:, -3:, :]),
        tf.keras.layers.Conv1D(32, activation="relu", kernel_size=(3)),
        tf.keras.layers.Dense(OUT_STEPS * num_features, kernel_initializer=tf.initializers.zeros()),
        tf.keras.layers.Reshape([OUT_STEPS, num_features]),
    ]
)
compile_and_fit(multi_conv, multi)
x_batch, y_batch = next(iter(multi.make_dataset(train)))
assert multi_conv(x_batch).shape == y_batch.shape == (32, OUT_STEPS, num_features)


class FeedBack(tf.keras.Model):
    def __init__(self, units, out_steps):
        super().__init__()
        self.out_steps = out_steps
        self.lstm_cell = tf.keras.layers.LSTMCell(units)
        self.lstm_rnn = tf.keras.layers.RNN(self.lstm_cell, return_state=True)
        self.dense = tf.keras.layers.Dense(num_features)

    def warmup(self, inputs):
        x, *state = self.lstm_rnn(inputs)
        return self.dense(x), state

    def call(self, inputs, training=None):
        prediction, state = self.warmup(inputs)
        predictions = [prediction]
        for _ in range(1, self.out_steps):
            x, state = self.lstm_cell(prediction, states=state, training=training)
            prediction = self.dense(x)
            predictions.append(prediction)
        return tf.transpose(tf.stack(predictions), [1, 0, 2])


feedback = FeedBack(units=8, out_steps=OUT_STEPS)
prediction, state = feedback.warmup(x_batch)
assert prediction.shape == (32, num_features) and len(state) == 2
assert feedback(x_batch).shape == (32, OUT_STEPS, num_features)
history = compile_and_fit(feedback, multi, epochs=2)
assert history.history["loss"][-1] < history.history["loss"][0] * 1.5
print("ok")
