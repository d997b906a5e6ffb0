# keras.io "Vocal Track Separation with Encoder-Decoder Architecture", shrunk to a few
# hundred samples of synthetic "voice" (a tone) over noise: a keras.utils.PyDataset that
# builds each batch with keras.ops, an STFT front end (ops.stft, real/imag stacked, last bin
# dropped) split into sub-bands, registered custom layers that create their sub-layers in
# build(*_) (GroupNormalization(groups=-1), Conv2D, Dense over the frequency axis through
# swapaxes, a Conv2D down / Conv2DTranspose up pair), a spectral L1 loss and an SDR metric
# through ops.istft, Adam with gradient_accumulation_steps, ModelCheckpoint on "val_sdr"
# (mode max), ReduceLROnPlateau and CSVLogger; the checkpoint reloads with its optimizer.
import csv
import os
import tempfile

import keras
import numpy as np
from keras import callbacks, layers, ops, saving

keras.utils.set_random_seed(3)
CHUNK, N_FFT, HOP, BANDS = 480, 64, 32, 2  # 16 frames, 32 kept frequency bins
work = tempfile.mkdtemp()


class Mixtures(keras.utils.PyDataset):
    def __init__(self, batches, seed, **kwargs):
        super().__init__(**kwargs)
        self.batches, self.seed = batches, seed

    def __len__(self):
        return self.batches

    def __getitem__(self, index):
        rng = np.random.default_rng(self.seed + (0 if index is None else index))
        t = np.arange(CHUNK) / 8000.0
        voice = np.stack([np.sin(2 * np.pi * f * t) for f in rng.uniform(300, 900, 2)])
        noise = 0.3 * rng.normal(size=(2, CHUNK))
        mixture = ops.sum(np.stack([voice, noise], axis=1).astype("float32"), axis=1)
        return mixture, ops.convert_to_tensor(voice[:, None, :].astype("float32"))


def spectrum(audio):
    real, imag = ops.stft(audio, N_FFT, HOP, N_FFT)
    stacked = ops.stack([real, imag], axis=-1)
    return ops.split(stacked, [stacked.shape[2] - 1], axis=2)[0]


@saving.register_keras_serializable(package="kxo4")
class FrequencyMix(layers.Layer):
    def __init__(self, width, **kwargs):
        super().__init__(**kwargs)
        self.width = width

    def build(self, *_):
        self.norm = layers.GroupNormalization(groups=-1)
        self.dense = layers.Dense(self.width, use_bias=False)

    def call(self, x):
        x = ops.swapaxes(ops.gelu(self.norm(x)), -1, -2)
        return ops.swapaxes(self.dense(x), -1, -2)


@saving.register_keras_serializable(package="kxo4")
class Rescale(layers.Layer):
    kind = layers.Conv2D

    def __init__(self, channels, **kwargs):
        super().__init__(**kwargs)
        self.channels = channels

    def build(self, *_):
        self.conv = self.kind(self.channels, 2, 2, use_bias=False)
        self.norm = layers.GroupNormalization(groups=-1)

    def call(self, x):
        return self.norm(ops.gelu(self.conv(x)))


@saving.register_keras_serializable(package="kxo4")
class Upsample(Rescale):
    kind = layers.Conv2DTranspose


