# The "simple audio recognition" tutorial on generated WAV files:
# audio_dataset_from_directory with a validation split, squeezing the channel axis,
# STFT spectrograms, a small CNN with Resizing and Normalization adapted on spectrograms.
import os
import wave

import numpy as np
import tensorflow as tf

rng = np.random.default_rng(0)
for label, freq in (("down", 300.0), ("up", 1200.0)):
    os.makedirs(f"data/{label}", exist_ok=True)
    for i in range(6):
        t = np.arange(900 + 50 * i) / 8000.0
        wave_ = np.sin(2 * np.pi * freq * t) + 0.1 * rng.standard_normal(t.size)
        with wave.open(f"data/{label}/{i}.wav", "wb") as f:
            f.setnchannels(1)
            f.setsampwidth(2)
            f.setframerate(8000)
            f.writeframes((wave_ * 10000).astype(np.int16).tobytes())

train_ds, val_ds = tf.keras.utils.audio_dataset_from_directory(
    directory="data",
    batch_size=4,
    validation_split=0.25,
    seed=0,
    output_sequence_length=1024,
    subset="both",
)
assert list(train_ds.class_names) == ["down", "up"]
assert train_ds.element_spec[0].shape[1] == 1024


def squeeze(audio, labels):
    return tf.squeeze(audio, axis=-1), labels


train_ds = train_ds.map(squeeze, tf.data.AUTOTUNE)
val_ds = val_ds.map(squeeze, tf.data.AUTOTUNE)
example_audio, example_labels = next(iter(train_ds))
assert tuple(example_audio.shape) == (4, 1024)
assert float(tf.reduce_max(tf.abs(example_audio))) <= 1.0


def get_spectrogram(waveform):
    spectrogram = tf.abs(tf.signal.stft(waveform, frame_length=255, frame_step=128))
    return spectrogram[..., tf.newaxis]


assert tuple(get_spectrogram(example_audio[0]).shape) == (7, 129, 1)


def make_spec_ds(ds):
    return ds.map(lambda audio, label: (get_spectrogram(audio), label), tf.data.AUTOTUNE)


train_spec = make_spec_ds(train_ds).cache()
val_spec = make_spec_ds(val_ds).cache()
norm_layer = tf.keras.layers.Normalization()
norm_layer.adapt(data=train_spec.map(map_func=lambda spec, label: spec))
model = tf.keras.Sequential(
    [
        tf.keras.layers.Input(shape=(7, 129, 1)),
        tf.keras.layers.Resizing(16, 16),
        norm_layer,
        tf.keras.layers.Conv2D(8, 3, activation="relu"),
        tf.keras.layers.MaxPooling2D(),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(2),
    ]
)
model.compile(
    optimizer=tf.keras.optimizers.Adam(0.01),
    loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
history = model.fit(train_spec, validation_data=val_spec, epochs=15, verbose=0)
assert history.history["accuracy"][-1] == 1.0, history.history["accuracy"]
ordered = tf.keras.utils.audio_dataset_from_directory("data", batch_size=None, shuffle=False)
audio, label = next(iter(ordered))
assert tuple(audio.shape) == (900, 1) and int(label) == 0
print("ok")
