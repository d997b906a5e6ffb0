# keras.io "Electroencephalogram Signal Classification for action identification", small:
# multi-channel synthetic "EEG" (class = which rhythm appears in which channels), per-channel
# standardization, class weights from the label counts, a Conv1D network with
# BatchNormalization, MaxPooling1D, Dropout and GlobalAveragePooling1D, trained with a
# validation set and ReduceLROnPlateau, then per-class recall checked against predictions.
import keras
import numpy as np
from keras import layers

keras.utils.set_random_seed(47)
rng = np.random.default_rng(47)

steps, channels, rate = 128, 4, 64.0
t = np.arange(steps) / rate


def sample(label):
    x = rng.normal(0, 1.0, size=(steps, channels))
    freq = {0: 4.0, 1: 10.0, 2: 20.0}[label]
    for ch in ((0, 1), (1, 2), (2, 3))[label]:
        x[:, ch] += 1.5 * np.sin(2 * np.pi * freq * t + rng.uniform(0, 2 * np.pi))
    return x


# imbalanced: class 0 is three times as common
labels = rng.choice(3, size=360, p=[0.6, 0.2, 0.2])
data = np.stack([sample(int(y)) for y in labels]).astype("float32")
x_train, y_train, x_test, y_test = data[:280], labels[:280], data[280:], labels[280:]

mean = x_train.mean(axis=(0, 1), keepdims=True)
std = x_train.std(axis=(0, 1), keepdims=True)
x_train = (x_train - mean) / std
x_test = (x_test - mean) / std

counts = np.bincount(y_train, minlength=3)
class_weight = {i: float(len(y_train) / (3 * c)) for i, c in enumerate(counts)}
assert class_weight[0] < 1.0 < class_weight[1], class_weight


def create_model():
    input_layer = keras.Input(shape=(steps, channels))
    x = layers.Conv1D(filters=16, kernel_size=5, strides=1, padding="same")(input_layer)
    x = layers.BatchNormalization()(x)
    x = layers.ReLU()(x)
    x = layers.MaxPooling1D(pool_size=2)(x)
    x = layers.Conv1D(filters=16, kernel_size=5, strides=1, padding="same")(x)
    x = layers.BatchNormalization()(x)
    x = layers.ReLU()(x)
    x = layers.MaxPooling1D(pool_size=2)(x)
    x = layers.Conv1D(filters=16, kernel_size=3, strides=1, padding="same", activation="relu")(x)
    x = layers.GlobalAveragePooling1D()(x)
    x = layers.Dropout(0.2)(x)
    x = layers.Dense(16, activation="relu")(x)
    output_layer = layers.Dense(3, activation="softmax")(x)
    return keras.Model(inputs=input_layer, outputs=output_layer)


model = create_model()
assert model.output_shape == (None, 3)
model.compile(
    optimizer=keras.optimizers.Adam(0.005),
    loss=keras.losses.SparseCategoricalCrossentropy(),
    metrics=[keras.metrics.SparseCategoricalAccuracy(name="accuracy")],
)
callbacks = [keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=2)]
hist = model.fit(
    x_train,
    y_train,
    batch_size=32,
    epochs=10,
    validation_data=(x_test, y_test),
    class_weight=class_weight,
    callbacks=callbacks,
    verbose=0,
)
assert "learning_rate" in hist.history, hist.history.keys()
loss, acc = model.evaluate(x_test, y_test, verbose=0)
assert acc > 0.85, hist.history
pred = model.predict(x_test, verbose=0).argmax(axis=1)
np.testing.assert_allclose(acc, np.mean(pred == y_test), atol=1e-6)
recalls = [np.mean(pred[y_test == c] == c) for c in range(3)]
assert min(recalls) > 0.6, recalls  # the rare classes are found too
print("test accuracy", acc, "recalls", np.round(recalls, 3))