def separator(inputs, channels=4):
    spec = spectrum(inputs)  # (batch, frames, bins, 2)
    mix = ops.reshape(spec, (-1, spec.shape[1], spec.shape[2] // BANDS, 2 * BANDS))
    first = layers.Conv2D(channels, 1, use_bias=False)(mix)
    skip = FrequencyMix(mix.shape[2])(first) + first
    low = Rescale(channels * 2)(skip)
    low = FrequencyMix(mix.shape[2] // 2)(low) + low
    up = ops.concatenate([Upsample(channels)(low), skip], axis=-1)
    out = layers.Conv2D(2 * BANDS, 1, use_bias=False)(ops.concatenate([mix, up], axis=-1))
    out = ops.reshape(out, (-1, 1, out.shape[1], out.shape[2] * 2 * BANDS))
    return keras.Model(inputs, out, name="separator")


def to_wave(prediction):
    x = ops.reshape(prediction, (-1, prediction.shape[2], prediction.shape[3] // 2, 2))
    x = ops.pad(x, ((0, 0), (0, 0), (0, 1), (0, 0)))  # the dropped bin back, as zeros
    real, imag = ops.split(x, 2, axis=-1)
    wave = ops.istft((ops.squeeze(real, -1), ops.squeeze(imag, -1)), N_FFT, HOP, N_FFT)
    return ops.reshape(wave, (-1, 1, wave.shape[1]))


@saving.register_keras_serializable(package="kxo4")
def sdr(y_true, y_pred):
    wave = to_wave(y_pred)[..., : y_true.shape[-1]]
    signal = ops.sum(ops.square(y_true), axis=-1) + 1e-8
    error = ops.sum(ops.square(y_true - wave), axis=-1) + 1e-8
    return 10 * ops.log10(signal / error)


@saving.register_keras_serializable(package="kxo4")
def spectral_l1(y_true, y_pred):
    target = spectrum(ops.reshape(y_true, (-1, CHUNK)))
    target = ops.reshape(target, (-1, 1, target.shape[1], target.shape[2] * 2))
    return ops.mean(ops.absolute(target - y_pred))


train, valid = Mixtures(3, seed=0), Mixtures(1, seed=100)
x, y = valid[None]
assert tuple(x.shape) == (2, CHUNK) and tuple(y.shape) == (2, 1, CHUNK)
assert tuple(spectrum(x).shape) == (2, 16, 32, 2)

model = separator(keras.Input((CHUNK,)))
assert model.output.shape == (None, 1, 16, 64)
# an untouched spectrum through the inverse STFT gives the audio back
real, imag = ops.stft(x, N_FFT, HOP, N_FFT)
round_trip = ops.convert_to_numpy(ops.istft((real, imag), N_FFT, HOP, N_FFT))
np.testing.assert_allclose(round_trip[:, :CHUNK], ops.convert_to_numpy(x), atol=1e-4)

optimizer = keras.optimizers.Adam(1e-3, gradient_accumulation_steps=2)
model.compile(optimizer=optimizer, loss=spectral_l1, metrics=[sdr])
checkpoint = os.path.join(work, "separator.keras")
log = os.path.join(work, "log.csv")
history = model.fit(
    train,
    validation_data=valid,
    epochs=2,
    shuffle=False,
    verbose=0,
    callbacks=[
        callbacks.ModelCheckpoint(checkpoint, "val_sdr", save_best_only=True, mode="max"),
        callbacks.ReduceLROnPlateau(factor=0.5, patience=2),
        callbacks.CSVLogger(log),
    ],
)
assert sorted(history.history) == ["learning_rate", "loss", "sdr", "val_loss", "val_sdr"]
# six batches, gradients accumulated over two: three optimizer updates
assert int(optimizer.iterations) == 3
with open(log) as handle:
    rows = list(csv.DictReader(handle))
assert [row["epoch"] for row in rows] == ["0", "1"] and "val_sdr" in rows[0]

restored = saving.load_model(checkpoint)
assert restored.count_params() == model.count_params()
assert len(restored.optimizer.variables) == len(model.optimizer.variables)
names = [v.path for v in restored.optimizer.variables]
assert any(name.endswith("_gradient_accumulator") for name in names)
scores = restored.evaluate(valid, verbose=0, return_dict=True)
assert sorted(scores) == ["loss", "sdr"] and np.isfinite(scores["loss"])
wave = to_wave(model.predict(x, verbose=0))
assert tuple(wave.shape)[:2] == (2, 1) and wave.shape[-1] >= CHUNK
print("ok")
