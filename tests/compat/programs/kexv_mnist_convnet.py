# keras.io "Simple MNIST convnet": uint8 images scaled to [0, 1], a channel axis added with
# np.expand_dims, labels one-hot encoded with keras.utils.to_categorical, a Sequential of
# Conv2D / MaxPooling2D / Flatten / Dropout / Dense trained with validation_split, then
# evaluated. Synthetic 12x12 "digits" (noisy class prototypes) stand in for MNIST.
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(3)
rng = np.random.default_rng(3)
num_classes = 4
input_shape = (12, 12, 1)
protos = rng.integers(0, 256, size=(num_classes, 12, 12))
y_all = rng.integers(0, num_classes, 500)
x_all = np.clip(protos[y_all] + rng.normal(0, 40, size=(500, 12, 12)), 0, 255).astype("uint8")
x_train, y_train, x_test, y_test = x_all[:400], y_all[:400], x_all[400:], y_all[400:]

x_train = x_train.astype("float32") / 255
x_test = x_test.astype("float32") / 255
x_train = np.expand_dims(x_train, -1)
x_test = np.expand_dims(x_test, -1)
assert x_train.shape == (400, 12, 12, 1) and x_train.max() <= 1.0

y_train = keras.utils.to_categorical(y_train, num_classes)
y_test = keras.utils.to_categorical(y_test, num_classes)
assert y_train.shape == (400, 4) and y_train.dtype == np.float64
np.testing.assert_array_equal(y_train.sum(axis=1), 1.0)

model = keras.Sequential(
    [
        keras.Input(shape=input_shape),
        layers.Conv2D(8, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Conv2D(16, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Flatten(),
        layers.Dropout(0.5),
        layers.Dense(num_classes, activation="softmax"),
    ]
)
# 12 -> conv 10 -> pool 5 -> conv 3 -> pool 1: 16 features
assert model.output_shape == (None, 4)
assert model.layers[3].output.shape == (None, 1, 1, 16)
assert model.layers[4].output.shape == (None, 16)
assert model.count_params() == (9 * 8 + 8) + (9 * 8 * 16 + 16) + (16 * 4 + 4)

model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
history = model.fit(x_train, y_train, batch_size=32, epochs=15, validation_split=0.1, verbose=0)
assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
assert len(history.history["loss"]) == 15
assert history.history["loss"][-1] < history.history["loss"][0]
score = model.evaluate(x_test, y_test, verbose=0)
assert len(score) == 2
print("Test loss:", score[0], "Test accuracy:", score[1])
assert score[1] > 0.9, score
pred = model.predict(x_test[:5], verbose=0)
assert pred.shape == (5, 4)
np.testing.assert_allclose(pred.sum(axis=1), 1.0, rtol=1e-5)
