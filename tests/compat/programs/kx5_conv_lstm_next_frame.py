# keras.io "Next-Frame Video Prediction with Convolutional LSTMs": frames shifted by one
# (x = frames 0..n-2, y = frames 1..n-1), a model over an Input with an unknown number of
# frames made of stacked ConvLSTM2D(return_sequences=True, padding="same") layers with
# BatchNormalization between them and a sigmoid Conv3D on top, trained with binary
# crossentropy and EarlyStopping/ReduceLROnPlateau on val_loss, then rolled forward by
# feeding each predicted last frame back in (the clip grows one frame per predict call).
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(11)
clips = np.random.default_rng(2).integers(0, 256, (8, 6, 8, 8, 1)).astype("uint8") / 255
assert clips.dtype == np.float64


def shift(data):
    return data[:, :-1], data[:, 1:]


x_train, y_train = shift(clips[:6])
x_val, y_val = shift(clips[6:])
assert x_train.shape == (6, 5, 8, 8, 1) and y_val.shape == (2, 5, 8, 8, 1)
np.testing.assert_array_equal(x_train[:, 1:], y_train[:, :-1])

frames_in = layers.Input(shape=(None, *x_train.shape[2:]))
h = layers.ConvLSTM2D(4, (3, 3), padding="same", return_sequences=True, activation="relu")(
    frames_in
)
h = layers.BatchNormalization()(h)
h = layers.ConvLSTM2D(4, (1, 1), padding="same", return_sequences=True, activation="relu")(h)
frames_out = layers.Conv3D(1, (3, 3, 3), activation="sigmoid", padding="same")(h)
model = keras.models.Model(frames_in, frames_out)
assert model.output_shape == (None, None, 8, 8, 1)
# ConvLSTM2D: 4 gates of 4 filters: kernel 3*3*1*16 + recurrent kernel 3*3*4*16 + bias 16
assert model.layers[1].count_params() == 144 + 576 + 16
assert model.layers[3].count_params() == 64 + 64 + 16
assert model.count_params() == 736 + 16 + 144 + 109  # BN: 4 * 4 (8 of them trainable)
assert len(model.non_trainable_weights) == 2
model.compile(loss=keras.losses.binary_crossentropy, optimizer=keras.optimizers.Adam())
history = model.fit(
    x_train,
    y_train,
    batch_size=3,
    epochs=2,
    validation_data=(x_val, y_val),
    callbacks=[
        keras.callbacks.EarlyStopping(monitor="val_loss", patience=10),
        keras.callbacks.ReduceLROnPlateau(monitor="val_loss", patience=5),
    ],
    verbose=0,
)
assert sorted(history.history) == ["learning_rate", "loss", "val_loss"]
np.testing.assert_allclose(history.history["learning_rate"], [1e-3, 1e-3], rtol=1e-6)
assert all(np.isfinite(history.history["val_loss"]))

clip = clips[7, :3]
for step in range(2):
    guess = model.predict(np.expand_dims(clip, axis=0), verbose=0)
    assert guess.shape == (1, 3 + step, 8, 8, 1) and guess.dtype == np.float32
    assert ((guess > 0) & (guess < 1)).all()
    clip = np.concatenate((clip, guess[0, -1:]), axis=0)
assert clip.shape == (5, 8, 8, 1)
gif_frames = (np.squeeze(clip[3:])[..., np.newaxis] * np.ones(3) * 255).astype(np.uint8)
assert gif_frames.shape == (2, 8, 8, 3) and gif_frames.dtype == np.uint8
print("ok")
