"""StackedRNNCells: a deep RNN in one loop equals the layers stacked one after another
(same weights), flat states, return_state, training, config round trip, errors."""

import numpy as np
import pytest

import gpuflow.keras as keras
from gpuflow.keras import layers

X = np.random.default_rng(0).normal(size=(4, 6, 3)).astype(np.float32)


def test_equals_stacked_layers_with_the_same_weights():
    cells = [layers.LSTMCell(5), layers.GRUCell(4), layers.SimpleRNNCell(2)]
    deep = layers.RNN(layers.StackedRNNCells(cells), return_sequences=True)
    out = deep(X)
    assert tuple(out.shape) == (4, 6, 2)
    stack = [
        layers.LSTM(5, return_sequences=True),
        layers.GRU(4, return_sequences=True),
        layers.SimpleRNN(2, return_sequences=True),
    ]
    h = X
    for layer, cell in zip(stack, cells):
        layer.build(h.shape)
        layer.set_weights(cell.get_weights())
        h = layer(h).numpy()
    np.testing.assert_allclose(out.numpy(), h, rtol=1e-5, atol=1e-6)


def test_state_size_and_return_state():
    stacked = layers.StackedRNNCells([layers.LSTMCell(5), layers.SimpleRNNCell(3)])
    # Keras 3.15 (tfvenv): state_size [[5, 5], 3]; return_state gives the output, then
    # the LSTM cell's [h, c] and the SimpleRNN cell's [h].
    assert stacked.state_size == [[5, 5], 3] and stacked.output_size == 3
    out, lstm_states, rnn_states = layers.RNN(stacked, return_state=True)(X)
    assert tuple(out.shape) == (4, 3)
    assert [tuple(s.shape) for s in lstm_states] == [(4, 5), (4, 5)]
    assert [tuple(s.shape) for s in rnn_states] == [(4, 3)]
    np.testing.assert_allclose(out.numpy(), rnn_states[0].numpy())


def test_trains_and_round_trips(tmp_path):
    model = keras.Sequential(
        [
            keras.Input((6, 3)),
            layers.RNN(layers.StackedRNNCells([layers.GRUCell(8), layers.GRUCell(4)])),
            layers.Dense(1),
        ]
    )
    model.compile("adam", "mse")
    y = X.sum(axis=(1, 2))[:, None]
    history = model.fit(X, y, epochs=5, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    config = model.layers[0].cell.get_config()
    assert [c["class_name"] for c in config["cells"]] == ["GRUCell", "GRUCell"]
    path = str(tmp_path / "stacked.keras")
    model.save(path)
    restored = keras.models.load_model(path)
    np.testing.assert_allclose(
        restored.predict(X, verbose=0), model.predict(X, verbose=0), rtol=1e-5, atol=1e-6
    )


def test_errors():
    with pytest.raises(ValueError, match="must have a `call` method and a `state_size`"):
        layers.StackedRNNCells([layers.Dense(3)])
    with pytest.raises(ValueError, match="cells must be a non-empty list"):
        layers.StackedRNNCells([])
