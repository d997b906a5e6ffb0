# keras.io "Speaker Recognition" on synthetic voices: each speaker is a pitch with its own
# harmonic mix; clips are written as WAV files (tf.audio.encode_wav), read back in a
# tf.data pipeline (read_file + decode_wav), mixed with background noise scaled to each
# clip's peak, turned into FFT magnitudes (tf.signal.fft on complex64, first half) and
# classified by a Conv1D residual network.
import keras
import numpy as np
import tensorflow as tf

keras.utils.set_random_seed(41)
rng = np.random.default_rng(41)

SAMPLING_RATE, CLIP = 4000, 256
SPEAKERS = {
    "ada": (180.0, [1.0, 0.6, 0.3]),
    "bob": (260.0, [1.0, 0.2, 0.6]),
    "cyd": (340.0, [0.7, 0.8, 0.1]),
}
names = sorted(SPEAKERS)

paths, labels = [], []
for label, name in enumerate(names):
    pitch, mix = SPEAKERS[name]
    for i in range(24):
        t = np.arange(CLIP) / SAMPLING_RATE
        f0 = pitch * rng.uniform(0.97, 1.03)
        wave = sum(
            a * np.sin(2 * np.pi * f0 * (k + 1) * t + rng.uniform(0, 6.3))
            for k, a in enumerate(mix)
        )
        wave = (0.3 * wave / np.abs(wave).max()).astype("float32")
        path = f"{name}_{i}.wav"
        tf.io.write_file(path, tf.audio.encode_wav(wave[:, None], SAMPLING_RATE))
        paths.append(path)
        labels.append(label)

noises = tf.constant(rng.normal(size=(4, CLIP, 1)).astype("float32"))


def path_to_audio(path):
    audio = tf.io.read_file(path)
    audio, _ = tf.audio.decode_wav(audio, 1, CLIP)
    return audio


def add_noise(audio, noises=None, scale=0.5):
    if noises is not None:
        tf_rnd = tf.random.uniform((tf.shape(audio)[0],), 0, noises.shape[0], dtype=tf.int32)
        noise = tf.gather(noises, tf_rnd, axis=0)
        prop = tf.math.reduce_max(audio, axis=1) / tf.math.reduce_max(noise, axis=1)
        prop = tf.repeat(tf.expand_dims(prop, axis=1), tf.shape(audio)[1], axis=1)
        audio = audio + noise * prop * scale
    return audio


def audio_to_fft(audio):
    audio = tf.squeeze(audio, axis=-1)
    fft = tf.signal.fft(tf.cast(tf.complex(real=audio, imag=tf.zeros_like(audio)), tf.complex64))
    fft = tf.expand_dims(fft, axis=-1)
    return tf.math.abs(fft[:, : (audio.shape[1] // 2), :])


# decode_wav gives back what was written (16-bit quantization aside)
back = path_to_audio(paths[0])
assert back.shape == (CLIP, 1) and back.dtype == tf.float32

# the FFT magnitude of a pure tone peaks at its bin
tone = tf.constant(
    np.sin(2 * np.pi * 500.0 * np.arange(CLIP) / SAMPLING_RATE)[None, :, None], tf.float32
)
spectrum = audio_to_fft(tone)
assert spectrum.shape == (1, CLIP // 2, 1)
assert int(tf.argmax(spectrum[0, :, 0])) == round(500.0 * CLIP / SAMPLING_RATE)

order = rng.permutation(len(paths))
paths = [paths[i] for i in order]
labels = [labels[i] for i in order]


def make_ds(p, y, shuffle):
    ds = tf.data.Dataset.from_tensor_slices((p, y))
    ds = ds.map(lambda path, label: (path_to_audio(path), label))
    if shuffle:
        ds = ds.shuffle(64, seed=41)
    ds = ds.batch(16)
    ds = ds.map(lambda x, y: (add_noise(x, noises, scale=0.1), y))
    return ds.map(lambda x, y: (audio_to_fft(x), y)).prefetch(tf.data.AUTOTUNE)


train_ds = make_ds(paths[:48], labels[:48], True)
valid_ds = make_ds(paths[48:], labels[48:], False)
xb, yb = next(iter(train_ds))
assert tuple(xb.shape) == (16, CLIP // 2, 1) and float(tf.reduce_min(xb)) >= 0.0


def residual_block(x, filters, conv_num=3, activation="relu"):
    s = keras.layers.Conv1D(filters, 1, padding="same")(x)
    for i in range(conv_num - 1):
        x = keras.layers.Conv1D(filters, 3, padding="same")(x)
        x = keras.layers.Activation(activation)(x)
    x = keras.layers.Conv1D(filters, 3, padding="same")(x)
    x = keras.layers.Add()([x, s])
    x = keras.layers.Activation(activation)(x)
    return keras.layers.MaxPool1D(pool_size=2, strides=2)(x)


def build_model(input_shape, num_classes):
    inputs = keras.layers.Input(shape=input_shape, name="input")
    x = residual_block(inputs, 8, 2)
    x = residual_block(x, 16, 2)
    x = keras.layers.AveragePooling1D(pool_size=3, strides=3)(x)
    x = keras.layers.Flatten()(x)
    x = keras.layers.Dense(32, activation="relu")(x)
    outputs = keras.layers.Dense(num_classes, activation="softmax", name="output")(x)
    return keras.models.Model(inputs=inputs, outputs=outputs)


model = build_model((CLIP // 2, 1), len(names))
assert model.output_shape == (None, 3)
model.compile(optimizer="Adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
earlystopping_cb = keras.callbacks.EarlyStopping(patience=5, restore_best_weights=True)
history = model.fit(
    train_ds, epochs=8, validation_data=valid_ds, callbacks=[earlystopping_cb], verbose=0
)
loss, acc = model.evaluate(valid_ds, verbose=0)
assert acc > 0.8, history.history
preds = model.predict(valid_ds, verbose=0)
assert preds.shape == (24, 3)
np.testing.assert_allclose(preds.sum(axis=1), 1.0, rtol=1e-5)
print("validation accuracy", acc)
