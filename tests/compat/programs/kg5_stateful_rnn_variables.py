"""Stateful recurrent layers keep their states in Variables that carry from batch to batch
in predict and fit, and reset_state() / reset_states() zero them."""

import numpy as np
import tensorflow as tf

keras = tf.keras

rng = np.random.default_rng(7)
seqs = rng.normal(size=(6, 4, 3)).astype("float32")


def weights_for(layer):
    return [
        np.linspace(-0.5, 0.5, int(np.prod(w.shape)), dtype="float32").reshape(w.shape)
        for w in layer.weights
    ]


# A layer called directly: states appear after the first call, as non-trainable variables
# that are not among the layer's weights.
rnn = keras.layers.SimpleRNN(2, stateful=True)
first = rnn(seqs[:3])
assert len(rnn.states) == 1 and tuple(rnn.states[0].shape) == (3, 2)
assert isinstance(rnn.states[0], keras.Variable)
assert not rnn.states[0].trainable
assert len(rnn.weights) == 3
np.testing.assert_allclose(rnn.states[0].numpy(), np.asarray(first), rtol=1e-6)
second = rnn(seqs[:3])
assert not np.allclose(np.asarray(first), np.asarray(second))
rnn.reset_state()
np.testing.assert_array_equal(rnn.states[0].numpy(), np.zeros((3, 2), "float32"))
np.testing.assert_allclose(np.asarray(rnn(seqs[:3])), np.asarray(first), rtol=1e-5)

lstm = keras.layers.LSTM(2, stateful=True)
lstm(seqs[:3])
assert [tuple(s.shape) for s in lstm.states] == [(3, 2), (3, 2)]
lstm.reset_states()
assert all(not s.numpy().any() for s in lstm.states)

# In a model with a fixed batch size: predict over two batches carries the state from the
# first batch into the second.
inp = keras.Input((4, 3), batch_size=3)
gru_layer = keras.layers.GRU(2, stateful=True)
model = keras.Model(inp, gru_layer(inp))
gru_layer.set_weights(weights_for(gru_layer))
both = model.predict(seqs, batch_size=3, verbose=0)
gru_layer.reset_states()
alone = model.predict(seqs[3:], batch_size=3, verbose=0)
assert both.shape == (6, 2)
assert not np.allclose(both[3:], alone, atol=1e-4)
gru_layer.reset_states()
np.testing.assert_allclose(model.predict(seqs[:3], verbose=0), both[:3], rtol=1e-5)

# fit works on a stateful model and leaves the last batch's state behind.
model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")
gru_layer.reset_states()
history = model.fit(
    seqs, np.zeros((6, 2), "float32"), batch_size=3, epochs=1, shuffle=False, verbose=0
)
assert len(history.history["loss"]) == 1
after_fit = gru_layer.states[0].numpy()
np.testing.assert_allclose(after_fit, both[3:], rtol=1e-5, atol=1e-6)
gru_layer.reset_state()
assert not gru_layer.states[0].numpy().any()

# A fresh stateful model trained before any other call: its first batch's final state is the
# second batch's initial state inside fit too.
inp2 = keras.Input((4, 3), batch_size=3)
fresh_layer = keras.layers.SimpleRNN(2, stateful=True)
fresh = keras.Model(inp2, fresh_layer(inp2))
fresh_layer.set_weights(weights_for(fresh_layer))
fresh.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")
fresh.fit(seqs, np.zeros((6, 2), "float32"), batch_size=3, epochs=1, shuffle=False, verbose=0)
kept = fresh_layer.states[0].numpy()
fresh_layer.reset_states()
np.testing.assert_allclose(kept, fresh.predict(seqs, batch_size=3, verbose=0)[3:], rtol=1e-5)
print("ok")
