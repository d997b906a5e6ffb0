# The Keras "working with RNNs" guide: encoder-decoder with initial_state from another
# LSTM's return_state, a stateful LSTM whose states seed a new layer, stacked
# Bidirectional layers. (The guide's NestedCell, with nested inputs, does not build on
# Keras 3.15; gpuflow runs it as Keras 2 did: tests/layers/test_rnn_nested_cells.py.)
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

encoder_input = layers.Input(shape=(None,))
encoder_embedded = layers.Embedding(input_dim=100, output_dim=16)(encoder_input)
_, state_h, state_c = layers.LSTM(16, return_state=True)(encoder_embedded)
decoder_input = layers.Input(shape=(None,))
decoder_embedded = layers.Embedding(input_dim=200, output_dim=16)(decoder_input)
decoder_output = layers.LSTM(16)(decoder_embedded, initial_state=[state_h, state_c])
seq2seq = keras.Model([encoder_input, decoder_input], layers.Dense(10)(decoder_output))
assert tuple(seq2seq([np.ones((2, 7)), np.ones((2, 3))]).shape) == (2, 10)

paragraphs = [np.random.random((4, 5, 8)).astype(np.float32) for _ in range(3)]
lstm_layer = layers.LSTM(6, stateful=True)
outputs = [lstm_layer(p) for p in paragraphs]
assert not np.allclose(outputs[1].numpy(), lstm_layer.__class__(6)(paragraphs[1]).numpy())
existing_state = lstm_layer.states
assert len(existing_state) == 2 and tuple(existing_state[0].shape) == (4, 6)
new_output = layers.LSTM(6)(paragraphs[2], initial_state=existing_state)
assert tuple(new_output.shape) == (4, 6)

stacked = keras.Sequential(
    [
        keras.Input((5, 10)),
        layers.Bidirectional(layers.LSTM(8, return_sequences=True)),
        layers.Bidirectional(layers.LSTM(4)),
        layers.Dense(3),
    ]
)
assert tuple(stacked.output_shape) == (None, 3)


print("ok")
