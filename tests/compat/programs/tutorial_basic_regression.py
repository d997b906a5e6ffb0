# The "basic regression" tutorial on synthetic data: Normalization adapted on a NumPy
# array (all features, and one feature with axis=None and input_shape=[1]), 1-D data fed
# to a one-feature model, linear and DNN models, predict on tf.linspace, save and reload.
import numpy as np
import tensorflow as tf
from tensorflow.keras import layers

rng = np.random.default_rng(0)
features = rng.random((300, 4)) * 100
labels = features[:, 1] * 0.2 + 5 + rng.normal(0, 0.5, 300)

normalizer = tf.keras.layers.Normalization(axis=-1)
normalizer.adapt(np.array(features))
np.testing.assert_allclose(normalizer.mean.numpy()[0], features.mean(axis=0), rtol=1e-5)
normalized = normalizer(features[:1]).numpy()
np.testing.assert_allclose(
    normalized[0], (features[0] - features.mean(0)) / features.std(0), rtol=1e-4
)

horsepower = np.array(features[:, 1])
horsepower_normalizer = layers.Normalization(input_shape=[1], axis=None)
horsepower_normalizer.adapt(horsepower)
horsepower_model = tf.keras.Sequential([horsepower_normalizer, layers.Dense(units=1)])
assert horsepower_model.predict(horsepower[:10], verbose=0).shape == (10, 1)
horsepower_model.compile(
    optimizer=tf.keras.optimizers.Adam(learning_rate=0.1), loss="mean_absolute_error"
)
history = horsepower_model.fit(horsepower, labels, epochs=30, verbose=0, validation_split=0.2)
assert history.history["val_loss"][-1] < 2.0, history.history["val_loss"][-1]
x = tf.linspace(0.0, 100, 101)
y = horsepower_model.predict(x, verbose=0)
assert y.shape == (101, 1)
slope = (y[100, 0] - y[0, 0]) / 100
assert abs(slope - 0.2) < 0.05, slope

linear_model = tf.keras.Sequential([normalizer, layers.Dense(units=1)])
assert linear_model.predict(features[:10], verbose=0).shape == (10, 1)
assert tuple(linear_model.layers[1].kernel.shape) == (4, 1)


def build_and_compile_model(norm):
    model = tf.keras.Sequential(
        [
            norm,
            layers.Dense(64, activation="relu"),
            layers.Dense(64, activation="relu"),
            layers.Dense(1),
        ]
    )
    model.compile(loss="mean_absolute_error", optimizer=tf.keras.optimizers.Adam(0.001))
    return model


dnn_model = build_and_compile_model(normalizer)
dnn_model.fit(features, labels, validation_split=0.2, verbose=0, epochs=20)
error = dnn_model.predict(features, verbose=0).flatten() - labels
assert np.abs(error).mean() < 3.0, np.abs(error).mean()
dnn_model.save("dnn_model.keras")
reloaded = tf.keras.models.load_model("dnn_model.keras")
np.testing.assert_allclose(
    reloaded.evaluate(features, labels, verbose=0),
    dnn_model.evaluate(features, labels, verbose=0),
    rtol=1e-5,
)
print("ok")
