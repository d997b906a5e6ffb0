# keras.io "Audio Classification with the STFTSpectrogram layer" and "Automatic Speech
# Recognition with Transformer", small and synthetic: STFTSpectrogram layers on
# Input((None, 1)) (a 64-sample frame, and padding="same" with a 24-sample step: the time
# axis stays None), a 1-D classifier whose spectrogram is not trainable, several
# spectrograms concatenated as image channels; then wav files written with
# tf.audio.encode_wav, read back in a tf.data map (decode_wav, stft, magnitude ** 0.5,
# per-frame normalization, pad/crop), a speech Transformer keras.Model with its own
# train_step / test_step (compute_loss with a padding sample_weight), a learning-rate
# schedule class, and a callback whose on_epoch_end runs before the progress bar's line and
# whose logs reach History (Keras 3's callback order: user callbacks, History, ProgbarLogger).
import contextlib
import io
import os

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(7)
rng = np.random.default_rng(7)
RATE = 1600

inputs = keras.Input((None, 1))
long_frames = layers.STFTSpectrogram(frame_length=64, frame_step=24, fft_length=64)(inputs)
assert long_frames.shape == (None, None, 33)
same = layers.STFTSpectrogram(
    mode="log", frame_length=48, frame_step=24, fft_length=128, padding="same", expand_dims=True
)
assert same(inputs).shape == (None, None, 65, 1)
waves = np.stack([np.sin(2 * np.pi * f * np.arange(RATE) / RATE) for f in (100, 400)])
waves = waves.astype("float32")[..., None]
image = same(waves)
assert image.shape == (2, (RATE + 23) // 24, 65, 1)
peak = np.argmax(np.asarray(image)[:, 10, :, 0], axis=-1)
np.testing.assert_array_equal(peak, [8, 32])  # bin = f / RATE * fft_length

labels = np.array([0, 1])
model1d = keras.Sequential(
    [
        layers.InputLayer((None, 1)),
        layers.STFTSpectrogram(mode="log", frame_length=64, frame_step=24, trainable=False),
        layers.Conv1D(4, 3, activation="relu"),
        layers.GlobalMaxPooling1D(),
        layers.Dense(2, activation="softmax"),
    ]
)
stft_layer = model1d.layers[0]
assert [w.name for w in stft_layer.weights] == ["real_kernel", "imag_kernel"]
assert len(model1d.trainable_weights) == 4 and len(model1d.non_trainable_weights) == 2
frozen = stft_layer.weights[0].numpy().copy()
model1d.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model1d.fit(waves, labels, epochs=2, verbose=0)
np.testing.assert_array_equal(stft_layer.weights[0].numpy(), frozen)

specs = [
    layers.STFTSpectrogram(
        frame_length=size, frame_step=24, fft_length=128, padding="same", expand_dims=True
    )(inputs)
    for size in (32, 48, 64)
]
multi = layers.Concatenate(axis=-1)(specs)
assert multi.shape == (None, None, 65, 3)
assert keras.Model(inputs, multi).predict(waves, verbose=0).shape == (2, 67, 65, 3)

# --- the speech transformer on wav files ---
folder = "wavs"
os.makedirs(folder, exist_ok=True)
vocab = ["-", "#", "<", ">"] + [chr(i + 96) for i in range(1, 27)] + [" ", "."]
char_to_idx = {ch: i for i, ch in enumerate(vocab)}
MAX_TARGET = 12


def vectorize(text):
    text = "<" + text.lower()[: MAX_TARGET - 2] + ">"
    return [char_to_idx.get(ch, 1) for ch in text] + [0] * (MAX_TARGET - len(text))


paths, texts = [], []
for k in range(8):
    samples = 800 + 40 * k
    tone = 0.4 * np.sin(2 * np.pi * (150 + 30 * k) * np.arange(samples) / RATE)
    path = os.path.join(folder, f"clip{k}.wav")
    tf.io.write_file(path, tf.audio.encode_wav(tone.astype("float32")[:, None], RATE))
    paths.append(path)
    texts.append(["the car", "may one", "where"][k % 3])
assert vectorize("The car")[:5] == [2, 23, 11, 8, 30]


def path_to_audio(path):
    audio, rate = tf.audio.decode_wav(tf.io.read_file(path), 1)
    audio = tf.squeeze(audio, axis=-1)
    stfts = tf.signal.stft(audio, frame_length=64, frame_step=32, fft_length=64)
    x = tf.math.pow(tf.abs(stfts), 0.5)
    means = tf.math.reduce_mean(x, 1, keepdims=True)
    stddevs = tf.math.reduce_std(x, 1, keepdims=True)
    x = (x - means) / stddevs
    return tf.pad(x, tf.constant([[0, 40], [0, 0]]))[:40, :]


first = path_to_audio(paths[0])
assert first.shape == (40, 33) and first.dtype == tf.float32
np.testing.assert_allclose(np.asarray(first)[:24].mean(axis=1), 0.0, atol=1e-5)
audio_ds = tf.data.Dataset.from_tensor_slices(paths).map(path_to_audio)
text_ds = tf.data.Dataset.from_tensor_slices([vectorize(t) for t in texts])
ds = tf.data.Dataset.zip((audio_ds, text_ds)).map(lambda x, y: {"source": x, "target": y})
ds = ds.batch(4)


class SpeechTransformer(keras.Model):
    def __init__(self, num_hid=8, num_classes=len(vocab)):
        super().__init__()
        self.loss_metric = keras.metrics.Mean(name="loss")
        self.num_classes = num_classes
        self.encoder = keras.Sequential(
            [
                layers.Conv1D(num_hid, 5, strides=2, padding="same", activation="relu"),
                layers.Conv1D(num_hid, 5, strides=2, padding="same", activation="relu"),
            ]
        )
        self.embed = layers.Embedding(num_classes, num_hid)
        self.attention = layers.MultiHeadAttention(num_heads=2, key_dim=num_hid)
        self.classifier = layers.Dense(num_classes)

    def call(self, inputs):
        source, target = inputs
        memory = self.encoder(source)
        y = self.embed(target)
        return self.classifier(y + self.attention(y, memory))

    @property
    def metrics(self):
        return [self.loss_metric]

    def _loss(self, batch):
        target = batch["target"]
        preds = self([batch["source"], target[:, :-1]])
        one_hot = tf.one_hot(target[:, 1:], depth=self.num_classes)
        mask = tf.math.logical_not(tf.math.equal(target[:, 1:], 0))
        return self.compute_loss(None, one_hot, preds, sample_weight=mask)

    def train_step(self, batch):
        with tf.GradientTape() as tape:
            loss = self._loss(batch)
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        self.loss_metric.update_state(loss)
        return {"loss": self.loss_metric.result()}

    def test_step(self, batch):
        self.loss_metric.update_state(self._loss(batch))
        return {"loss": self.loss_metric.result()}


class WarmUp(keras.optimizers.schedules.LearningRateSchedule):
    def __init__(self, steps_per_epoch):
        super().__init__()
        self.steps_per_epoch = steps_per_epoch

    def __call__(self, step):
        epoch = tf.cast(step // self.steps_per_epoch, "float32")
        return tf.math.minimum(1e-3 + 1e-3 * epoch, 5e-3)


schedule = WarmUp(len(ds))
assert len(ds) == 2 and abs(float(schedule(4)) - 3e-3) < 1e-9


class Display(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        print(f"display {epoch}")
        logs["shown"] = float(epoch)


model = SpeechTransformer()
model.compile(
    optimizer=keras.optimizers.Adam(schedule),
    loss=keras.losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1),
)
out = io.StringIO()
with contextlib.redirect_stdout(out):
    history = model.fit(ds, validation_data=ds, epochs=2, verbose=2, callbacks=[Display()])
lines = [line for line in out.getvalue().splitlines() if line.strip()]
assert lines[0] == "Epoch 1/2" and lines[1] == "display 0", lines
assert "- loss:" in lines[2] and "shown: 0.0000" in lines[2], lines
assert sorted(history.history) == ["loss", "shown", "val_loss"]
assert history.history["shown"] == [0.0, 1.0]
assert all(np.isfinite(history.history["loss"]))
logits = model([next(iter(ds))["source"], tf.ones((4, 1), "int32") * 2])
assert logits.shape == (4, 1, len(vocab))
print("ok")
