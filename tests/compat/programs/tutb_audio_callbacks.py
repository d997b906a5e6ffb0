"""Keyword-spotting in miniature, as the simple audio tutorial builds it: wav files
written with tf.audio.encode_wav, audio_dataset_from_directory with a fixed length,
STFT spectrograms, a small CNN trained with `callbacks=` given one EarlyStopping object,
and Python conversions of tensors that hold more than one value."""

import os
import tempfile

import numpy as np
import tensorflow as tf

root = tempfile.mkdtemp()
rng = np.random.RandomState(0)
words = ["go", "no", "up"]
for k, word in enumerate(words):
    os.makedirs(os.path.join(root, word))
    for i in range(8):
        n = 4000 if i % 2 else 3000  # shorter clips are padded to the sequence length
        t = np.arange(n) / 4000.0
        wave = 0.5 * np.sin(2 * np.pi * (200 + 300 * k) * t) + 0.05 * rng.randn(n)
        data = tf.audio.encode_wav(tf.constant(wave[:, None], tf.float32), 4000)
        tf.io.write_file(os.path.join(root, word, f"{i}.wav"), data)

audio, rate = tf.audio.decode_wav(tf.io.read_file(os.path.join(root, "go", "1.wav")))
assert audio.shape == (4000, 1) and int(rate) == 4000

train_ds, val_ds = tf.keras.utils.audio_dataset_from_directory(
    directory=root,
    batch_size=6,
    validation_split=0.25,
    seed=0,
    output_sequence_length=4000,
    subset="both",
)
assert list(train_ds.class_names) == words
clips, labels = next(iter(train_ds))
assert clips.shape == (6, 4000, 1) and clips.dtype == tf.float32
assert labels.dtype == tf.int32


def spectrogram(waveform):
    spec = tf.abs(tf.signal.stft(waveform, frame_length=255, frame_step=128))
    return spec[..., tf.newaxis]


def to_spec(ds):
    return ds.map(lambda a, y: (spectrogram(tf.squeeze(a, axis=-1)), y), tf.data.AUTOTUNE)


train_spec, val_spec = to_spec(train_ds), to_spec(val_ds)
spec_batch, _ = next(iter(train_spec))
assert spec_batch.shape == (6, 30, 129, 1)

norm = tf.keras.layers.Normalization()
norm.adapt(train_spec.map(lambda s, y: s))
model = tf.keras.Sequential(
    [
        tf.keras.layers.Input(shape=(30, 129, 1)),
        tf.keras.layers.Resizing(16, 16),
        norm,
        tf.keras.layers.Conv2D(4, 3, activation="relu"),
        tf.keras.layers.MaxPooling2D(),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(len(words)),
    ]
)
model.compile(
    optimizer=tf.keras.optimizers.Adam(0.01),
    loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
stopper = tf.keras.callbacks.EarlyStopping(monitor="val_loss", patience=1)
history = model.fit(train_spec, validation_data=val_spec, epochs=3, verbose=0, callbacks=stopper)
assert 1 <= len(history.history["loss"]) <= 3
assert "val_accuracy" in history.history


class Count(tf.keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.batches = 0

    def on_test_batch_end(self, batch, logs=None):
        self.batches += 1


counter = Count()
result = model.evaluate(val_spec, verbose=0, return_dict=True, callbacks=counter)
assert counter.batches == len(val_spec) and set(result) == {"loss", "accuracy"}

logits = model.predict(val_spec, verbose=0)
probs = tf.nn.softmax(logits[0])
assert probs.shape == (3,)
assert abs(float(tf.reduce_sum(probs)) - 1.0) < 1e-5
for convert in (float, int):
    try:
        convert(probs)
    except TypeError:
        pass
    else:
        raise AssertionError(f"{convert.__name__}() of 3 values should raise TypeError")

print("tutb_audio_callbacks OK")
