# A Normalization layer adapted on the training features standardizes them inside the model
# (the "regression with Keras" tutorial's first layer); invert=True maps predictions back.
import numpy as np
from tensorflow import keras

keras.utils.set_random_seed(5)
rng = np.random.default_rng(5)
features = (rng.standard_normal((400, 3)) * [10.0, 0.1, 3.0] + [50.0, -2.0, 7.0]).astype("float32")
target = (features @ np.array([0.2, 30.0, -1.0]) + 5.0).astype("float32")[:, None]

normalizer = keras.layers.Normalization(axis=-1)
normalizer.adapt(features)
np.testing.assert_allclose(normalizer.mean.numpy().ravel(), features.mean(axis=0), rtol=1e-4)
np.testing.assert_allclose(normalizer.variance.numpy().ravel(), features.var(axis=0), rtol=1e-3)
scaled = normalizer(features).numpy()
np.testing.assert_allclose(scaled.mean(axis=0), 0, atol=1e-4)
np.testing.assert_allclose(scaled.std(axis=0), 1, rtol=1e-3)

# Adapting on a list of batches gives the same statistics.
batched = keras.layers.Normalization()
batched.adapt([features[i : i + 64] for i in range(0, 400, 64)])
np.testing.assert_allclose(batched(features).numpy(), scaled, rtol=1e-3, atol=1e-3)

target_scaler = keras.layers.Normalization(axis=None)
target_scaler.adapt(target)
unscale = keras.layers.Normalization(axis=None, invert=True)
unscale.adapt(target)

model = keras.Sequential([keras.Input(shape=(3,)), normalizer, keras.layers.Dense(1)])
model.compile(optimizer=keras.optimizers.Adam(0.1), loss="mse")
model.fit(features, target_scaler(target), epochs=30, batch_size=32, verbose=0)
predictions = unscale(model.predict(features, verbose=0)).numpy()
assert np.mean(np.abs(predictions - target)) < 0.05 * np.std(target)

given = keras.layers.Normalization(mean=[1.0, 2.0], variance=[4.0, 9.0])
np.testing.assert_allclose(
    given(np.array([[3.0, 8.0]], "float32")).numpy(), [[1.0, 2.0]], rtol=1e-6
)
