# The first "Simple audio recognition" tutorial's pipeline on generated clips: WAV files
# written with tf.audio.encode_wav + tf.io.write_file (a round trip through decode_wav,
# desired_channels / desired_samples), tf.io.gfile.glob, labels from tf.strings.split of the
# path, waveforms zero-padded to a fixed length before tf.signal.stft, label ids with
# tf.math.argmax(label == commands), a spectrogram CNN with Resizing and Normalization.adapt,
# and an ExportModel tf.Module whose tf.function takes either a file name or a batch of
# waveforms.
import os

import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(4)
rng = np.random.default_rng(4)
SAMPLE_RATE = 8000
INPUT_LEN = 4000

# encode_wav / decode_wav: 16-bit PCM, so a round trip is exact to 1/32768
clip = (0.5 * np.sin(np.arange(1000) / 5.0)).astype("float32")[:, None]
contents = tf.audio.encode_wav(clip, sample_rate=SAMPLE_RATE)
assert contents.dtype == tf.string and contents.shape == ()
assert contents.numpy()[:4] == b"RIFF" and len(contents.numpy()) == 44 + 2 * 1000
audio, sample_rate = tf.audio.decode_wav(contents)
assert audio.shape == (1000, 1) and audio.dtype == tf.float32
assert sample_rate.dtype == tf.int32 and int(sample_rate) == SAMPLE_RATE
np.testing.assert_allclose(audio.numpy(), clip, atol=1.0 / 32768)
padded, _ = tf.audio.decode_wav(contents, desired_channels=1, desired_samples=1200)
assert padded.shape == (1200, 1) and not np.any(padded.numpy()[1000:])
cut, _ = tf.audio.decode_wav(contents, desired_samples=600)
np.testing.assert_array_equal(cut.numpy(), audio.numpy()[:600])
stereo = tf.audio.encode_wav(np.concatenate([clip, -clip], axis=1), SAMPLE_RATE)
both, _ = tf.audio.decode_wav(stereo)
assert both.shape == (1000, 2)
np.testing.assert_allclose(both.numpy()[:, 1], -both.numpy()[:, 0], atol=1.0 / 32768)

commands = np.array(["down", "go", "up"])
freqs = {"down": 250.0, "go": 700.0, "up": 1500.0}
for command in commands:
    os.makedirs(os.path.join("mini_speech_commands", command), exist_ok=True)
    for i in range(8):
        n = int(rng.integers(2500, 4600))  # some clips are longer than INPUT_LEN
        t = np.arange(n) / SAMPLE_RATE
        wave = 0.6 * np.sin(2 * np.pi * freqs[command] * t) + 0.05 * rng.standard_normal(n)
        wav = tf.audio.encode_wav(wave.astype("float32")[:, None], SAMPLE_RATE)
        tf.io.write_file(os.path.join("mini_speech_commands", command, f"{i}.wav"), wav)

filenames = tf.io.gfile.glob("mini_speech_commands" + "/*/*")
assert len(filenames) == 24
filenames = tf.random.shuffle(filenames)
assert filenames.dtype == tf.string and filenames.shape == (24,)
train_files, val_files = filenames[:18], filenames[18:]


def decode_audio(audio_binary):
    audio, _ = tf.audio.decode_wav(contents=audio_binary)
    return tf.squeeze(audio, axis=-1)


def get_label(file_path):
    parts = tf.strings.split(input=file_path, sep=os.path.sep)
    return parts[-2]


def get_waveform_and_label(file_path):
    label = get_label(file_path)
    audio_binary = tf.io.read_file(file_path)
    waveform = decode_audio(audio_binary)
    return waveform, label


AUTOTUNE = tf.data.AUTOTUNE
files_ds = tf.data.Dataset.from_tensor_slices(train_files)
waveform_ds = files_ds.map(map_func=get_waveform_and_label, num_parallel_calls=AUTOTUNE)
wave_spec, label_spec = waveform_ds.element_spec
assert wave_spec.shape.as_list() == [None] and label_spec.dtype == tf.string
for waveform, label in waveform_ds.take(1):
    assert label.numpy().decode() in commands
    assert 2500 <= waveform.shape[0] < 4600


def get_spectrogram(waveform):
    # Zero-padding for an audio waveform with less than INPUT_LEN samples.
    input_len = INPUT_LEN
    waveform = waveform[:input_len]
    zero_padding = tf.zeros([INPUT_LEN] - tf.shape(waveform), dtype=tf.float32)
    waveform = tf.cast(waveform, dtype=tf.float32)
    equal_length = tf.concat([waveform, zero_padding], 0)
    spectrogram = tf.signal.stft(equal_length, frame_length=255, frame_step=128)
    spectrogram = tf.abs(spectrogram)
    spectrogram = spectrogram[..., tf.newaxis]
    return spectrogram


