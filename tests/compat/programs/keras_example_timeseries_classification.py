# keras.io "Timeseries classification from scratch": a fully convolutional network
# (Conv1D + BatchNormalization + ReLU blocks, GlobalAveragePooling1D, softmax head) on
# univariate series, with ModelCheckpoint(save_best_only), ReduceLROnPlateau and
# EarlyStopping callbacks, and the best model reloaded with keras.models.load_model.
import os

import numpy as np
import tensorflow as tf
from tensorflow import keras

keras.utils.set_random_seed(3)
rng = np.random.default_rng(3)
length = 64
t = np.linspace(0, 1, length, dtype="float32")


def make(n):
    y = rng.integers(0, 2, n)
    freq = np.where(y == 1, 6.0, 3.0)[:, None]
    phase = rng.uniform(0, 2 * np.pi, (n, 1))
    x = np.sin(2 * np.pi * freq * t[None] + phase) + 0.3 * rng.normal(size=(n, length))
    return x.astype("float32"), y


x_train, y_train = make(240)
x_test, y_test = make(80)
x_train = x_train.reshape((x_train.shape[0], x_train.shape[1], 1))
x_test = x_test.reshape((x_test.shape[0], x_test.shape[1], 1))
num_classes = len(np.unique(y_train))
idx = np.random.permutation(len(x_train))
x_train, y_train = x_train[idx], y_train[idx]


# momentum=0.9 (default 0.99): a short run's moving statistics must catch up for validation
def make_model(input_shape):
    input_layer = keras.layers.Input(input_shape)
    conv1 = keras.layers.Conv1D(filters=16, kernel_size=3, padding="same")(input_layer)
    conv1 = keras.layers.BatchNormalization(momentum=0.9)(conv1)
    conv1 = keras.layers.ReLU()(conv1)
    conv2 = keras.layers.Conv1D(filters=16, kernel_size=3, padding="same")(conv1)
    conv2 = keras.layers.BatchNormalization(momentum=0.9)(conv2)
    conv2 = keras.layers.ReLU()(conv2)
    conv3 = keras.layers.Conv1D(filters=16, kernel_size=3, padding="same")(conv2)
    conv3 = keras.layers.BatchNormalization(momentum=0.9)(conv3)
    conv3 = keras.layers.ReLU()(conv3)
    gap = keras.layers.GlobalAveragePooling1D()(conv3)
    output_layer = keras.layers.Dense(num_classes, activation="softmax")(gap)
    return keras.models.Model(inputs=input_layer, outputs=output_layer)


model = make_model(input_shape=x_train.shape[1:])
assert model.output_shape == (None, 2)
assert [type(layer).__name__ for layer in model.layers].count("BatchNormalization") == 3

epochs = 15
batch_size = 16
callbacks = [
    keras.callbacks.ModelCheckpoint("best_model.keras", save_best_only=True, monitor="val_loss"),
    keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=2, min_lr=0.0001),
    keras.callbacks.EarlyStopping(monitor="val_loss", patience=8, verbose=0),
]
model.compile(
    optimizer="adam",
    loss="sparse_categorical_crossentropy",
    metrics=["sparse_categorical_accuracy"],
)
history = model.fit(
    x_train,
    y_train,
    batch_size=batch_size,
    epochs=epochs,
    callbacks=callbacks,
    validation_split=0.2,
    verbose=0,
)
hist = history.history
assert {
    "loss",
    "sparse_categorical_accuracy",
    "val_loss",
    "val_sparse_categorical_accuracy",
    "learning_rate",
} <= set(hist), set(hist)
ran = len(hist["loss"])
assert 1 <= ran <= epochs
lrs = hist["learning_rate"]
assert all(b <= a for a, b in zip(lrs, lrs[1:])), lrs  # only ever reduced
assert min(lrs) >= 0.0001 - 1e-9
assert os.path.exists("best_model.keras")

best = keras.models.load_model("best_model.keras")
best_val = min(hist["val_loss"])
# the saved model is the one with the best validation loss
x_val, y_val = x_train[-48:], y_train[-48:]
val_loss = best.evaluate(x_val, y_val, verbose=0)[0]
np.testing.assert_allclose(val_loss, best_val, rtol=1e-3, atol=1e-4)
test_loss, test_acc = best.evaluate(x_test, y_test, verbose=0)
assert test_acc > 0.9, (test_loss, test_acc)
probs = best.predict(x_test[:4], verbose=0)
assert probs.shape == (4, 2)
np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)
predicted = tf.math.argmax(best(x_test, training=False), axis=-1)
assert predicted.dtype == tf.int64
np.testing.assert_allclose(np.mean(predicted.numpy() == y_test), test_acc, atol=1e-6)

# on labels that carry no signal the validation loss stalls: the learning rate is halved
# after each `patience` epochs without improvement and training stops early, restoring
# the best weights
noise_labels = rng.integers(0, 2, len(x_train))
model2 = make_model(input_shape=x_train.shape[1:])
model2.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy")
stopper = keras.callbacks.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)
history2 = model2.fit(
    x_train,
    noise_labels,
    batch_size=batch_size,
    epochs=40,
    validation_split=0.2,
    verbose=0,
    callbacks=[
        keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=1),
        stopper,
    ],
)
hist2 = history2.history
assert len(hist2["loss"]) < 40, len(hist2["loss"])
assert stopper.stopped_epoch == len(hist2["loss"]) - 1 > 0
assert min(hist2["learning_rate"]) < 0.01 * 0.99, hist2["learning_rate"]
best_epoch = int(np.argmin(hist2["val_loss"]))
assert best_epoch == len(hist2["loss"]) - 1 - 3, (best_epoch, hist2["val_loss"])
restored = model2.evaluate(x_train[-48:], noise_labels[-48:], verbose=0)
np.testing.assert_allclose(restored, hist2["val_loss"][best_epoch], rtol=1e-3, atol=1e-4)
print("epochs", ran, "test", test_loss, test_acc, "noise run", len(hist2["loss"]))
