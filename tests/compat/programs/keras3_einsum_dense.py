"""keras.layers.EinsumDense: the kernel and bias shapes of the documented equations,
values against numpy.einsum, a small attention-style projection model trained with fit,
and a config round trip."""

import keras
import numpy as np
from keras import layers, ops

keras.utils.set_random_seed(5)

# From the EinsumDense docstring: a plain Dense, a sequence projection, multi-head.
dense = layers.EinsumDense("ab,bc->ac", output_shape=64, bias_axes="c")
out = dense(keras.Input(shape=(32,)))
assert tuple(out.shape) == (None, 64)
assert tuple(dense.kernel.shape) == (32, 64) and tuple(dense.bias.shape) == (64,)

seq = layers.EinsumDense("abc,cd->abd", output_shape=(None, 64), bias_axes="d")
out = seq(keras.Input(shape=(32, 128)))
assert len(out.shape) == 3 and out.shape[-1] == 64  # the None in output_shape stays unknown
assert tuple(seq.kernel.shape) == (128, 64)

heads = layers.EinsumDense("abc,cde->abde", output_shape=(None, 16, 64), bias_axes="de")
out = heads(keras.Input(shape=(32, 128)))
assert len(out.shape) == 4 and tuple(out.shape[2:]) == (16, 64)
assert tuple(heads.kernel.shape) == (128, 16, 64) and tuple(heads.bias.shape) == (16, 64)

ellipsis = layers.EinsumDense("...b,bc->...c", output_shape=64, bias_axes="c")
out = ellipsis(keras.Input(shape=(32, 128)))
assert tuple(out.shape) == (None, 32, 64)

# Values: the layer computes einsum(equation, inputs, kernel) + bias.
x = np.random.default_rng(0).normal(size=(2, 5, 3)).astype("float32")
proj = layers.EinsumDense(
    "abc,cde->abde", output_shape=(5, 2, 4), bias_axes="de", bias_initializer="ones"
)
y = proj(x)
expected = np.einsum("abc,cde->abde", x, proj.kernel.numpy()) + proj.bias.numpy()
np.testing.assert_allclose(ops.convert_to_numpy(y), expected, rtol=1e-5, atol=1e-5)

# Train: per-head projections then a head merge, as in multi-head attention.
rng = np.random.default_rng(1)
inputs_np = rng.normal(size=(256, 6, 4)).astype("float32")
target = np.einsum("abc,cd->abd", inputs_np, rng.normal(size=(4, 3))).astype("float32")
inputs = keras.Input(shape=(6, 4))
h = layers.EinsumDense("abc,cde->abde", output_shape=(6, 2, 8), bias_axes="de")(inputs)
h = layers.Activation("relu")(h)
outputs = layers.EinsumDense("abde,dec->abc", output_shape=(6, 3), bias_axes="c")(h)
model = keras.Model(inputs, outputs)
model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
history = model.fit(inputs_np, target, epochs=25, batch_size=32, verbose=0)
losses = history.history["loss"]
assert losses[-1] < 0.1 * losses[0], losses
assert model.count_params() == (4 * 2 * 8 + 2 * 8) + (2 * 8 * 3 + 3)

config = heads.get_config()
assert config["equation"] == "abc,cde->abde" and config["bias_axes"] == "de"
clone = layers.EinsumDense.from_config(config)
assert clone.equation == heads.equation and clone.bias_axes == "de"
model.save("einsum.keras")
restored = keras.models.load_model("einsum.keras")
np.testing.assert_allclose(
    restored.predict(inputs_np[:4], verbose=0),
    model.predict(inputs_np[:4], verbose=0),
    rtol=1e-5,
    atol=1e-5,
)
print("keras3_einsum_dense: ok", round(losses[0], 4), round(losses[-1], 4))