spectrogram = get_spectrogram(waveform)
assert spectrogram.shape == (1 + (INPUT_LEN - 255) // 128, 129, 1)
frame = np.pad(waveform.numpy()[:INPUT_LEN], (0, max(0, INPUT_LEN - waveform.shape[0])))[:255]
# TF's "periodic" Hann window only differs from the symmetric one at even lengths
window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(255) / 254)
expected = np.abs(np.fft.rfft(frame * window, n=256))
np.testing.assert_allclose(spectrogram.numpy()[0, :, 0], expected, rtol=1e-3, atol=1e-3)
# the loudest frequency bin sits at the clip's tone
peak_hz = int(np.argmax(spectrogram.numpy()[:, :, 0].mean(axis=0))) * SAMPLE_RATE / 256
assert abs(peak_hz - freqs[label.numpy().decode()]) < 2 * SAMPLE_RATE / 256, peak_hz


def get_spectrogram_and_label_id(audio, label):
    spectrogram = get_spectrogram(audio)
    label_id = tf.math.argmax(label == commands)
    return spectrogram, label_id


spectrogram_ds = waveform_ds.map(map_func=get_spectrogram_and_label_id, num_parallel_calls=AUTOTUNE)
for spec, label_id in spectrogram_ds.take(1):
    assert label_id.dtype == tf.int64 and spec.shape == (30, 129, 1)


def preprocess_dataset(files):
    files_ds = tf.data.Dataset.from_tensor_slices(files)
    output_ds = files_ds.map(map_func=get_waveform_and_label, num_parallel_calls=AUTOTUNE)
    output_ds = output_ds.map(map_func=get_spectrogram_and_label_id, num_parallel_calls=AUTOTUNE)
    return output_ds


train_ds = spectrogram_ds.batch(6).cache().prefetch(AUTOTUNE)
val_ds = preprocess_dataset(val_files).batch(6).cache().prefetch(AUTOTUNE)
input_shape = (30, 129, 1)
num_labels = len(commands)
norm_layer = tf.keras.layers.Normalization()
norm_layer.adapt(data=spectrogram_ds.map(map_func=lambda spec, label: spec))
all_specs = np.stack([s.numpy() for s, _ in spectrogram_ds])
np.testing.assert_allclose(norm_layer.mean.numpy().ravel(), [all_specs.mean()], rtol=1e-4)

model = tf.keras.models.Sequential(
    [
        tf.keras.layers.Input(shape=input_shape),
        tf.keras.layers.Resizing(16, 16),
        norm_layer,
        tf.keras.layers.Conv2D(8, 3, activation="relu"),
        tf.keras.layers.MaxPooling2D(),
        tf.keras.layers.Dropout(0.25),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(16, activation="relu"),
        tf.keras.layers.Dense(num_labels),
    ]
)
model.compile(
    optimizer=tf.keras.optimizers.Adam(0.01),
    loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
history = model.fit(train_ds, validation_data=val_ds, epochs=20, verbose=0)
print("audio accuracy", history.history["accuracy"][-1], history.history["val_accuracy"][-1])
assert history.history["accuracy"][-1] >= 0.9, history.history["accuracy"]
assert history.history["val_accuracy"][-1] >= 0.8, history.history["val_accuracy"]

test_audio, test_labels = [], []
for audio, label in preprocess_dataset(val_files):
    test_audio.append(audio.numpy())
    test_labels.append(label.numpy())
y_pred = np.argmax(model.predict(np.array(test_audio), verbose=0), axis=1)
test_acc = np.sum(y_pred == np.array(test_labels)) / len(test_labels)
np.testing.assert_allclose(test_acc, history.history["val_accuracy"][-1], atol=1e-6)


class ExportModel(tf.Module):
    def __init__(self, model):
        self.model = model
        # Accept either a string-filename or a batch of waveforms.
        self.__call__.get_concrete_function(x=tf.TensorSpec(shape=(), dtype=tf.string))
        self.__call__.get_concrete_function(
            x=tf.TensorSpec(shape=[None, INPUT_LEN], dtype=tf.float32)
        )

    @tf.function
    def __call__(self, x):
        # If they pass a string, load the file and decode it.
        if x.dtype == tf.string:
            x = tf.io.read_file(x)
            x, _ = tf.audio.decode_wav(x, desired_channels=1, desired_samples=INPUT_LEN)
            x = tf.squeeze(x, axis=-1)
            x = x[tf.newaxis, :]
        x = tf.map_fn(get_spectrogram, x)
        result = self.model(x, training=False)
        class_ids = tf.argmax(result, axis=-1)
        class_names = tf.gather(commands, class_ids)
        return {"predictions": result, "class_ids": class_ids, "class_names": class_names}


export = ExportModel(model)
path = os.path.join("mini_speech_commands", "up", "0.wav")
out = export(tf.constant(path))
assert sorted(out) == ["class_ids", "class_names", "predictions"]
assert out["predictions"].shape == (1, 3) and out["class_names"].dtype == tf.string
waveform, _ = get_waveform_and_label(tf.constant(path))
fixed = tf.concat([waveform[:INPUT_LEN], tf.zeros([INPUT_LEN] - tf.shape(waveform[:INPUT_LEN]))], 0)
batch_out = export(fixed[tf.newaxis, :])
np.testing.assert_allclose(
    batch_out["predictions"].numpy(), out["predictions"].numpy(), rtol=1e-4, atol=1e-4
)
assert out["class_names"].numpy()[0] == b"up", out
print("audio wav pipeline ok")
