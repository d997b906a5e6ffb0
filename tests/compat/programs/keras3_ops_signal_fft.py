"""Keras 3's Fourier ops through tf.keras.ops: fft/fft2/ifft2/irfft take and give
(real, imag) pairs, rfft of real signals, stft/istft with centring and windows, and the
complex views, against NumPy."""

import numpy as np
import tensorflow as tf

ops = tf.keras.ops
rng = np.random.default_rng(9)


def check(value, expected, atol=1e-4):
    np.testing.assert_allclose(ops.convert_to_numpy(value), expected, rtol=1e-4, atol=atol)


re, im = rng.normal(size=(2, 16)).astype("float32"), rng.normal(size=(2, 16)).astype("float32")
real, imag = ops.fft((re, im))
check(real, np.fft.fft(re + 1j * im).real)
check(imag, np.fft.fft(re + 1j * im).imag)
img = rng.normal(size=(3, 8, 8)).astype("float32")
f2 = ops.fft2((img, np.zeros_like(img)))
check(f2[0], np.fft.fft2(img).real, 1e-3)
back_re, back_im = ops.ifft2(f2)
check(back_re, img)
check(back_im, np.zeros_like(img))

sig = rng.normal(size=(4, 32)).astype("float32")
rr, ri = ops.rfft(sig)
assert tuple(rr.shape) == (4, 17)
check(rr, np.fft.rfft(sig).real)
check(ops.irfft((rr, ri)), sig)
try:
    ops.fft(re)
except ValueError:
    pass
else:
    raise AssertionError("fft takes a (real, imag) pair")

audio = rng.normal(size=(2, 256)).astype("float32")
s_re, s_im = ops.stft(audio, sequence_length=32, sequence_stride=8, fft_length=32)
assert tuple(s_re.shape) == (2, 33, 17), s_re.shape
padded = np.pad(audio, [(0, 0), (16, 16)], mode="reflect")
frame = padded[:, 40:72] * np.hanning(33)[:-1]
check(s_re[:, 5], np.fft.rfft(frame).real)
rebuilt = ops.istft((s_re, s_im), 32, 8, 32, length=256)
check(rebuilt[:, 32:224], audio[:, 32:224])

nc_re, _ = ops.stft(audio, 20, 10, 32, window="hamming", center=False)
assert tuple(nc_re.shape) == (2, 23, 17), nc_re.shape

z = ops.view_as_complex(np.array([[3.0, 4.0], [1.0, -1.0]], "float32"))
assert z.dtype == "complex64"
np.testing.assert_allclose(ops.convert_to_numpy(z), [3 + 4j, 1 - 1j])
check(ops.view_as_real(z), [[3.0, 4.0], [1.0, -1.0]])
check(ops.erfinv(np.array([-0.5, 0.0, 0.9], "float32")), [-0.4769363, 0.0, 1.1630871])

# Gradients flow through the transforms (to the real and imaginary inputs).
n = 12
weights_re = rng.normal(size=7).astype("float32")
weights_im = rng.normal(size=7).astype("float32")
signal = tf.Variable(rng.normal(size=(n,)).astype("float32"))
with tf.GradientTape() as tape:
    sr, si = ops.rfft(signal)
    loss = tf.reduce_sum(sr * weights_re + si * weights_im)
eye = np.fft.rfft(np.eye(n), axis=1)  # row j: the bins of the unit impulse at j
check(tape.gradient(loss, signal), eye.real @ weights_re + eye.imag @ weights_im)

part_re = tf.Variable(re[0])
part_im = tf.Variable(im[0])
with tf.GradientTape() as tape:
    fr, fi = ops.fft((part_re, part_im))
    loss = tf.reduce_sum(fr * np.arange(16, dtype="float32")) + tf.reduce_sum(fi)
g_re, g_im = tape.gradient(loss, [part_re, part_im])
full = np.fft.fft(np.eye(16), axis=1)
w = np.arange(16)
check(g_re, full.real @ w + full.imag @ np.ones(16), 1e-3)
check(g_im, -full.imag @ w + full.real @ np.ones(16), 1e-3)

clip = tf.Variable(audio[:1])
with tf.GradientTape() as tape:
    sr, si = ops.stft(clip, 32, 8, 32)
    loss = tf.reduce_sum(tf.square(sr)) + tf.reduce_sum(tf.square(si))
grad = tape.gradient(loss, clip)
eps = 1e-2
bumped = audio[:1].copy()
bumped[0, 100] += eps
up = sum(float(np.sum(np.square(ops.convert_to_numpy(t)))) for t in ops.stft(bumped, 32, 8, 32))
bumped[0, 100] -= 2 * eps
down = sum(float(np.sum(np.square(ops.convert_to_numpy(t)))) for t in ops.stft(bumped, 32, 8, 32))
np.testing.assert_allclose(ops.convert_to_numpy(grad)[0, 100], (up - down) / (2 * eps), rtol=2e-2)

# On symbolic inputs the ops build functional models.
inp = tf.keras.Input((16,))
sym_re, sym_im = ops.rfft(inp)
model = tf.keras.Model(inp, ops.sqrt(sym_re * sym_re + sym_im * sym_im))
assert tuple(model.output_shape) == (None, 9), model.output_shape
check(model(sig[:, :16]), np.abs(np.fft.rfft(sig[:, :16])))
print("ok")
