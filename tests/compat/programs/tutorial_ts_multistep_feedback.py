"""The time-series forecasting tutorial, multi-output and multi-step parts: an LSTM over
every feature, a ResidualWrapper (zero-initialized delta: it starts as the identity
baseline), last-value and repeat baselines, single-shot linear / conv / LSTM models
(Lambda slicing + Dense + Reshape) and the autoregressive FeedBack model (LSTMCell under
RNN(return_state=True), a warmup method, a Python loop of cell steps stacked with
tf.stack + tf.transpose, or collected in a tf.TensorArray)."""

import numpy as np
import tensorflow as tf

tf.random.set_seed(1)
n = 600
t = np.arange(n, dtype="float32")
data = np.stack([np.sin(t / 10), np.cos(t / 7), 0.5 * np.sin(t / 3)], axis=1).astype("float32")
train_df, val_df = data[:450], data[450:]
num_features = data.shape[1]
OUT_STEPS = 12
INPUT_WIDTH = 12


def make_windows(series, input_width, label_width, shift, batch_size=32):
    total = input_width + shift

    def split(features):
        inputs = features[:, :input_width, :]
        labels = features[:, total - label_width :, :]
        inputs.set_shape([None, input_width, None])
        labels.set_shape([None, label_width, None])
        return inputs, labels

    ds = tf.keras.utils.timeseries_dataset_from_array(
        data=series, targets=None, sequence_length=total, batch_size=batch_size, shuffle=False
    )
    return ds.map(split)


def compile_and_fit(model, train, val, epochs=6, patience=2):
    early_stopping = tf.keras.callbacks.EarlyStopping(
        monitor="val_loss", patience=patience, mode="min"
    )
    model.compile(
        loss=tf.keras.losses.MeanSquaredError(),
        optimizer=tf.keras.optimizers.Adam(learning_rate=0.01),
        metrics=[tf.keras.metrics.MeanAbsoluteError()],
    )
    return model.fit(
        train, epochs=epochs, validation_data=val, callbacks=[early_stopping], verbose=0
    )


# -- multi-output: every feature, one step ahead ------------------------------------------
wide_train = make_windows(train_df, 24, 24, 1)
wide_val = make_windows(val_df, 24, 24, 1)
example_inputs, example_labels = next(iter(wide_train))
assert example_inputs.shape == (32, 24, 3) and example_labels.shape == (32, 24, 3)


class ResidualWrapper(tf.keras.Model):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def call(self, inputs, *args, **kwargs):
        delta = self.model(inputs, *args, **kwargs)
        return inputs + delta


residual_lstm = ResidualWrapper(
    tf.keras.Sequential(
        [
            tf.keras.layers.LSTM(16, return_sequences=True),
            tf.keras.layers.Dense(num_features, kernel_initializer=tf.initializers.zeros()),
        ]
    )
)
# before training, the zero-initialized delta makes it the "repeat the input" baseline
np.testing.assert_allclose(residual_lstm(example_inputs).numpy(), example_inputs.numpy())
before = residual_lstm.model.layers[1].kernel.numpy().copy()
history = compile_and_fit(residual_lstm, wide_train, wide_val, epochs=3)
assert not np.allclose(residual_lstm.model.layers[1].kernel.numpy(), before)
assert len(residual_lstm.trainable_variables) == 5  # LSTM kernel, recurrent, bias; Dense 2

# -- multi-step: OUT_STEPS ahead from INPUT_WIDTH steps -----------------------------------
multi_train = make_windows(train_df, INPUT_WIDTH, OUT_STEPS, OUT_STEPS)
multi_val = make_windows(val_df, INPUT_WIDTH, OUT_STEPS, OUT_STEPS)
multi_inputs, multi_labels = next(iter(multi_train))
assert multi_labels.shape == (32, OUT_STEPS, num_features)


class MultiStepLastBaseline(tf.keras.Model):
    def call(self, inputs):
        return tf.tile(inputs[:, -1:, :], [1, OUT_STEPS, 1])


class RepeatBaseline(tf.keras.Model):
    def call(self, inputs):
        return inputs


last_baseline = MultiStepLastBaseline()
last_baseline.compile(
    loss=tf.keras.losses.MeanSquaredError(), metrics=[tf.keras.metrics.MeanAbsoluteError()]
)
last = last_baseline.evaluate(multi_val, verbose=0, return_dict=True)
windows = np.stack([val_df[i : i + INPUT_WIDTH + OUT_STEPS] for i in range(len(val_df) - 23)])
expected = np.mean(np.abs(windows[:, INPUT_WIDTH:] - windows[:, INPUT_WIDTH - 1 : INPUT_WIDTH]))
np.testing.assert_allclose(last["mean_absolute_error"], expected, rtol=1e-4)
repeat_baseline = RepeatBaseline()
repeat_baseline.compile(loss="mse", metrics=["mae"])
repeat = repeat_baseline.evaluate(multi_val, verbose=0, return_dict=True)
expected = np.mean(np.abs(windows[:, INPUT_WIDTH:] - windows[:, :INPUT_WIDTH]))
np.testing.assert_allclose(repeat["mae"], expected, rtol=1e-4)

