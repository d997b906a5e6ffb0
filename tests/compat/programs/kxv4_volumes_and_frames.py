# keras.io "3D Image Classification from CT Scans" and "Next-Frame Video Prediction with
# Convolutional LSTMs", shrunk: CT volumes clipped to [0, 1] in a tf.numpy_function inside
# a tf.function with an input_signature (set_shape restores the static shape that
# numpy_function loses), a random augmentation picked in Python per element of Dataset.map,
# a Conv3D / MaxPool3D / BatchNormalization / GlobalAveragePooling3D classifier trained
# with a staircase ExponentialDecay and a save_best_only ModelCheckpoint (.keras) that
# load_weights reads back; then ConvLSTM2D layers over a None time axis predicting one
# frame ahead, fed back frame by frame.
import random

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(5)
random.seed(5)
rng = np.random.default_rng(5)
D = 8
volumes = rng.uniform(-1200.0, 600.0, (6, D, D, D))
labels = np.array([1, 1, 1, 0, 0, 0])


def normalize(volume):
    low, high = -1000.0, 400.0
    volume = (volume - low) / (high - low)
    volume[volume > 1] = 1.0
    volume[volume < 0] = 0.0
    return np.expand_dims(volume, axis=3)


@tf.function(input_signature=[tf.TensorSpec((D, D, D), tf.float64)])
def tf_normalize(volume):
    return tf.numpy_function(normalize, [volume], tf.float64)


@tf.function(input_signature=[tf.TensorSpec((D, D, D), tf.float64)])
def tf_flip(volume):
    return tf.numpy_function(lambda v: np.ascontiguousarray(v[:, ::-1]), [volume], tf.float64)


def train_augment(volume, label):
    if random.choice(["flip", "none"]) == "flip":
        volume = tf_flip(volume)
    volume = tf_normalize(volume)
    volume.set_shape((D, D, D, 1))
    return volume, label


out = tf_normalize(tf.constant(volumes[0]))
assert out.dtype == tf.float64 and tuple(out.shape) == (D, D, D, 1)
np.testing.assert_allclose(out.numpy(), normalize(volumes[0].copy()))
assert float(tf.reduce_min(out)) == 0.0 and float(tf.reduce_max(out)) == 1.0

train = tf.data.Dataset.from_tensor_slices((volumes, labels))
train = train.shuffle(6).map(train_augment).batch(2).prefetch(2)
assert train.element_spec[0].shape.as_list() == [None, D, D, D, 1]
assert train.element_spec[0].dtype == tf.float64 and train.element_spec[1].dtype == tf.int64

inputs = keras.Input((D, D, D, 1))
x = layers.Conv3D(filters=4, kernel_size=3, activation="relu")(inputs)
x = layers.MaxPool3D(pool_size=2)(x)
x = layers.BatchNormalization()(x)
x = layers.GlobalAveragePooling3D()(x)
x = layers.Dropout(0.3)(layers.Dense(8, activation="relu")(x))
outputs = layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(inputs, outputs, name="3dcnn")
assert model.layers[1].output.shape == (None, D - 2, D - 2, D - 2, 4)
assert model.layers[2].output.shape == (None, (D - 2) // 2, (D - 2) // 2, (D - 2) // 2, 4)
assert model.count_params() == (27 * 4 + 4) + 16 + (4 * 8 + 8) + 9

schedule = keras.optimizers.schedules.ExponentialDecay(
    1e-3, decay_steps=3, decay_rate=0.5, staircase=True
)
np.testing.assert_allclose([float(schedule(s)) for s in (0, 2, 3, 7)], [1e-3, 1e-3, 5e-4, 2.5e-4])
model.compile(
    loss="binary_crossentropy",
    optimizer=keras.optimizers.Adam(learning_rate=schedule),
    metrics=["acc"],
)
checkpoint = keras.callbacks.ModelCheckpoint("ct.keras", save_best_only=True, monitor="loss")
history = model.fit(train, epochs=2, verbose=0, callbacks=[checkpoint])
assert sorted(history.history) == ["acc", "loss"]
assert int(model.optimizer.iterations.numpy()) == 6
model.load_weights("ct.keras")
scan = normalize(volumes[0].copy())
prediction = model.predict(np.expand_dims(scan, 0), verbose=0)[0]
assert prediction.shape == (1,) and 0.0 < prediction[0] < 1.0
scores = [1 - prediction[0], prediction[0]]
np.testing.assert_allclose(sum(scores), 1.0, rtol=1e-6)
# ConvLSTM2D over a time axis of any length, Conv3D over (time, height, width)
frames = rng.random((6, 5, 6, 6, 1)).astype("float32")
x_frames, y_frames = frames[:, :-1], frames[:, 1:]
inp = layers.Input(shape=(None, 6, 6, 1))
x = layers.ConvLSTM2D(4, (3, 3), padding="same", return_sequences=True, activation="relu")(inp)
x = layers.BatchNormalization()(x)
x = layers.ConvLSTM2D(4, (1, 1), padding="same", return_sequences=True, activation="relu")(x)
x = layers.Conv3D(1, (3, 3, 3), activation="sigmoid", padding="same")(x)
video = keras.Model(inp, x)
assert video.output_shape == (None, None, 6, 6, 1)
assert video.count_params() == 4 * 4 * (9 * 1 + 9 * 4 + 1) + 16 + 4 * 4 * (4 + 4 + 1) + 27 * 4 + 1
video.compile(loss=keras.losses.binary_crossentropy, optimizer=keras.optimizers.Adam())
stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=10)
reduce = keras.callbacks.ReduceLROnPlateau(monitor="val_loss", patience=5)
history = video.fit(
    x_frames[:4],
    y_frames[:4],
    batch_size=2,
    epochs=2,
    verbose=0,
    validation_data=(x_frames[4:], y_frames[4:]),
    callbacks=[stop, reduce],
)
assert sorted(history.history) == ["learning_rate", "loss", "val_loss"]
seen = frames[0, :2]
for _ in range(3):
    predicted = video.predict(np.expand_dims(seen, 0), verbose=0)
    assert predicted.shape == (1, len(seen), 6, 6, 1)
    seen = np.concatenate([seen, predicted[0, -1:]], axis=0)
assert seen.shape == (5, 6, 6, 1) and seen.dtype == np.float32
print("ok")
