"""Weights files of keras.layers.RNN(cell) / stacked cells / ConvLSTM1D in Keras 3's
layout, and a mixed_float16 model (LossScaleOptimizer) saved to .keras and loaded back with
its loss-scaling state."""

import os
import tempfile

import h5py
import keras
import numpy as np

layers = keras.layers
tmp = tempfile.mkdtemp()


def datasets(path):
    found = []
    with h5py.File(path) as f:
        f.visititems(lambda key, node: found.append(key) if not hasattr(node, "keys") else None)
    return sorted(found)


def stacked():
    cells = [layers.SimpleRNNCell(3), layers.GRUCell(2)]
    return keras.Sequential([keras.Input((5, 4)), layers.RNN(cells, return_sequences=True)])


cases = {
    "one": (lambda: keras.Sequential([keras.Input((5, 4)), layers.RNN(layers.LSTMCell(2))])),
    "stacked": stacked,
    "conv": (lambda: keras.Sequential([keras.Input((3, 6, 2)), layers.ConvLSTM1D(2, 3)])),
}
layout = {
    "one": [f"layers/rnn/cell/vars/{i}" for i in range(3)],
    "stacked": [
        f"layers/rnn/cell/cells/{c}/vars/{i}"
        for c in ("gru_cell", "simple_rnn_cell")
        for i in range(3)
    ],
    "conv": [f"layers/conv_lstm1d/cell/vars/{i}" for i in range(3)],
}
rng = np.random.default_rng(0)
for name, build in cases.items():
    model = build()
    x = rng.standard_normal((2, *model.input_shape[1:])).astype("float32")
    path = os.path.join(tmp, f"{name}.weights.h5")
    model.save_weights(path)
    assert datasets(path) == sorted(layout[name]), (name, datasets(path))
    again = build()
    again.load_weights(path)
    np.testing.assert_allclose(again.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)

# mixed_float16: compile() wraps the optimizer in a LossScaleOptimizer; .keras keeps its state
keras.mixed_precision.set_global_policy("mixed_float16")
try:
    model = keras.Sequential(
        [
            keras.Input((3,)),
            layers.Dense(4),
            layers.Dense(2),
            layers.Activation("linear", dtype="float32"),
        ]
    )
    model.compile(keras.optimizers.Adam(0.01), "mse")
    x = np.linspace(-1, 1, 24, dtype="float32").reshape(8, 3)
    model.fit(x, x[:, :2], epochs=3, batch_size=4, verbose=0)
    opt = model.optimizer
    assert isinstance(opt, keras.optimizers.LossScaleOptimizer)
    path = os.path.join(tmp, "mixed.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    assert loaded.layers[0].dtype_policy.name == "mixed_float16"
    assert model.get_config()["layers"][0]["config"]["dtype"] == "float32"  # not the policy
    again = loaded.optimizer
    assert isinstance(again, keras.optimizers.LossScaleOptimizer)
    assert int(again.iterations) == int(opt.iterations) > 0
    assert float(again.dynamic_scale) == float(opt.dynamic_scale)
    assert int(again.step_counter) == int(opt.step_counter)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-3)
    assert loaded.predict(x, verbose=0).dtype == np.float32
finally:
    keras.mixed_precision.set_global_policy("float32")
print("kl6_rnn_cells_mixed_saving: ok")