multi_linear_model = tf.keras.Sequential(
    [
        tf.keras.layers.Lambda(lambda x: x[:, -1:, :]),
        tf.keras.layers.Dense(OUT_STEPS * num_features, kernel_initializer=tf.initializers.zeros()),
        tf.keras.layers.Reshape([OUT_STEPS, num_features]),
    ]
)
assert multi_linear_model(multi_inputs).shape == (32, OUT_STEPS, num_features)
compile_and_fit(multi_linear_model, multi_train, multi_val)

CONV_WIDTH = 3
multi_conv_model = tf.keras.Sequential(
    [
        tf.keras.layers.Lambda(lambda x: x[:, -CONV_WIDTH:, :]),
        tf.keras.layers.Conv1D(64, activation="relu", kernel_size=(CONV_WIDTH)),
        tf.keras.layers.Dense(OUT_STEPS * num_features, kernel_initializer=tf.initializers.zeros()),
        tf.keras.layers.Reshape([OUT_STEPS, num_features]),
    ]
)
assert multi_conv_model(multi_inputs).shape == (32, OUT_STEPS, num_features)
history = compile_and_fit(multi_conv_model, multi_train, multi_val)
assert history.history["val_loss"][-1] < history.history["val_loss"][0]

multi_lstm_model = tf.keras.Sequential(
    [
        tf.keras.layers.LSTM(16, return_sequences=False),
        tf.keras.layers.Dense(OUT_STEPS * num_features, kernel_initializer=tf.initializers.zeros()),
        tf.keras.layers.Reshape([OUT_STEPS, num_features]),
    ]
)
assert multi_lstm_model(multi_inputs).shape == (32, OUT_STEPS, num_features)


# -- autoregressive: one LSTMCell step per predicted step ---------------------------------
class FeedBack(tf.keras.Model):
    def __init__(self, units, out_steps):
        super().__init__()
        self.out_steps = out_steps
        self.units = units
        self.lstm_cell = tf.keras.layers.LSTMCell(units)
        self.lstm_rnn = tf.keras.layers.RNN(self.lstm_cell, return_state=True)
        self.dense = tf.keras.layers.Dense(num_features)


def warmup(self, inputs):
    x, *state = self.lstm_rnn(inputs)
    prediction = self.dense(x)
    return prediction, state


def call(self, inputs, training=None):
    predictions = []
    prediction, state = self.warmup(inputs)
    predictions.append(prediction)
    for n in range(1, self.out_steps):
        x = prediction
        x, state = self.lstm_cell(x, states=state, training=training)
        prediction = self.dense(x)
        predictions.append(prediction)
    predictions = tf.stack(predictions)
    predictions = tf.transpose(predictions, [1, 0, 2])
    return predictions


FeedBack.warmup = warmup
FeedBack.call = call

feedback_model = FeedBack(units=16, out_steps=OUT_STEPS)
prediction, state = feedback_model.warmup(multi_inputs)
assert prediction.shape == (32, num_features)
assert len(state) == 2 and state[0].shape == (32, 16) and state[1].shape == (32, 16)

# the warmup state is the cell run step by step over the inputs
h = [tf.zeros((32, 16)), tf.zeros((32, 16))]
for step in range(INPUT_WIDTH):
    out, h = feedback_model.lstm_cell(multi_inputs[:, step, :], states=h)
np.testing.assert_allclose(out.numpy(), state[0].numpy(), atol=1e-5)
np.testing.assert_allclose(h[1].numpy(), state[1].numpy(), atol=1e-5)

output = feedback_model(multi_inputs)
assert output.shape == (32, OUT_STEPS, num_features)
np.testing.assert_allclose(output[:, 0, :].numpy(), prediction.numpy(), atol=1e-6)
# step 2 is the cell fed with step 1's prediction and the warmup state
x2, _ = feedback_model.lstm_cell(prediction, states=state)
np.testing.assert_allclose(output[:, 1, :].numpy(), feedback_model.dense(x2).numpy(), atol=1e-5)
history = compile_and_fit(feedback_model, multi_train, multi_val, epochs=3)
assert history.history["loss"][-1] < history.history["loss"][0]
assert len(feedback_model.trainable_variables) == 5  # one LSTMCell shared by both uses


class FeedBackTensorArray(FeedBack):
    def call(self, inputs, training=None):
        prediction, state = self.warmup(inputs)
        outputs = tf.TensorArray(tf.float32, size=self.out_steps)
        outputs = outputs.write(0, prediction)
        for n in range(1, self.out_steps):
            x, state = self.lstm_cell(prediction, states=state, training=training)
            prediction = self.dense(x)
            outputs = outputs.write(n, prediction)
        return tf.transpose(outputs.stack(), [1, 0, 2])


ta_model = FeedBackTensorArray(units=16, out_steps=OUT_STEPS)
ta_model(multi_inputs)
ta_model.set_weights(feedback_model.get_weights())
np.testing.assert_allclose(
    ta_model(multi_inputs).numpy(), feedback_model(multi_inputs).numpy(), atol=1e-5
)
ta_model.compile(loss="mse", optimizer="adam")
ta_model.fit(multi_train, epochs=1, verbose=0)
assert ta_model.predict(multi_inputs, verbose=0).shape == (32, OUT_STEPS, num_features)
print("time series multi-step tutorial: ok")
