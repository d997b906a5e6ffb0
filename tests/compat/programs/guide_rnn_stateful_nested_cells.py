"""Working with RNNs: stateful layers and reset_states, return_state / initial_state,
a custom cell with nested states, RNN(cell) options, and LSTM's use_cudnn / unroll."""

import keras
import numpy as np
from keras import layers, ops

keras.utils.set_random_seed(2)
rng = np.random.RandomState(0)

# Stateful RNN: feeding a long sequence in chunks equals feeding it whole.
paragraph = rng.rand(2, 12, 3).astype("float32")
lstm = layers.LSTM(4, stateful=True)
whole = layers.LSTM(4)
whole.build((2, 12, 3))
lstm.build((2, 12, 3))
lstm.set_weights(whole.get_weights())
for start in range(0, 12, 4):
    out = lstm(paragraph[:, start : start + 4])
np.testing.assert_allclose(out, whole(paragraph), rtol=1e-5, atol=1e-6)
# reset_states() clears the carried state: the next chunk starts from zeros again.
lstm.reset_states()
np.testing.assert_allclose(lstm(paragraph[:, :4]), whole(paragraph[:, :4]), rtol=1e-5, atol=1e-6)
# The states are kept in lstm.states (variables).
assert len(lstm.states) == 2 and tuple(lstm.states[0].shape) == (2, 4)
lstm.reset_states()
np.testing.assert_array_equal(ops.convert_to_numpy(lstm.states[0]), np.zeros((2, 4)))

# return_state gives the final states; they can seed another RNN (encoder-decoder).
encoder = layers.LSTM(5, return_state=True)
seq = rng.rand(3, 6, 2).astype("float32")
enc_out, state_h, state_c = encoder(seq)
np.testing.assert_allclose(enc_out, state_h)
decoder = layers.LSTM(5, return_sequences=True)
dec_in = rng.rand(3, 4, 2).astype("float32")
seeded = decoder(dec_in, initial_state=[state_h, state_c])
zeroed = decoder(dec_in, initial_state=[ops.zeros((3, 5)), ops.zeros((3, 5))])
np.testing.assert_allclose(zeroed, decoder(dec_in), rtol=1e-6, atol=1e-7)
assert not np.allclose(seeded, zeroed)

# GRU with return_sequences and return_state.
gru = layers.GRU(3, return_sequences=True, return_state=True)
whole_seq, last = gru(seq)
assert tuple(whole_seq.shape) == (3, 6, 3) and tuple(last.shape) == (3, 3)
np.testing.assert_allclose(whole_seq[:, -1], last, rtol=1e-6)

# go_backwards reads the sequence reversed.
fwd = layers.SimpleRNN(3)
bwd = layers.SimpleRNN(3, go_backwards=True)
fwd.build(seq.shape)
bwd.build(seq.shape)
bwd.set_weights(fwd.get_weights())
np.testing.assert_allclose(bwd(seq), fwd(seq[:, ::-1]), rtol=1e-5, atol=1e-6)


# A custom cell with two states of different sizes: a running sum and a step counter.
@keras.saving.register_keras_serializable(package="rnn_guide")
class SumCountCell(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = [units, 1]
        self.output_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight(
            shape=(input_shape[-1], self.units), initializer="uniform", name="kernel"
        )

    def call(self, inputs, states):
        total, count = states
        step = ops.matmul(inputs, self.kernel)
        return step, [total + step, count + 1.0]

    def get_config(self):
        return {**super().get_config(), "units": self.units}


batch, timesteps, features, units = 4, 5, 3, 6
x_seq = rng.rand(batch, timesteps, features).astype("float32")
cell = SumCountCell(units)
rnn = keras.layers.RNN(cell, return_sequences=True, return_state=True)
inputs = keras.Input((None, features))
seq_out, total, count = rnn(inputs)
model = keras.Model(inputs, [seq_out, total, count])
assert tuple(seq_out.shape) == (None, None, units)
assert tuple(total.shape) == (None, units) and tuple(count.shape) == (None, 1)
p_seq, p_total, p_count = model.predict(x_seq, verbose=0)
k = cell.kernel.numpy()
np.testing.assert_allclose(p_seq, x_seq @ k, rtol=1e-5, atol=1e-6)
np.testing.assert_allclose(p_total, x_seq.sum(1) @ k, rtol=1e-5, atol=1e-6)
np.testing.assert_allclose(p_count, np.full((batch, 1), timesteps))
# initial_state for a multi-state cell: one tensor per state.
_, total2, count2 = rnn(x_seq, initial_state=[ops.ones((batch, units)), ops.zeros((batch, 1))])
np.testing.assert_allclose(total2, 1.0 + x_seq.sum(1) @ k, rtol=1e-5, atol=1e-6)
# A mask skips the padded steps: the states carry over unchanged.
mask = np.ones((batch, timesteps), bool)
mask[:, 3:] = False
_, total3, count3 = rnn(x_seq, mask=mask)
np.testing.assert_allclose(count3, np.full((batch, 1), 3.0))
np.testing.assert_allclose(total3, x_seq[:, :3].sum(1) @ k, rtol=1e-5, atol=1e-6)

# The layer's config carries the custom cell; from_config rebuilds it.
config = rnn.get_config()
again = keras.layers.RNN.from_config(config)
assert isinstance(again.cell, SumCountCell) and again.cell.units == units
assert again.return_state and again.return_sequences

# StackedRNNCells: a list of cells as one.
cells = [layers.LSTMCell(4), layers.LSTMCell(3)]
stacked = layers.RNN(cells, return_state=True)
out = stacked(seq)
assert len(out) == 3  # the output, then [h, c] of each cell
assert tuple(out[0].shape) == (3, 3)
assert [tuple(t.shape) for t in out[1]] == [(3, 4), (3, 4)]
assert [tuple(t.shape) for t in out[2]] == [(3, 3), (3, 3)]
np.testing.assert_allclose(out[2][0], out[0], rtol=1e-6)

# LSTM options of Keras 3: use_cudnn and unroll do not change results.
ref = layers.LSTM(4, use_cudnn=False)
unrolled = layers.LSTM(4, unroll=True, use_cudnn="auto")
ref.build(seq.shape)
unrolled.build(seq.shape)
unrolled.set_weights(ref.get_weights())
np.testing.assert_allclose(unrolled(seq), ref(seq), rtol=1e-5, atol=1e-6)
assert unrolled.get_config()["unroll"] is True and ref.get_config()["unroll"] is False

print("guide_rnn_stateful_nested_cells: OK")
