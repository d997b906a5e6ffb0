# keras.io "Train a Vision Transformer on small datasets": shifted patch tokenization
# (tf.image crop_to_bounding_box / pad_to_bounding_box of the image moved diagonally,
# concatenated with it, cut by tf.image.extract_patches), and locality self-attention: a
# MultiHeadAttention subclass whose _compute_attention (Keras 3.15's signature, with
# return_attention_scores) divides the query by a temperature and uses the protected
# _dot_product_equation / _masked_softmax / _dropout_layer / _combine_equation, under a mask
# that hides the diagonal; a warm-up cosine LearningRateSchedule driving AdamW in fit.
import math

import keras
import numpy as np
import tensorflow as tf
from keras import layers, ops

keras.utils.set_random_seed(7)
SIZE, PATCH, DIM = 8, 4, 8
N_PATCHES = (SIZE // PATCH) ** 2


class ShiftedPatches(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.half = PATCH // 2
        self.flat = layers.Reshape((N_PATCHES, -1))
        self.norm = layers.LayerNormalization(epsilon=1e-6)
        self.proj = layers.Dense(DIM)

    def shifted(self, images, dy, dx):
        # crop on one side, pad on the other: the picture moves by half a patch
        crop = tf.image.crop_to_bounding_box(
            images, self.half - dy, self.half - dx, SIZE - self.half, SIZE - self.half
        )
        return tf.image.pad_to_bounding_box(crop, dy, dx, SIZE, SIZE)

    def call(self, images):
        moved = [self.shifted(images, dy, dx) for dy, dx in ((0, 0), (2, 0), (0, 2), (2, 2))]
        stacked = ops.concatenate([images] + moved, axis=-1)
        patches = tf.image.extract_patches(
            stacked, [1, PATCH, PATCH, 1], [1, PATCH, PATCH, 1], [1, 1, 1, 1], "VALID"
        )
        return self.proj(self.norm(self.flat(patches))), patches


class LocalitySelfAttention(layers.MultiHeadAttention):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.temperature = math.sqrt(float(self._key_dim)) * 2.0

    def _compute_attention(
        self, query, key, value, attention_mask=None, training=None, return_attention_scores=False
    ):
        query = ops.multiply(query, 1.0 / self.temperature)
        scores = ops.einsum(self._dot_product_equation, key, query)
        scores = self._masked_softmax(scores, attention_mask)
        dropped = self._dropout_layer(scores, training=training)
        return ops.einsum(self._combine_equation, dropped, value), scores


# the shifted copies: the top-left one has zeros in its first rows and columns
image = np.arange(SIZE * SIZE * 3, dtype="float32").reshape(1, SIZE, SIZE, 3) / 100.0
tokens, patches = ShiftedPatches()(image)
assert tuple(tokens.shape) == (1, N_PATCHES, DIM)
assert tuple(patches.shape) == (1, 2, 2, PATCH * PATCH * 15)
first = ops.convert_to_numpy(patches)[0, 0, 0].reshape(PATCH, PATCH, 15)
np.testing.assert_allclose(first[..., :3], image[0, :PATCH, :PATCH])
assert np.all(first[:2, :, 6:9] == 0)  # moved down by two rows (and cut two columns)
np.testing.assert_allclose(first[2:, :, 6:9], image[0, :2, 2 : 2 + PATCH])

# the diagonal mask: a token never attends to itself, each row still sums to one
no_diagonal = ops.cast([1 - ops.eye(N_PATCHES)], "int8")
lsa = LocalitySelfAttention(num_heads=2, key_dim=4)
x = np.random.default_rng(0).normal(size=(3, N_PATCHES, DIM)).astype("float32")
out, scores = lsa(x, x, attention_mask=no_diagonal, return_attention_scores=True)
scores = ops.convert_to_numpy(scores)
assert lsa._dot_product_equation == "aecd,abcd->acbe"  # set once built, as Keras
assert lsa._combine_equation == "acbe,aecd->abcd"
assert tuple(out.shape) == (3, N_PATCHES, DIM) and scores.shape == (3, 2, N_PATCHES, N_PATCHES)
assert np.all(scores[:, :, np.arange(N_PATCHES), np.arange(N_PATCHES)] == 0)
np.testing.assert_allclose(scores.sum(-1), 1.0, rtol=1e-5)

# the temperature changes the attention: the plain layer with the same weights differs
plain = layers.MultiHeadAttention(num_heads=2, key_dim=4)
plain(x, x)
plain.set_weights(lsa.get_weights())
_, plain_scores = plain(x, x, attention_mask=no_diagonal, return_attention_scores=True)
assert np.abs(ops.convert_to_numpy(plain_scores) - scores).max() > 1e-4
# and by hand: softmax of q.k / (sqrt(key_dim) * 2) over the unmasked keys
q = np.einsum("btd,dhk->bthk", x, ops.convert_to_numpy(lsa.query_dense.kernel))
q = q + ops.convert_to_numpy(lsa.query_dense.bias)
k = np.einsum("btd,dhk->bthk", x, ops.convert_to_numpy(lsa.key_dense.kernel))
k = k + ops.convert_to_numpy(lsa.key_dense.bias)
logits = np.einsum("bthk,bshk->bhts", q, k) / lsa.temperature
logits = np.where(np.eye(N_PATCHES, dtype=bool), -np.inf, logits)
expected = np.exp(logits - logits.max(-1, keepdims=True))
np.testing.assert_allclose(scores, expected / expected.sum(-1, keepdims=True), atol=1e-5)


# Keras 2's signature (no return_attention_scores) no longer fits Keras 3.15's call
class OldLSA(layers.MultiHeadAttention):
    def _compute_attention(self, query, key, value, attention_mask=None, training=None):
        return super()._compute_attention(query, key, value, attention_mask, training)


try:
    OldLSA(num_heads=2, key_dim=4)(x, x)
    raise AssertionError("expected a TypeError")
except TypeError as error:
    assert "positional" in str(error)


class WarmUpCosine(keras.optimizers.schedules.LearningRateSchedule):
    def __init__(self, peak, total, warmup):
        super().__init__()
        self.peak, self.total, self.warmup = peak, total, warmup

    def __call__(self, step):
        step = ops.cast(step, "float32")
        cosine = (
            0.5
            * self.peak
            * (1 + ops.cos(math.pi * (step - self.warmup) / (self.total - self.warmup)))
        )
        rising = self.peak * step / self.warmup
        lr = ops.where(step < self.warmup, rising, cosine)
        return ops.where(step > self.total, 0.0, lr)


schedule = WarmUpCosine(1e-3, 4, 2)
lrs = [float(schedule(s)) for s in range(6)]
np.testing.assert_allclose(lrs, [0.0, 5e-4, 1e-3, 5e-4, 0.0, 0.0], atol=1e-9)

images = keras.Input((SIZE, SIZE, 3))
tokens, _ = ShiftedPatches()(images)
x1 = layers.LayerNormalization()(tokens)
attended = LocalitySelfAttention(num_heads=2, key_dim=DIM, dropout=0.1)(
    x1, x1, attention_mask=no_diagonal
)
hidden = layers.GlobalAveragePooling1D()(layers.Add()([attended, tokens]))
model = keras.Model(images, layers.Dense(3)(hidden))
assert model.output_shape == (None, 3)
model.compile(
    optimizer=keras.optimizers.AdamW(learning_rate=schedule, weight_decay=1e-4),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=[keras.metrics.SparseTopKCategoricalAccuracy(2, name="top-2")],
)
data = np.random.default_rng(1).random((16, SIZE, SIZE, 3)).astype("float32")
labels = np.arange(16) % 3
history = model.fit(data, labels, batch_size=8, epochs=2, verbose=0)
assert sorted(history.history) == ["loss", "top-2"] and len(history.history["loss"]) == 2
assert int(model.optimizer.iterations) == 4
assert abs(float(model.optimizer.learning_rate) - lrs[4]) < 1e-9
print("ok")
