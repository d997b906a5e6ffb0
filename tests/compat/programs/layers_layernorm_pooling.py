# LayerNormalization after a Conv1D feature extractor, then global pooling, classifies which
# of two frequencies a noisy signal carries.
import numpy as np
import tensorflow as tf
from tensorflow import keras

keras.utils.set_random_seed(3)
rng = np.random.default_rng(3)
t = np.linspace(0, 1, 32)
labels = rng.integers(0, 2, size=300)
signals = np.stack([np.sin(2 * np.pi * (3 if k else 7) * t + rng.uniform(0, 6)) for k in labels])
signals = (signals + 0.3 * rng.standard_normal(signals.shape)).astype("float32")[..., None]

model = keras.Sequential(
    [
        keras.Input(shape=(32, 1)),
        keras.layers.Conv1D(8, 5, padding="same", activation="relu"),
        keras.layers.LayerNormalization(),
        keras.layers.Conv1D(8, 3, padding="same", activation="relu"),
        keras.layers.GlobalMaxPooling1D(),
        keras.layers.Dense(2, activation="softmax"),
    ]
)
model.compile(
    optimizer=keras.optimizers.Adam(0.01),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
model.fit(signals[:250], labels[:250], epochs=15, batch_size=25, verbose=0)
assert model.evaluate(signals[250:], labels[250:], verbose=0)[1] > 0.9

# LayerNormalization normalizes each example over its last axis, then scales and shifts.
norm = keras.layers.LayerNormalization(epsilon=1e-3)
x = rng.standard_normal((2, 3, 4)).astype("float32")
norm(x)
gamma, beta = rng.standard_normal(4).astype("float32"), rng.standard_normal(4).astype("float32")
norm.set_weights([gamma, beta])
mean, var = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
np.testing.assert_allclose(
    norm(x).numpy(), (x - mean) / np.sqrt(var + 1e-3) * gamma + beta, rtol=1e-4, atol=1e-5
)

pooled = keras.layers.GlobalAveragePooling1D(keepdims=True)(tf.constant(x))
assert pooled.shape == (2, 1, 4)
np.testing.assert_allclose(pooled.numpy(), x.mean(axis=1, keepdims=True), rtol=1e-6)
