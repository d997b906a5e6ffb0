"""Write the Keras-3 reference files the saving tests load without TensorFlow.

Run once with real Keras 3 (TensorFlow 2.16+), from the repository root:

    /path/to/tf-venv/bin/python tests/saving/reference/make_keras_files.py

Models (small, so the files stay well under 1 MB in all):
- ``mlp``: the lecture MLP, Input(784) -> Dense(relu) -> Dense(10, softmax), SGD(0.01) and
  categorical cross-entropy, but 32 hidden units instead of the lecture's 512 (512 would be
  1.6 MB of float32 alone); also written as a legacy ``.h5`` and as ``.weights.h5``.
- ``cnn``: the lecture CNN as in the lecture (two 3x3/2 Conv2D of 16 filters, Flatten,
  Dense(64), Dense(10)) with the lecture's SGD(0.001), which keeps no slot variables (Adam's
  would triple the file); the other models carry RMSprop's and Adam's optimizer state.
- ``two_input``: a functional model of two inputs (Concatenate, Dense, Add, BatchNormalization);
  also written as a legacy ``.h5``.
- ``lstm_text``: Embedding -> LSTM -> Dense(sigmoid), a small text classifier, and ``gru_text``
  with GRU (reset_after=True, Keras' default).

- ``objects``: compiled with a learning-rate schedule, loss and metric objects; L2, Dropout.
- ``wrapped``: Bidirectional(LSTM), TimeDistributed(Dense) and a nested Sequential.

``expected.npz`` holds each model's input(s) and Keras' predictions.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import keras  # noqa: E402

HERE = Path(__file__).resolve().parent
rng = np.random.default_rng(0)
keras.utils.set_random_seed(0)
L = keras.layers
expected = {}


def _fit(model, x, y, optimizer, loss):
    model.compile(optimizer=optimizer, loss=loss)
    model.fit(x, y, epochs=1, batch_size=len(y), verbose=0)


# The lecture MLP (narrower hidden layer, see above).
mlp = keras.Sequential(
    [keras.Input(shape=(784,)), L.Dense(32, activation="relu"), L.Dense(10, activation="softmax")],
    name="mlp",
)
x = rng.random((4, 784), dtype=np.float32)
_fit(
    mlp,
    x,
    keras.utils.to_categorical(np.arange(4), 10),
    keras.optimizers.SGD(0.01),
    keras.losses.categorical_crossentropy,
)
mlp.save(HERE / "mlp.keras")
mlp.save(HERE / "mlp.h5")
mlp.save_weights(HERE / "mlp.weights.h5")
expected["mlp_x"], expected["mlp_y"] = x, mlp.predict(x, verbose=0)

# The lecture CNN.
cnn = keras.Sequential(
    [
        keras.Input(shape=[28, 28, 1]),
        L.Conv2D(filters=16, kernel_size=(3, 3), strides=(2, 2), activation="relu"),
        L.Conv2D(filters=16, kernel_size=(3, 3), strides=(2, 2), activation="relu"),
        L.Flatten(),
        L.Dense(64, activation="relu"),
        L.Dense(10, activation="softmax"),
    ],
    name="cnn",
)
x = rng.random((2, 28, 28, 1), dtype=np.float32)
_fit(
    cnn,
    x,
    np.array([3, 7]),
    keras.optimizers.SGD(learning_rate=0.001),
    "sparse_categorical_crossentropy",
)
cnn.save(HERE / "cnn.keras")
expected["cnn_x"], expected["cnn_y"] = x, cnn.predict(x, verbose=0)

# A functional model with two inputs.
a = keras.Input(shape=(6,), name="numbers")
b = keras.Input(shape=(4,), name="extra")
h = L.Dense(8, activation="tanh", name="mix")(L.Concatenate(name="join")([a, b]))
h = L.Add(name="skip")([h, L.Dense(8, name="side")(a)])
h = L.BatchNormalization(name="norm")(h)
two = keras.Model([a, b], L.Dense(3, activation="softmax", name="out")(h), name="two_input")
xa, xb = rng.random((5, 6), dtype=np.float32), rng.random((5, 4), dtype=np.float32)
_fit(two, [xa, xb], np.array([0, 1, 2, 1, 0]), "rmsprop", "sparse_categorical_crossentropy")
two.save(HERE / "two_input.keras")
two.save(HERE / "two_input.h5")
expected["two_input_a"], expected["two_input_b"] = xa, xb
expected["two_input_y"] = two.predict([xa, xb], verbose=0)

# Text models: Embedding -> LSTM / GRU -> Dense.
tokens = rng.integers(0, 50, size=(3, 7))
for name, rnn in (("lstm_text", L.LSTM(6)), ("gru_text", L.GRU(5))):
    text = keras.Sequential(
        [
            keras.Input(shape=(7,), dtype="int32"),
            L.Embedding(50, 8),
            rnn,
            L.Dense(1, activation="sigmoid"),
        ],
        name=name,
    )
    _fit(text, tokens, np.array([0, 1, 1]), "adam", "binary_crossentropy")
    text.save(HERE / f"{name}.keras")
    expected[f"{name}_x"], expected[f"{name}_y"] = tokens, text.predict(tokens, verbose=0)

# Wrappers and a nested model: Bidirectional(LSTM), TimeDistributed(Dense), a Sequential inside.
seq_in = keras.Input(shape=(5, 4))
h = L.TimeDistributed(L.Dense(3))(seq_in)
h = L.Bidirectional(L.LSTM(3))(h)
inner = keras.Sequential([keras.Input(shape=(6,)), L.Dense(2)], name="head")
wrapped = keras.Model(seq_in, inner(h), name="wrapped")
x = rng.random((2, 5, 4), dtype=np.float32)
wrapped.save(HERE / "wrapped.keras")
expected["wrapped_x"], expected["wrapped_y"] = x, wrapped.predict(x, verbose=0)

# Compile settings as objects: a learning-rate schedule, a loss and a metric object, plus a
# regularizer and Dropout in the model.
objects = keras.Sequential(
    [
        keras.Input(shape=(4,)),
        L.Dense(8, activation="relu", kernel_regularizer=keras.regularizers.L2(1e-3)),
        L.Dropout(0.3),
        L.Dense(3),
    ],
    name="objects",
)
schedule = keras.optimizers.schedules.ExponentialDecay(1e-3, decay_steps=10, decay_rate=0.9)
objects.compile(
    optimizer=keras.optimizers.Adam(schedule),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=[keras.metrics.SparseCategoricalAccuracy()],
)
x = rng.random((6, 4), dtype=np.float32)
objects.fit(x, np.arange(6) % 3, epochs=1, batch_size=6, verbose=0)
objects.save(HERE / "objects.keras")
expected["objects_x"], expected["objects_y"] = x, objects.predict(x, verbose=0)

np.savez(HERE / "expected.npz", **expected)
total = sum(p.stat().st_size for p in HERE.iterdir() if p.suffix != ".py")
print(f"wrote {len(list(HERE.iterdir())) - 1} files, {total} bytes, Keras {keras.__version__}")
