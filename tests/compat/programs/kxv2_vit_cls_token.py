# keras.io "Image classification with Vision Transformer" (TF 2 version) and "Compact
# Convolutional Transformers": a Patches layer on tf.image.extract_patches (sizes, strides,
# rates, padding "VALID") reshaped with tf.shape, a PatchEncoder whose class token and
# positional embeddings are add_weight variables (the token broadcast over the batch with
# tf.broadcast_to and prepended with tf.concat), a StochasticDepth layer that drops the
# residual branch per sample in training only, pre-norm MultiHeadAttention blocks, and a
# head on the class token. Synthetic 8x8 images: a bright cross is in the left or right half.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(3)
rng = np.random.default_rng(3)
N, S, P, D = 240, 8, 4, 16
labels = rng.integers(0, 2, N)
x = 0.2 * rng.random((N, S, S, 3)).astype("float32")
for i, c in enumerate(labels):
    r = int(rng.integers(1, 7))
    col = int(rng.integers(1, 3)) + 4 * c
    x[i, r, col - 1 : col + 2, :] += 0.8
    x[i, r - 1 : r + 2, col, :] += 0.8


class Patches(layers.Layer):
    def __init__(self, patch_size, **kwargs):
        super().__init__(**kwargs)
        self.patch_size = patch_size

    def call(self, images):
        batch_size = tf.shape(images)[0]
        patches = tf.image.extract_patches(
            images=images,
            sizes=[1, self.patch_size, self.patch_size, 1],
            strides=[1, self.patch_size, self.patch_size, 1],
            rates=[1, 1, 1, 1],
            padding="VALID",
        )
        patch_dims = patches.shape[-1]
        return tf.reshape(patches, [batch_size, -1, patch_dims])


class PatchEncoder(layers.Layer):
    def __init__(self, num_patches, projection_dim, **kwargs):
        super().__init__(**kwargs)
        self.num_patches = num_patches
        self.projection_dim = projection_dim
        self.projection = layers.Dense(projection_dim)

    def build(self, input_shape):
        self.cls_token = self.add_weight(
            name="cls_token", shape=(1, 1, self.projection_dim), initializer="zeros"
        )
        self.position_embedding = self.add_weight(
            name="position_embedding",
            shape=(1, self.num_patches + 1, self.projection_dim),
            initializer=keras.initializers.RandomNormal(stddev=0.02),
        )

    def call(self, patches):
        batch_size = tf.shape(patches)[0]
        tokens = self.projection(patches)
        cls = tf.broadcast_to(self.cls_token, [batch_size, 1, self.projection_dim])
        return tf.concat([cls, tokens], axis=1) + self.position_embedding


class StochasticDepth(layers.Layer):
    def __init__(self, drop_prob, **kwargs):
        super().__init__(**kwargs)
        self.drop_prob = drop_prob

    def call(self, x, training=None):
        if training:
            keep_prob = 1 - self.drop_prob
            shape = (tf.shape(x)[0],) + (1,) * (len(x.shape) - 1)
            random_tensor = keep_prob + tf.random.uniform(shape, 0, 1)
            random_tensor = tf.floor(random_tensor)
            return (x / keep_prob) * random_tensor
        return x


# patches: row-major blocks of the image, each flattened row by row with channels innermost
sample = x[:2]
patches = Patches(P)(sample)
assert patches.shape == (2, 4, P * P * 3), patches.shape
np.testing.assert_allclose(patches.numpy()[1, 1], sample[1, :4, 4:, :].reshape(-1))
np.testing.assert_allclose(patches.numpy()[0, 2], sample[0, 4:, :4, :].reshape(-1))
# overlapping patches with strides 2 and rate 1
over = tf.image.extract_patches(sample, [1, 4, 4, 1], [1, 2, 2, 1], [1, 1, 1, 1], "VALID")
assert over.shape == (2, 3, 3, 48)
np.testing.assert_allclose(over.numpy()[0, 1, 2], sample[0, 2:6, 4:8, :].reshape(-1))

encoder = PatchEncoder(4, D)
encoded = encoder(patches)
assert encoded.shape == (2, 5, D)
assert len(encoder.trainable_weights) == 4  # cls token, positions, kernel, bias
cls_position = encoder.position_embedding.numpy()[0, 0]
np.testing.assert_allclose(encoded.numpy()[:, 0], np.broadcast_to(cls_position, (2, D)), atol=1e-6)

drop = StochasticDepth(0.5)
ones = tf.ones((64, 3, 2))
dropped = drop(ones, training=True).numpy()
per_sample = dropped.reshape(64, -1)
assert set(np.unique(per_sample)) <= {0.0, 2.0}
assert np.all(per_sample.min(axis=1) == per_sample.max(axis=1))  # whole samples dropped
assert 0 < (per_sample[:, 0] == 0).sum() < 64
np.testing.assert_array_equal(drop(ones, training=False).numpy(), ones.numpy())

inputs = keras.Input((S, S, 3))
tokens = PatchEncoder(4, D)(Patches(P)(inputs))
for _ in range(2):
    h = layers.LayerNormalization(epsilon=1e-6)(tokens)
    h = layers.MultiHeadAttention(num_heads=2, key_dim=D // 2, dropout=0.0)(h, h)
    tokens = layers.Add()([tokens, StochasticDepth(0.1)(h)])
    h = layers.LayerNormalization(epsilon=1e-6)(tokens)
    h = layers.Dense(2 * D, activation=tf.nn.gelu)(h)
    h = layers.Dense(D)(h)
    tokens = layers.Add()([tokens, StochasticDepth(0.1)(h)])
representation = layers.LayerNormalization(epsilon=1e-6)(tokens)
cls_out = layers.Lambda(lambda t: t[:, 0])(representation)
outputs = layers.Dense(2)(cls_out)
model = keras.Model(inputs, outputs)
assert model.output_shape == (None, 2)

model.compile(
    optimizer=keras.optimizers.Adam(3e-3),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=[keras.metrics.SparseCategoricalAccuracy(name="accuracy")],
)
history = model.fit(x[:180], labels[:180], batch_size=30, epochs=20, verbose=0)
assert history.history["loss"][-1] < 0.5 * history.history["loss"][0], history.history["loss"]
_, acc = model.evaluate(x[180:], labels[180:], verbose=0)
print("ViT accuracy", acc)
assert acc > 0.85, acc
