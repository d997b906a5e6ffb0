"""keras.layers.RNN steps a custom cell through inputs of rank 4 and more, as Keras 3: the
cell is built with one step's shape ``[batch, ...features]`` and sees ``[batch, ...]``
slices; masks skip steps for states and outputs of any rank; built-in cells keep rank 3."""

from __future__ import annotations

import numpy as np
import pytest

from gpuflow import keras
from gpuflow.keras import ops


class ChunkCell(keras.layers.Layer):
    """State: the running sum of the chunks, flattened; output: the chunk times that sum."""

    def __init__(self, rows, cols, **kwargs):
        super().__init__(**kwargs)
        self.rows, self.cols = rows, cols
        self.state_size = rows * cols
        self.output_size = rows * cols
        self.built_with = None

    def build(self, input_shape):
        self.built_with = tuple(input_shape)
        self.scale = self.add_weight(shape=(self.cols,), initializer="ones")

    def call(self, inputs, states):
        total = ops.reshape(states[0], (-1, self.rows, self.cols)) + inputs * self.scale
        return inputs * total, [ops.reshape(total, (-1, self.rows * self.cols))]


def _chunks():
    return np.random.RandomState(0).rand(2, 3, 4, 5).astype("float32")


def _reference(x, steps):
    total = np.zeros(x.shape[:1] + x.shape[2:], "float32")
    outs = []
    for t in steps:
        total = total + x[:, t]
        outs.append(x[:, t] * total)
    return outs, total


def test_rank4_sequence_runs_the_cell_over_time():
    x = _chunks()
    cell = ChunkCell(4, 5)
    rnn = keras.layers.RNN(cell, return_sequences=True, return_state=True)
    seq, state = rnn(x)
    assert cell.built_with == (2, 4, 5)
    outs, total = _reference(x, range(3))
    np.testing.assert_allclose(np.asarray(seq), np.stack(outs, 1), rtol=1e-5)
    np.testing.assert_allclose(np.asarray(state), total.reshape(2, 20), rtol=1e-5)


def test_rank4_last_output_with_a_mask_and_backwards():
    x = _chunks()
    mask = np.array([[True, True, False], [True, False, False]])
    last = keras.layers.RNN(ChunkCell(4, 5), go_backwards=True)(x, mask=mask)
    for b, steps in ((0, [1, 0]), (1, [0])):
        outs, _ = _reference(x[b : b + 1], steps)
        np.testing.assert_allclose(np.asarray(last)[b], outs[-1][0], rtol=1e-5)


def test_rank4_in_a_trained_model():
    x = _chunks()
    inputs = keras.Input((3, 4, 5))
    h = keras.layers.RNN(ChunkCell(4, 5))(inputs)
    model = keras.Model(inputs, keras.layers.Dense(1)(keras.layers.Flatten()(h)))
    model.compile("sgd", "mse")
    history = model.fit(x, np.ones((2, 1), "float32"), epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2 and model.output_shape == (None, 1)


def test_builtin_cells_still_take_rank3():
    with pytest.raises(ValueError, match="rank 3"):
        keras.layers.LSTM(3)(_chunks())
