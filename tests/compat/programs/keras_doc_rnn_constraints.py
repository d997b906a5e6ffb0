"""Weight constraints on the recurrent layers and cells (kernel_constraint,
recurrent_constraint, bias_constraint, as in Keras 3's LSTM / GRU / SimpleRNN signatures):
they hold after training and come back from the config."""

import numpy as np
import tensorflow as tf

keras = tf.keras
rng = np.random.default_rng(0)
x = rng.normal(size=(32, 6, 4)).astype("float32")
y = rng.normal(size=(32, 3)).astype("float32")
for cls in (keras.layers.SimpleRNN, keras.layers.LSTM, keras.layers.GRU):
    layer = cls(
        3,
        kernel_constraint=keras.constraints.MaxNorm(0.5),
        recurrent_constraint="non_neg",
        bias_constraint=keras.constraints.NonNeg(),
    )
    model = keras.Sequential([keras.Input((6, 4)), layer])
    model.compile(keras.optimizers.SGD(0.5), "mse")
    model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    cell = layer.cell
    assert (np.linalg.norm(np.asarray(cell.kernel), axis=0) <= 0.5 + 1e-5).all()
    assert (np.asarray(cell.recurrent_kernel) >= 0).all()
    assert (np.asarray(cell.bias) >= 0).all()
    cfg = layer.get_config()
    assert cfg["kernel_constraint"]["class_name"] == "MaxNorm", cfg["kernel_constraint"]
    assert cfg["recurrent_constraint"]["class_name"] == "NonNeg"
    clone = cls.from_config(cfg)
    assert isinstance(clone.cell.kernel_constraint, keras.constraints.MaxNorm)
    cellc = keras.layers.LSTMCell(2, kernel_constraint="non_neg")
    assert cellc.get_config()["kernel_constraint"]["class_name"] == "NonNeg"
print("ok")
