"""A text-style sequence model with Keras 3 pieces: pad_sequences, an RNN over
StackedRNNCells, AlphaDropout with SELU, the newer activations by name, the Identity
initializer and the Ftrl optimizer."""

import keras
import numpy as np
from keras import layers, ops

keras.utils.set_random_seed(7)

# Sequences of different lengths, padded at the front.
rng = np.random.default_rng(0)
raw = [rng.integers(1, 20, size=rng.integers(2, 9)).tolist() for _ in range(200)]
padded = keras.utils.pad_sequences(raw, maxlen=8)
assert padded.shape == (200, 8) and padded.dtype == np.int32
assert padded[0, -len(raw[0]) :].tolist() == raw[0][-8:]
assert (padded[0, : 8 - len(raw[0])] == 0).all()
labels = np.array([float(sum(r) % 2) for r in raw], dtype="float32")

# A deep RNN in one loop.
cells = [layers.GRUCell(16), layers.LSTMCell(8)]
stacked = layers.StackedRNNCells(cells)
assert stacked.state_size == [16, [8, 8]]
inputs = keras.Input(shape=(8,), dtype="int32")
x = layers.Embedding(20, 8)(inputs)
x = layers.RNN(stacked)(x)
x = layers.Dense(16, activation="selu", kernel_initializer="lecun_normal")(x)
x = layers.AlphaDropout(0.1)(x)
x = layers.Dense(8, activation="mish")(x)
outputs = layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer=keras.optimizers.Ftrl(learning_rate=0.05), loss="binary_crossentropy")
history = model.fit(padded, labels, epochs=3, batch_size=32, verbose=0)
assert np.isfinite(history.history["loss"]).all()
preds = model.predict(padded[:4], verbose=0)
assert preds.shape == (4, 1) and ((preds > 0) & (preds < 1)).all()

out, gru_state, lstm_states = layers.RNN(stacked, return_state=True)(ops.ones((2, 5, 8)))
assert tuple(out.shape) == (2, 8)
assert [tuple(s.shape) for s in lstm_states] == [(2, 8), (2, 8)]
np.testing.assert_allclose(ops.convert_to_numpy(out), ops.convert_to_numpy(lstm_states[0]))

# AlphaDropout keeps zero mean and unit variance of SELU activations.
z = keras.random.normal((100000,), seed=11)  # not the dropout seed: same stream in TF
dropped = layers.AlphaDropout(0.2, seed=1)(z, training=True)
assert abs(float(ops.mean(dropped))) < 0.02 and abs(float(ops.std(dropped)) - 1.0) < 0.02
np.testing.assert_array_equal(
    ops.convert_to_numpy(layers.AlphaDropout(0.2)(z)), ops.convert_to_numpy(z)
)

# Newer activations against their formulas.
t = np.linspace(-4, 4, 17).astype("float32")
np.testing.assert_allclose(
    ops.convert_to_numpy(keras.activations.hard_sigmoid(t)),
    np.clip(t / 6 + 0.5, 0, 1),
    rtol=1e-6,
    atol=1e-7,
)
np.testing.assert_allclose(
    ops.convert_to_numpy(keras.activations.relu6(t * 2)), np.clip(t * 2, 0, 6)
)
np.testing.assert_allclose(
    ops.convert_to_numpy(keras.activations.mish(t)), t * np.tanh(np.log1p(np.exp(t))), rtol=1e-5
)
np.testing.assert_allclose(
    ops.convert_to_numpy(keras.activations.softsign(t)), t / (1 + np.abs(t)), rtol=1e-6
)
assert keras.activations.get("hard_silu") is keras.activations.hard_silu

# Identity initializer.
identity = layers.Dense(4, kernel_initializer=keras.initializers.Identity(gain=2.0), use_bias=False)
np.testing.assert_allclose(ops.convert_to_numpy(identity(ops.ones((1, 4)))), [[2.0] * 4])
print("keras3_stacked_cells_extras: ok", [round(v, 4) for v in history.history["loss"]])
