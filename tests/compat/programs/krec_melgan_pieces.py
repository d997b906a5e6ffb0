# keras.io "MelGAN-based spectrogram inversion", small: a MelSpec layer (tf.signal.stft with
# pad_end, squared magnitude times linear_to_mel_weight_matrix, dB scale) used only in
# training, a generator of Conv1DTranspose upsampling and dilated residual stacks with
# LeakyReLU, a multi-scale discriminator (AveragePooling1D) returning its feature maps, and a
# MelGAN model whose train_step runs two GradientTapes and two optimizers (least-squares
# adversarial loss, feature matching, and a mel reconstruction loss differentiated through
# the STFT).
import keras
import numpy as np
import tensorflow as tf
from keras import layers

keras.utils.set_random_seed(43)
rng = np.random.default_rng(43)

RATE, SAMPLES, FRAME, STEP, MELS = 4000, 256, 64, 16, 16


class MelSpec(layers.Layer):
    def __init__(
        self,
        frame_length=FRAME,
        frame_step=STEP,
        sampling_rate=RATE,
        num_mel_channels=MELS,
        freq_min=60,
        freq_max=1900,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.frame_length = frame_length
        self.frame_step = frame_step
        self.mel_filterbank = tf.signal.linear_to_mel_weight_matrix(
            num_mel_bins=num_mel_channels,
            num_spectrogram_bins=frame_length // 2 + 1,
            sample_rate=sampling_rate,
            lower_edge_hertz=freq_min,
            upper_edge_hertz=freq_max,
        )

    def call(self, audio, training=True):
        if training:
            stft = tf.signal.stft(
                tf.squeeze(audio, -1), self.frame_length, self.frame_step, pad_end=True
            )
            mel = tf.matmul(tf.square(tf.abs(stft)), self.mel_filterbank)
            return 10.0 * tf.math.log(mel + 1.0) / tf.math.log(10.0)  # compressed dB
        return audio


def residual_stack(x, filters):
    c1 = layers.Conv1D(filters, 3, dilation_rate=1, padding="same")(x)
    lrelu1 = layers.LeakyReLU(negative_slope=0.2)(c1)
    c2 = layers.Conv1D(filters, 3, dilation_rate=1, padding="same")(lrelu1)
    add1 = layers.Add()([c2, x])
    lrelu2 = layers.LeakyReLU(negative_slope=0.2)(add1)
    c3 = layers.Conv1D(filters, 3, dilation_rate=3, padding="same")(lrelu2)
    lrelu3 = layers.LeakyReLU(negative_slope=0.2)(c3)
    c4 = layers.Conv1D(filters, 3, dilation_rate=1, padding="same")(lrelu3)
    return layers.Add()([c4, add1])


def conv_block(x, conv_dim, upsampling_factor):
    x = layers.Conv1DTranspose(conv_dim, 8, upsampling_factor, padding="same")(x)
    x = layers.LeakyReLU(negative_slope=0.2)(x)
    return residual_stack(x, conv_dim)


def create_generator(input_shape):
    inp = keras.Input(input_shape)
    x = layers.Conv1D(32, 7, padding="same")(inp)
    x = layers.LeakyReLU(negative_slope=0.2)(x)
    x = conv_block(x, 16, 4)
    x = conv_block(x, 8, 4)
    out = layers.Conv1D(1, 7, padding="same", activation="tanh")(x)
    return keras.Model(inp, out, name="generator")


def discriminator_block(x):
    fm1 = layers.Conv1D(8, 7, padding="same")(x)
    lrelu1 = layers.LeakyReLU(negative_slope=0.2)(fm1)
    fm2 = layers.Conv1D(16, 5, strides=4, padding="same")(lrelu1)
    lrelu2 = layers.LeakyReLU(negative_slope=0.2)(fm2)
    fm3 = layers.Conv1D(1, 3, padding="same")(lrelu2)
    return [fm1, fm2, fm3]


def create_discriminator(input_shape):
    inp = keras.Input(input_shape)
    out_map1 = discriminator_block(inp)
    out_map2 = discriminator_block(layers.AveragePooling1D(4, strides=2, padding="same")(inp))
    return keras.Model(inp, [out_map1, out_map2], name="discriminator")


mse = keras.losses.MeanSquaredError()
mae = keras.losses.MeanAbsoluteError()


def generator_loss(real_pred, fake_pred):
    return tf.add_n([mse(tf.ones_like(f[-1]), f[-1]) for f in fake_pred])


def feature_matching_loss(real_pred, fake_pred):
    fm = [mae(r, f) for rs, fs in zip(real_pred, fake_pred) for r, f in zip(rs[:-1], fs[:-1])]
    return tf.add_n(fm) / len(fm)


def discriminator_loss(real_pred, fake_pred):
    real = tf.add_n([mse(tf.ones_like(r[-1]), r[-1]) for r in real_pred])
    fake = tf.add_n([mse(tf.zeros_like(f[-1]), f[-1]) for f in fake_pred])
    return real + fake


class MelGAN(keras.Model):
    def __init__(self, generator, discriminator, **kwargs):
        super().__init__(**kwargs)
        self.generator = generator
        self.discriminator = discriminator
        self.mel = MelSpec()

    def compile(self, gen_optimizer, disc_optimizer, mel_weight=10.0):
        super().compile()
        self.gen_optimizer = gen_optimizer
        self.disc_optimizer = disc_optimizer
        self.mel_weight = mel_weight
        self.gen_loss_tracker = keras.metrics.Mean(name="gen_loss")
        self.disc_loss_tracker = keras.metrics.Mean(name="disc_loss")
        self.mel_loss_tracker = keras.metrics.Mean(name="mel_loss")

    @property
    def metrics(self):
        return [self.gen_loss_tracker, self.disc_loss_tracker, self.mel_loss_tracker]

    def train_step(self, batch):
        x_batch_train, y_batch_train = batch
        with tf.GradientTape() as gen_tape, tf.GradientTape() as disc_tape:
            gen_audio_wave = self.generator(x_batch_train, training=True)
            real_pred = self.discriminator(y_batch_train)
            fake_pred = self.discriminator(gen_audio_wave)
            mel_loss = mae(self.mel(y_batch_train), self.mel(gen_audio_wave))
            gen_loss = (
                generator_loss(real_pred, fake_pred)
                + feature_matching_loss(real_pred, fake_pred)
                + self.mel_weight * mel_loss
            )
            disc_loss = discriminator_loss(real_pred, fake_pred)
        grads_gen = gen_tape.gradient(gen_loss, self.generator.trainable_weights)
        grads_disc = disc_tape.gradient(disc_loss, self.discriminator.trainable_weights)
        self.gen_optimizer.apply_gradients(zip(grads_gen, self.generator.trainable_weights))
        self.disc_optimizer.apply_gradients(zip(grads_disc, self.discriminator.trainable_weights))
        self.gen_loss_tracker.update_state(gen_loss)
        self.disc_loss_tracker.update_state(disc_loss)
        self.mel_loss_tracker.update_state(mel_loss)
        return {m.name: m.result() for m in self.metrics}


# waveforms: two tones each; the generator input is their mel spectrogram
t = np.arange(SAMPLES) / RATE
waves = []
for _ in range(32):
    f1, f2 = rng.uniform(200, 900, 2)
    w = 0.5 * np.sin(2 * np.pi * f1 * t) + 0.3 * np.sin(2 * np.pi * f2 * t + rng.uniform(0, 6))
    waves.append(w)
audio = np.asarray(waves, "float32")[..., None]
melspec = MelSpec()
mels = melspec(audio).numpy()
frames = SAMPLES // STEP  # pad_end: ceil(samples / step) frames
assert mels.shape == (32, frames, MELS), mels.shape
assert np.isfinite(mels).all()
# identity outside training, as in the recipe
np.testing.assert_array_equal(np.asarray(melspec(audio, training=False)), audio)

# a pure tone puts its energy into the mel channel whose band holds it
tone = np.sin(2 * np.pi * 1000.0 * t).astype("float32")[None, :, None]
tone_mel = melspec(tone).numpy()[0, 4]
weights = np.asarray(melspec.mel_filterbank)
assert int(np.argmax(tone_mel)) == int(np.argmax(weights[1000 * FRAME // RATE])), tone_mel

generator = create_generator((None, MELS))
discriminator = create_discriminator((None, 1))
assert generator(mels[:2]).shape == (2, SAMPLES, 1)
d_out = discriminator(audio[:2])
assert [tuple(f.shape) for f in d_out[0]] == [(2, 256, 8), (2, 64, 16), (2, 64, 1)]
assert [tuple(f.shape) for f in d_out[1]] == [(2, 128, 8), (2, 32, 16), (2, 32, 1)]

gan = MelGAN(generator, discriminator)
gan.compile(keras.optimizers.Adam(5e-3, beta_1=0.5), keras.optimizers.Adam(2e-3, beta_1=0.5))
initial_mel_loss = float(mae(melspec(audio), melspec(generator(mels))))
hist = gan.fit(mels, audio, batch_size=8, epochs=6, verbose=0)
assert set(hist.history) == {"gen_loss", "disc_loss", "mel_loss"}, hist.history.keys()
final_mel_loss = float(mae(melspec(audio), melspec(generator(mels))))
assert np.isfinite(hist.history["disc_loss"]).all()
assert final_mel_loss < 0.8 * initial_mel_loss, (initial_mel_loss, final_mel_loss)
print("mel L1", initial_mel_loss, "->", final_mel_loss)
