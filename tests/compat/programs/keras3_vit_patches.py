"""Image classification with a tiny Vision Transformer (keras.io guide style, Keras 3):
patches with keras.ops.image.extract_patches, a PatchEncoder with a position embedding
from keras.ops.arange, MultiHeadAttention blocks, trained with fit on synthetic images."""

import keras
import numpy as np
from keras import layers, ops

keras.utils.set_random_seed(0)
image_size, patch_size, num_classes = 8, 4, 2
num_patches = (image_size // patch_size) ** 2
projection_dim = 16

# Two classes: the bright square is in the top half or the bottom half.
rng = np.random.default_rng(0)
x = rng.random((160, image_size, image_size, 3)).astype("float32") * 0.2
y = rng.integers(0, 2, size=160)
for i, label in enumerate(y):
    rows = slice(0, 4) if label == 0 else slice(4, 8)
    x[i, rows, 2:6, :] += 0.8


class Patches(layers.Layer):
    def __init__(self, patch_size, **kwargs):
        super().__init__(**kwargs)
        self.patch_size = patch_size

    def call(self, images):
        input_shape = ops.shape(images)
        batch_size = input_shape[0]
        patches = keras.ops.image.extract_patches(images, size=self.patch_size)
        patches = ops.reshape(patches, (batch_size, -1, self.patch_size * self.patch_size * 3))
        return patches

    def get_config(self):
        config = super().get_config()
        config.update({"patch_size": self.patch_size})
        return config


class PatchEncoder(layers.Layer):
    def __init__(self, num_patches, projection_dim, **kwargs):
        super().__init__(**kwargs)
        self.num_patches = num_patches
        self.projection = layers.Dense(units=projection_dim)
        self.position_embedding = layers.Embedding(input_dim=num_patches, output_dim=projection_dim)

    def call(self, patch):
        positions = ops.expand_dims(ops.arange(start=0, stop=self.num_patches, step=1), axis=0)
        projected_patches = self.projection(patch)
        return projected_patches + self.position_embedding(positions)


patches = Patches(patch_size)(x[:2])
assert tuple(patches.shape) == (2, num_patches, patch_size * patch_size * 3)
# The first patch is the top-left 4x4 block, flattened row by row, channels innermost.
np.testing.assert_allclose(ops.convert_to_numpy(patches)[0, 0], x[0, :4, :4, :].reshape(-1))

inputs = keras.Input(shape=(image_size, image_size, 3))
encoded = PatchEncoder(num_patches, projection_dim)(Patches(patch_size)(inputs))
for _ in range(2):
    x1 = layers.LayerNormalization(epsilon=1e-6)(encoded)
    attention = layers.MultiHeadAttention(num_heads=2, key_dim=projection_dim, dropout=0.1)(x1, x1)
    x2 = layers.Add()([attention, encoded])
    x3 = layers.LayerNormalization(epsilon=1e-6)(x2)
    x3 = layers.Dense(projection_dim * 2, activation=keras.activations.gelu)(x3)
    x3 = layers.Dense(projection_dim)(x3)
    encoded = layers.Add()([x3, x2])
representation = layers.GlobalAveragePooling1D()(layers.LayerNormalization()(encoded))
logits = layers.Dense(num_classes)(representation)
model = keras.Model(inputs=inputs, outputs=logits)

model.compile(
    optimizer=keras.optimizers.AdamW(learning_rate=3e-3, weight_decay=1e-4),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=[keras.metrics.SparseCategoricalAccuracy(name="accuracy")],
)
history = model.fit(x, y, batch_size=32, epochs=15, validation_split=0.25, verbose=0)
assert history.history["loss"][-1] < history.history["loss"][0]
assert history.history["accuracy"][-1] > 0.9, history.history["accuracy"]
_, accuracy = model.evaluate(x[:40], y[:40], verbose=0)
assert accuracy > 0.9, accuracy
print("keras3_vit_patches: ok", round(history.history["loss"][-1], 4), accuracy)
