# keras.io "A Quasi-SVM in Keras": hinge loss on one-hot targets with CategoricalAccuracy,
# validation_split; Keras 3 has no layers.experimental (RandomFourierFeatures is gone)
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

try:
    from tensorflow.keras.layers.experimental import RandomFourierFeatures  # noqa: F401
except ImportError as err:
    assert isinstance(err, ModuleNotFoundError)
else:
    raise AssertionError("tf.keras.layers.experimental should not exist under Keras 3")
assert not hasattr(keras.layers, "RandomFourierFeatures")

labels = np.array([3, 0, 9, 1])
onehot = keras.utils.to_categorical(labels)
assert onehot.dtype == np.float64 and onehot.shape == (4, 10)

# hinge: mean(max(1 - y * pred, 0)) with 0/1 targets turned into -1/+1
np.testing.assert_allclose(
    keras.losses.hinge(np.array([[0.0, 1.0]]), np.array([[0.3, -0.2]])).numpy(), [1.25]
)
np.testing.assert_allclose(keras.losses.hinge(onehot[:2], np.zeros((2, 10), "float32")), [1, 1])
assert keras.losses.Hinge()(np.array([[0.0, 1.0]]), np.array([[-2.0, 2.0]])).numpy() == 0.0

rng = np.random.default_rng(0)
x = rng.random((200, 32)).astype("float32")
y = keras.utils.to_categorical(rng.integers(0, 10, 200), num_classes=10)
model = keras.Sequential(
    [keras.Input(shape=(32,)), layers.Dense(64, activation="relu"), layers.Dense(units=10)]
)
model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=1e-3),
    loss=keras.losses.hinge,
    metrics=[keras.metrics.CategoricalAccuracy(name="acc")],
)
hist = model.fit(x, y, epochs=3, batch_size=64, validation_split=0.2, verbose=0)
assert sorted(hist.history) == ["acc", "loss", "val_acc", "val_loss"]
assert hist.history["loss"][-1] < hist.history["loss"][0]
# the loss reported equals the hinge of the model's outputs
loss, acc = model.evaluate(x, y, batch_size=200, verbose=0)
np.testing.assert_allclose(
    loss, float(np.mean(keras.losses.hinge(y, model.predict(x, verbose=0)))), rtol=1e-5
)
assert 0.0 <= acc <= 1.0
print("ok")
