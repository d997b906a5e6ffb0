# keras.io "Text Generation using FNet": an encoder that mixes tokens with
# real(fft2d(cast(x, complex64))) and trains (gradients through the cast, the FFT and the
# real part, checked against the DFT by hand), and a decoder layer call(x, context,
# mask=None) that, as in Keras 3, gets no mask because it receives two tensors, while
# call(x, context, x_mask=None, context_mask=None) gets one mask per argument.
import os

os.environ["KERAS_BACKEND"] = "tensorflow"

import keras
import numpy as np
import tensorflow as tf
from keras import layers

rng = np.random.default_rng(11)


class FourierMixer(layers.Layer):
    def __init__(self, dim, hidden, **kwargs):
        super().__init__(**kwargs)
        self.ffn = keras.Sequential([layers.Dense(hidden, activation="relu"), layers.Dense(dim)])
        self.norm1 = layers.LayerNormalization()
        self.norm2 = layers.LayerNormalization()

    def call(self, x):
        mixed = tf.math.real(tf.signal.fft2d(tf.cast(x, tf.complex64)))
        h = self.norm1(x + mixed)
        return self.norm2(h + self.ffn(h))


# gradient of sum(real(fft2d(x)) * w) is real(fft2d(w)) (the DFT matrix is symmetric)
x = tf.Variable(rng.standard_normal((2, 5, 4)).astype("float32"))
w = tf.constant(rng.standard_normal((2, 5, 4)).astype("float32"))
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(tf.math.real(tf.signal.fft2d(tf.cast(x, tf.complex64))) * w)
grad = tape.gradient(loss, x)
assert grad.dtype == tf.float32 and grad.shape == (2, 5, 4)
np.testing.assert_allclose(grad.numpy(), np.fft.fft2(w.numpy()).real, rtol=1e-4, atol=1e-4)
# ifft and imag: Im(ifft(v)[1]) = sum_n v_n sin(2 pi n / 4) / 4, so its gradient is that sine
v = tf.Variable([1.0, 2.0, 0.5, -1.0])
pick = tf.constant([0.0, 1.0, 0.0, 0.0])
with tf.GradientTape() as tape:
    spectrum = tf.signal.ifft(tf.complex(v, tf.zeros_like(v)))
    loss = tf.reduce_sum(tf.math.imag(spectrum) * pick)
np.testing.assert_allclose(tape.gradient(loss, v).numpy(), [0.0, 0.25, 0.0, -0.25], atol=1e-6)


class Decoder(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.got_mask = []
        self.proj = layers.Dense(8)

    def call(self, x, context, mask=None):
        self.got_mask.append(mask is not None)
        return self.proj(x + tf.reduce_mean(context, axis=1, keepdims=True))


class PerArgumentMasks(layers.Layer):
    def call(self, x, context, x_mask=None, context_mask=None):
        keep = tf.cast(x_mask, x.dtype)[..., None] if x_mask is not None else 1.0
        return x * keep + tf.reduce_sum(context, axis=1, keepdims=True) * 0.0


vocab, length = 20, 6
tokens = keras.Input((length,), dtype="int32")
embedded = layers.Embedding(vocab, 8, mask_zero=True)(tokens)
encoded = FourierMixer(8, 16)(embedded)
decoder = Decoder()
decoded = decoder(embedded, encoded)
masked = PerArgumentMasks()(embedded, encoded)
probs = layers.Dense(vocab, activation="softmax")(decoded)
model = keras.Model(tokens, probs)
model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
ids = rng.integers(1, vocab, (16, length))
ids[:, -2:] = 0
before = [v.numpy().copy() for v in model.trainable_weights]
history = model.fit(ids, np.roll(ids, -1, axis=1), batch_size=8, epochs=2, verbose=0)
assert len(history.history["loss"]) == 2 and np.isfinite(history.history["loss"]).all()
mixer_weights = model.layers[2].trainable_weights
assert len(mixer_weights) == 8  # two Dense (kernel, bias) + two LayerNormalization
changed = [not np.allclose(b, a.numpy()) for b, a in zip(before, model.trainable_weights)]
assert all(changed), changed  # the FFT passes gradients to the embedding below it
assert decoder.got_mask and not any(decoder.got_mask)

masked_model = keras.Model(tokens, masked)
out = masked_model.predict(ids[:2], verbose=0)
assert out.shape == (2, length, 8)
np.testing.assert_array_equal(out[:, -2:], np.zeros((2, 2, 8), "float32"))  # x_mask came
assert np.abs(out[:, :-2]).sum() > 0
print("ok")
