# Keras 3's newer optimizers: Muon (orthogonalized momentum for 2-D weights, AdamW for the
# rest), ScheduleFreeAdamW (no schedule: an interpolated average of iterates) and
# MultiOptimizer with an OptimizerMap (one optimizer per group of variable paths), each
# checked against its update rule, then trained with fit and restored from a .keras file.
import numpy as np
import tensorflow as tf
from tensorflow import keras

rng = np.random.default_rng(0)

# Muon's first step on a 2-D weight: lr * NS5(g) * sqrt(max(rows, cols)) * rms_rate, and an
# Adam step on a bias (weight decay 0 to keep the arithmetic plain).
kernel = keras.Variable(rng.normal(size=(4, 3)).astype("float32"), name="kernel")
bias = keras.Variable(np.zeros(3, "float32"), name="bias")
g_kernel = rng.normal(size=(4, 3)).astype("float32")
g_bias = np.array([1.0, -2.0, 0.5], "float32")
muon = keras.optimizers.Muon(learning_rate=0.02, weight_decay=None, adam_weight_decay=None)
start = kernel.numpy().copy()
muon.apply_gradients([(tf.constant(g_kernel), kernel), (tf.constant(g_bias), bias)])


def newton_schulz(x, steps=5, a=3.4445, b=-4.7750, c=2.0315):
    tall = x.shape[0] > x.shape[1]
    x = x.T if tall else x
    x = x / (np.linalg.norm(x) + 1e-7)
    for _ in range(steps):
        gram = x @ x.T
        x = a * x + (b * gram + c * gram @ gram) @ x
    return x.T if tall else x


momentum = g_kernel  # m = 0 + g (+ m * (0.95 - 1)); nesterov: g + 0.95 * m
update = newton_schulz(g_kernel + 0.95 * momentum) * np.sqrt(4) * 0.2
np.testing.assert_allclose(kernel.numpy(), start - 0.02 * update, rtol=1e-4, atol=1e-6)
np.testing.assert_allclose(bias.numpy(), -0.02 * np.sign(g_bias), rtol=1e-4)  # Adam's 1st step
singular = np.linalg.svd(newton_schulz(g_kernel.astype("float64")), compute_uv=False)
assert np.all((singular > 0.6) & (singular < 1.25)), singular  # near-orthogonal

# ScheduleFreeAdamW: its first step moves the weights by exactly lr * sign(g) (t = 1).
w = keras.Variable(np.array([0.5, -1.0], "float32"))
keras.optimizers.ScheduleFreeAdamW(learning_rate=0.1).apply_gradients(
    [(tf.constant([2.0, -3.0]), w)]
)
np.testing.assert_allclose(w.numpy(), [0.4, -0.9], rtol=1e-5)

# MultiOptimizer: the encoder's weights take Adam steps, the rest SGD steps.
inputs = keras.Input((4,))
outputs = keras.layers.Dense(1, name="head")(keras.layers.Dense(8, name="encoder")(inputs))
model = keras.Model(inputs, outputs)
adam, sgd = keras.optimizers.Adam(0.01), keras.optimizers.SGD(0.05)
optimizer_map = keras.optimizers.OptimizerMap(default_optimizer=sgd)
optimizer_map["encoder/.*"] = adam
assert optimizer_map["encoder/kernel"] is adam and optimizer_map["head/bias"] is sgd
multi = keras.optimizers.MultiOptimizer(optimizer_map)
before = [v.numpy().copy() for v in model.trainable_variables]
ones = [tf.ones_like(v) for v in model.trainable_variables]
multi.apply_gradients(zip(ones, model.trainable_variables))
after = [v.numpy() for v in model.trainable_variables]
np.testing.assert_allclose(after[0], before[0] - 0.01, atol=1e-6)  # encoder kernel: Adam
np.testing.assert_allclose(after[2], before[2] - 0.05, atol=1e-6)  # head kernel: SGD
try:
    multi.learning_rate
    raise AssertionError("a MultiOptimizer exposed a learning rate")
except AttributeError:
    pass

x = rng.normal(size=(64, 4)).astype("float32")
y = x @ rng.normal(size=(4, 1)).astype("float32")
for make in (
    lambda: keras.optimizers.Muon(learning_rate=0.05),
    lambda: keras.optimizers.ScheduleFreeAdamW(learning_rate=0.05),
    lambda: keras.optimizers.MultiOptimizer(
        keras.optimizers.OptimizerMap(
            keras.optimizers.SGD(0.05), {"encoder/.*": keras.optimizers.Adam(0.01)}
        )
    ),
):
    inputs = keras.Input((4,))
    hidden = keras.layers.Dense(8, name="encoder")(inputs)
    net = keras.Model(inputs, keras.layers.Dense(1, name="head")(hidden))
    net.compile(optimizer=make(), loss="mse")
    history = net.fit(x, y, epochs=15, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0], history.history
    net.save("net.keras")
    loaded = keras.models.load_model("net.keras")
    assert type(loaded.optimizer).__name__ == type(net.optimizer).__name__
    assert int(loaded.optimizer.iterations) == 60
    np.testing.assert_allclose(loaded.predict(x, verbose=0), net.predict(x, verbose=0), rtol=1e-5)
print("ok")
