"""keras.layers.RNN(cell), a list of cells (StackedRNNCells) and ConvLSTM keep their weights
in the cell in Keras 3's HDF5 layout (``layers/rnn/cell/vars``,
``layers/rnn/cell/cells/<cell>/vars``), so that weights files cross between Keras and
gpuflow; files of the older gpuflow layout (``layers/rnn/vars``) still load."""

import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

import gpuflow as tf

h5py = pytest.importorskip("h5py")
L = tf.keras.layers


class _TanhCell(L.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units

    def build(self, input_shape):
        self.k = self.add_weight(shape=(input_shape[-1], self.units), name="k")

    def call(self, inputs, states):
        h = tf.keras.ops.tanh(tf.keras.ops.matmul(inputs, self.k) + states[0])
        return h, [h]


def _models():
    return {
        "one_cell": ((5, 4), lambda: [L.RNN(L.SimpleRNNCell(3))]),
        "stacked": ((5, 4), lambda: [L.RNN([L.SimpleRNNCell(3), L.SimpleRNNCell(2)])]),
        "stacked_cls": ((5, 4), lambda: [L.RNN(L.StackedRNNCells([L.GRUCell(3), L.LSTMCell(2)]))]),
        "custom": ((5, 4), lambda: [L.RNN(_TanhCell(3)), L.Dense(1)]),
        "bidi": ((5, 4), lambda: [L.Bidirectional(L.RNN(L.GRUCell(2)))]),
        "conv_lstm": ((3, 5, 2), lambda: [L.ConvLSTM1D(2, 3)]),
    }


# What Keras 3.15 writes for these models (its save_weights, listed with h5py).
KERAS_LAYOUT = {
    "one_cell": ["layers/rnn/cell/vars/0", "layers/rnn/cell/vars/1", "layers/rnn/cell/vars/2"],
    "stacked": [
        f"layers/rnn/cell/cells/simple_rnn_cell{s}/vars/{i}" for s in ("", "_1") for i in range(3)
    ],
    "stacked_cls": [
        f"layers/rnn/cell/cells/{c}/vars/{i}" for c in ("gru_cell", "lstm_cell") for i in range(3)
    ],
    "custom": ["layers/dense/vars/0", "layers/dense/vars/1", "layers/rnn/cell/vars/0"],
    "bidi": [
        f"layers/bidirectional/{d}_layer/cell/vars/{i}"
        for d in ("backward", "forward")
        for i in range(3)
    ],
    "conv_lstm": [f"layers/conv_lstm1d/cell/vars/{i}" for i in range(3)],
}


def _build(name):
    shape, layers = _models()[name]
    return tf.keras.Sequential([tf.keras.Input(shape), *layers()])


def _x(name):
    shape = _models()[name][0]
    return np.random.default_rng(0).standard_normal((2, *shape)).astype("float32")


def _datasets(path):
    out = []
    with h5py.File(path) as f:
        f.visititems(lambda key, node: out.append(key) if not hasattr(node, "keys") else None)
    return sorted(out)


@pytest.mark.parametrize("name", sorted(KERAS_LAYOUT))
def test_weights_file_has_keras_layout_and_loads_back(name, tmp_path):
    model = _build(name)
    path = tmp_path / "w.weights.h5"
    model.save_weights(path)
    assert _datasets(path) == sorted(KERAS_LAYOUT[name])
    again = _build(name)
    again.load_weights(path)
    np.testing.assert_allclose(
        again.predict(_x(name), verbose=0), model.predict(_x(name), verbose=0)
    )


def test_older_gpuflow_layout_still_loads(tmp_path):
    model = _build("stacked")
    path = tmp_path / "old.weights.h5"
    with h5py.File(path, "w") as f:  # gpuflow before 2026-12-05: all under layers/rnn/vars
        f.create_group("layers/rnn/vars")
        f.create_group("vars")
        for i, w in enumerate(model.get_weights()):
            f[f"layers/rnn/vars/{i}"] = w + 1.0
    again = _build("stacked")
    again.load_weights(path)
    for got, want in zip(again.get_weights(), model.get_weights()):
        np.testing.assert_allclose(got, want + 1.0)


def _keras_python():
    venv = os.environ.get("TF_VENV")
    if venv and Path(venv, "bin", "python").exists():
        return str(Path(venv, "bin", "python"))
    return None


_WRITE = """
import sys, numpy as np, keras
L = keras.layers
x = np.random.default_rng(0).standard_normal((2, 5, 4)).astype("float32")
m = keras.Sequential([keras.Input((5, 4)), L.RNN([L.SimpleRNNCell(3), L.SimpleRNNCell(2)])])
m.save_weights(sys.argv[1])
np.save(sys.argv[2], m.predict(x, verbose=0))
"""


@pytest.mark.skipif(_keras_python() is None, reason="real Keras 3 not available (set TF_VENV)")
def test_keras_written_stacked_cells_file_loads(tmp_path):
    path, expected = tmp_path / "k.weights.h5", tmp_path / "y.npy"
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": ""}
    subprocess.run([_keras_python(), "-c", _WRITE, str(path), str(expected)], check=True, env=env)
    model = _build("stacked")
    model.load_weights(path)
    np.testing.assert_allclose(
        model.predict(_x("stacked"), verbose=0), np.load(expected), rtol=1e-5, atol=1e-6
    )
