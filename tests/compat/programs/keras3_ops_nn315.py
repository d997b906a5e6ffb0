"""Keras 3.15's newer nn ops through tf.keras.ops: conv_transpose (sizes and values),
depth_to_space/space_to_depth, unfold/fold (im2col and its adjoint), ctc_loss against a
brute-force sum over paths, ctc_decode, polar, sparsemax and rearrange; and ops on
symbolic inputs inside a functional model."""

import itertools

import numpy as np
import tensorflow as tf

keras = tf.keras
ops = keras.ops
rng = np.random.default_rng(21)


def check(value, expected, atol=1e-4):
    np.testing.assert_allclose(ops.convert_to_numpy(value), expected, rtol=1e-4, atol=atol)


# conv_transpose: each input pixel scatters the kernel, stride apart ('valid').
x = rng.normal(size=(1, 3, 3, 2)).astype("float32")
k = rng.normal(size=(2, 2, 4, 2)).astype("float32")  # (kh, kw, filters, in_channels)
out = ops.conv_transpose(x, k, strides=2)
assert tuple(out.shape) == (1, 6, 6, 4), out.shape
ref = np.zeros((1, 6, 6, 4), "float32")
for i, j in itertools.product(range(3), range(3)):
    ref[0, 2 * i : 2 * i + 2, 2 * j : 2 * j + 2] += np.einsum("c,hwfc->hwf", x[0, i, j], k)
check(out, ref)
assert tuple(ops.conv_transpose(x, k, strides=2, padding="same").shape) == (1, 6, 6, 4)
assert tuple(ops.conv_transpose(x, k, strides=3).shape) == (1, 9, 9, 4)
assert tuple(ops.conv_transpose(x[:, 0], k[0], strides=2).shape) == (1, 6, 4)

feat = np.arange(2 * 2 * 3 * 8, dtype="float32").reshape(2, 2, 3, 8)
d2s = ops.depth_to_space(feat, 2)
assert tuple(d2s.shape) == (2, 4, 6, 2)
check(d2s, feat.reshape(2, 2, 3, 2, 2, 2).transpose(0, 1, 3, 2, 4, 5).reshape(2, 4, 6, 2))
check(ops.space_to_depth(d2s, 2), feat)

img = rng.normal(size=(2, 3, 6, 6)).astype("float32")  # channels first, as PyTorch
cols = ops.unfold(img, kernel_size=3, stride=1, padding=1)
assert tuple(cols.shape) == (2, 27, 36), cols.shape
centre = ops.convert_to_numpy(cols).reshape(2, 3, 3, 3, 6, 6)[:, :, 1, 1]
check(centre, img)  # the kernel's centre tap of each block is the pixel itself
blocks = ops.unfold(img, kernel_size=2, stride=2)
check(ops.fold(blocks, output_size=6, kernel_size=2, stride=2), img)
counts = ops.fold(ops.ones_like(cols), output_size=(6, 6), kernel_size=3, padding=1)
assert (
    ops.convert_to_numpy(counts)[0, 0, 0, 0] == 4 and ops.convert_to_numpy(counts)[0, 0, 2, 2] == 9
)

logits = rng.normal(size=(1, 4, 3)).astype("float32")
probs = np.exp(logits[0]) / np.exp(logits[0]).sum(-1, keepdims=True)
total = 0.0
for path in itertools.product(range(3), repeat=4):
    merged = [c for t, c in enumerate(path) if c != 0 and (t == 0 or c != path[t - 1])]
    if merged == [1, 2]:
        total += np.prod([probs[t, c] for t, c in enumerate(path)])
loss = ops.ctc_loss(np.array([[1, 2]]), logits, np.array([2]), np.array([4]))
check(loss, [-np.log(total)], 1e-4)
decoded, _ = ops.ctc_decode(logits, np.array([4]))
best = probs.argmax(-1)
merged = [c for t, c in enumerate(best) if c != 0 and (t == 0 or c != best[t - 1])]
assert ops.convert_to_numpy(decoded)[0, 0].tolist() == merged + [-1] * (4 - len(merged))

z = ops.polar(np.array([2.0], "float32"), np.array([np.pi / 2], "float32"))
np.testing.assert_allclose(ops.convert_to_numpy(z), [2j], atol=1e-6)
check(
    ops.sparsemax(np.array([[-1.0, 0.0, 1.0], [0.0, 3.0, 0.5]], "float32")), [[0, 0, 1], [0, 1, 0]]
)

images = rng.normal(size=(2, 4, 6, 3)).astype("float32")
check(ops.rearrange(images, "b h w c -> b c h w"), images.transpose(0, 3, 1, 2))
patches = ops.rearrange(images, "b (h1 h) (w1 w) c -> (b h1 w1) h w c", h1=2, w1=3)
check(patches, images.reshape(2, 2, 2, 3, 2, 3).transpose(0, 1, 3, 2, 4, 5).reshape(12, 2, 2, 3))

inputs = keras.Input((4, 4, 8), batch_size=3)  # Keras's rearrange needs known sizes
outputs = ops.rearrange(ops.depth_to_space(inputs, 2), "b h w c -> b c h w")
model = keras.Model(inputs, outputs)
assert tuple(model.output_shape) == (3, 2, 8, 8), model.output_shape
sample = rng.normal(size=(3, 4, 4, 8)).astype("float32")
check(model(sample), ops.convert_to_numpy(ops.depth_to_space(sample, 2)).transpose(0, 3, 1, 2))
print("ok")
