"""Weight constraints on BatchNormalization (beta/gamma) and MultiHeadAttention (kernel /
bias), as in their Keras 3 signatures: they hold after training and come back from the
config; regularizers given by name are kept as objects on the layer."""

import numpy as np
import tensorflow as tf

keras = tf.keras
rng = np.random.default_rng(0)

bn = keras.layers.BatchNormalization(
    gamma_constraint=keras.constraints.MaxNorm(0.5, axis=0),
    beta_constraint="non_neg",
    gamma_regularizer="l2",
)
model = keras.Sequential([keras.Input((4,)), bn])
model.compile(keras.optimizers.SGD(0.5), "mse")
model.fit(rng.normal(size=(32, 4)), rng.normal(3.0, 1.0, size=(32, 4)), epochs=2, verbose=0)
assert (np.abs(np.asarray(bn.gamma)) <= 0.5 + 1e-6).all()
assert (np.asarray(bn.beta) >= 0).all()
assert isinstance(bn.gamma_regularizer, keras.regularizers.L2)
config = bn.get_config()
assert config["beta_constraint"]["class_name"] == "NonNeg"
assert config["gamma_regularizer"]["class_name"] == "L2"
clone = keras.layers.BatchNormalization.from_config(config)
assert isinstance(clone.gamma_constraint, keras.constraints.MaxNorm)

q = rng.normal(size=(16, 5, 8)).astype("float32")
y = rng.normal(size=(16, 5, 8)).astype("float32") + 2.0
inp = keras.Input((5, 8))
mha = keras.layers.MultiHeadAttention(
    2, 4, kernel_constraint=keras.constraints.NonNeg(), bias_constraint="non_neg"
)
model = keras.Model(inp, mha(inp, inp))
model.compile(keras.optimizers.SGD(0.5), "mse")
model.fit(q, y, epochs=2, batch_size=8, verbose=0)
assert len(mha.weights) == 8
for weight in mha.weights:
    assert (np.asarray(weight) >= 0).all(), weight.path
config = mha.get_config()
assert config["kernel_constraint"]["class_name"] == "NonNeg"
clone = keras.layers.MultiHeadAttention.from_config(config)
assert clone.get_config()["bias_constraint"]["class_name"] == "NonNeg"
print("ok")
