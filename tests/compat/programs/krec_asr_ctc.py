# keras.io "Automatic Speech Recognition using CTC" on synthetic speech: each character is a
# tone; WAV files are written with tf.audio.encode_wav and read back with decode_wav; the
# pipeline maps audio to a normalized STFT magnitude spectrogram and the transcript to ids
# (StringLookup, blank/OOV at 0), batches with padded_batch, trains a Conv2D + bidirectional
# GRU model with keras.losses.CTC and decodes with keras.ops.ctc_decode (greedy).
import keras
import numpy as np
import tensorflow as tf
from keras import layers

keras.utils.set_random_seed(37)
rng = np.random.default_rng(37)

rate, frame_length, frame_step, fft_length = 2000, 64, 32, 64
clip_samples, max_chars = 640, 3
characters = list("abcd")
tones = {"a": 250.0, "b": 500.0, "c": 750.0, "d": 1000.0}
char_to_num = layers.StringLookup(vocabulary=characters, oov_token="")
num_to_char = layers.StringLookup(
    vocabulary=char_to_num.get_vocabulary(), oov_token="", invert=True
)
assert char_to_num.get_vocabulary() == ["", "a", "b", "c", "d"]
assert char_to_num.vocabulary_size() == 5


def synth(text):
    pieces = []
    for ch in text:
        n = int(rng.integers(110, 140))
        t = np.arange(n) / rate
        pieces.append(np.sin(2 * np.pi * tones[ch] * t + rng.uniform(0, 6.28)))
        pieces.append(np.zeros(int(rng.integers(50, 70))))
    wave = np.concatenate([np.zeros(30)] + pieces)
    wave = np.pad(wave, (0, clip_samples - wave.size))  # every clip the same length
    return (0.5 * wave + 0.02 * rng.normal(size=wave.size)).astype("float32")


texts, files = [], []
for i in range(64):
    text = "".join(rng.choice(characters, size=int(rng.integers(2, max_chars + 1))))
    wav = tf.audio.encode_wav(synth(text)[:, None], rate)
    tf.io.write_file(f"clip_{i}.wav", wav)
    texts.append(text)
    files.append(f"clip_{i}.wav")


def encode_single_sample(wav_file, label):
    audio, sample_rate = tf.audio.decode_wav(tf.io.read_file(wav_file))
    audio = tf.squeeze(audio, axis=-1)
    spectrogram = tf.signal.stft(
        audio, frame_length=frame_length, frame_step=frame_step, fft_length=fft_length
    )
    spectrogram = tf.math.pow(tf.abs(spectrogram), 0.5)
    means = tf.math.reduce_mean(spectrogram, 1, keepdims=True)
    stddevs = tf.math.reduce_std(spectrogram, 1, keepdims=True)
    spectrogram = (spectrogram - means) / (stddevs + 1e-10)
    label = tf.strings.unicode_split(tf.strings.lower(label), input_encoding="UTF-8")
    return spectrogram, char_to_num(label)


ds = tf.data.Dataset.from_tensor_slices((files, texts))
spec, lab = next(iter(ds.map(encode_single_sample)))
assert spec.shape[1] == fft_length // 2 + 1 and spec.dtype == tf.float32
np.testing.assert_array_equal(lab.numpy(), [characters.index(c) + 1 for c in texts[0]])

# fixed padded shapes: every batch has the same shape (labels padded with 0, the blank)
frames = 1 + (clip_samples - frame_length) // frame_step
shapes = ([frames, fft_length // 2 + 1], [max_chars])
train_ds = (
    ds.take(48)
    .map(encode_single_sample)
    .padded_batch(16, padded_shapes=shapes)
    .prefetch(tf.data.AUTOTUNE)
)
val_ds = ds.skip(48).map(encode_single_sample).padded_batch(16, padded_shapes=shapes)
x_batch, y_batch = next(iter(train_ds))
assert tuple(x_batch.shape) == (16, frames, 33) and tuple(y_batch.shape) == (16, max_chars)
assert int(tf.reduce_min(y_batch)) == 0  # padded with the blank id


def build_model(input_dim, output_dim, rnn_units=16):
    input_spectrogram = layers.Input((None, input_dim), name="input")
    x = layers.Reshape((-1, input_dim, 1))(input_spectrogram)
    x = layers.Conv2D(8, kernel_size=[3, 5], strides=[1, 2], padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.ReLU()(x)
    x = layers.Reshape((-1, x.shape[-2] * x.shape[-1]))(x)
    x = layers.Bidirectional(layers.GRU(rnn_units, return_sequences=True))(x)
    x = layers.Dense(rnn_units, activation="relu")(x)
    output = layers.Dense(output_dim + 1)(x)
    return keras.Model(input_spectrogram, output, name="DeepSpeech_tiny")


model = build_model(fft_length // 2 + 1, char_to_num.vocabulary_size())
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.03), loss=keras.losses.CTC())
hist = model.fit(train_ds, validation_data=val_ds, epochs=20, verbose=0)
losses = hist.history["loss"]
assert losses[-1] < 0.3 * losses[0], losses


def decode_batch_predictions(pred):
    input_len = np.ones(pred.shape[0]) * pred.shape[1]
    results = keras.ops.ctc_decode(pred, sequence_lengths=input_len, strategy="greedy")[0][0]
    output_text = []
    for result in keras.ops.convert_to_numpy(results):
        result = tf.strings.reduce_join(num_to_char(result[result > 0])).numpy().decode("utf-8")
        output_text.append(result)
    return output_text


predictions, targets = [], []
for x_val, y_val in val_ds:
    predictions.extend(decode_batch_predictions(model.predict(x_val, verbose=0)))
    for label in y_val.numpy():
        targets.append(tf.strings.reduce_join(num_to_char(label[label > 0])).numpy().decode())
assert targets == texts[48:], targets
exact = np.mean([p == t for p, t in zip(predictions, targets)])
assert exact >= 0.75, list(zip(predictions, targets))
print("val loss", hist.history["val_loss"][-1], "exact transcripts", exact)
