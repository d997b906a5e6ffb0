# keras.io "Image classification with modern MLP models" (MLP-Mixer): a Patches layer built
# on keras.ops.image.extract_patches, a Dense patch embedding, Mixer blocks that apply a token
# MLP on the transposed (batch, channels, patches) view with layers.Permute and a channel MLP,
# each behind LayerNormalization and a residual add, then global average pooling over patches.
# Synthetic 8x8 images whose class is which quadrant holds a bright square.
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(5)
rng = np.random.default_rng(5)
N, S, P = 400, 8, 2
num_patches = (S // P) ** 2
labels = rng.integers(0, 4, N)
x = rng.uniform(0, 0.3, size=(N, S, S, 3)).astype("float32")
for i, q in enumerate(labels):
    r, c = (q // 2) * 4, (q % 2) * 4
    x[i, r + 1 : r + 3, c + 1 : c + 3, :] = 1.0


class Patches(layers.Layer):
    def __init__(self, patch_size, **kwargs):
        super().__init__(**kwargs)
        self.patch_size = patch_size

    def call(self, x):
        patches = keras.ops.image.extract_patches(x, self.patch_size)
        batch_size = keras.ops.shape(patches)[0]
        num_patches = keras.ops.shape(patches)[1] * keras.ops.shape(patches)[2]
        patch_dim = keras.ops.shape(patches)[3]
        return keras.ops.reshape(patches, (batch_size, num_patches, patch_dim))


# patch k (row-major) holds the pixels of its 2x2 block, channels last within a pixel
pt = Patches(P)(x[:2])
assert pt.shape == (2, num_patches, P * P * 3)
np.testing.assert_array_equal(pt[1, 5].numpy(), x[1, 2:4, 2:4, :].reshape(-1))


class MLPMixerLayer(layers.Layer):
    def __init__(self, num_patches, hidden_units, dropout_rate, **kwargs):
        super().__init__(**kwargs)
        self.mlp1 = keras.Sequential(
            [
                layers.Dense(units=num_patches, activation="gelu"),
                layers.Dense(units=num_patches),
                layers.Dropout(rate=dropout_rate),
            ]
        )
        self.mlp2 = keras.Sequential(
            [
                layers.Dense(units=num_patches, activation="gelu"),
                layers.Dense(units=hidden_units),
                layers.Dropout(rate=dropout_rate),
            ]
        )
        self.normalize = layers.LayerNormalization(epsilon=1e-6)

    def call(self, inputs):
        x = self.normalize(inputs)
        x_channels = keras.ops.transpose(x, axes=(0, 2, 1))
        mlp1_outputs = self.mlp1(x_channels)
        mlp1_outputs = keras.ops.transpose(mlp1_outputs, axes=(0, 2, 1))
        x = mlp1_outputs + inputs
        x_patches = self.normalize(x)
        mlp2_outputs = self.mlp2(x_patches)
        return x + mlp2_outputs


hidden = 16
inputs = keras.Input(shape=(S, S, 3))
patches = Patches(P)(inputs)
h = layers.Dense(units=hidden)(patches)
blocks = keras.Sequential([MLPMixerLayer(num_patches, hidden, 0.1) for _ in range(2)])
h = blocks(h)
# the token-mixing MLP also works with Permute in place of ops.transpose
h = layers.Permute((2, 1))(h)
assert h.shape == (None, hidden, num_patches)
h = layers.Permute((2, 1))(h)
representation = layers.GlobalAveragePooling1D()(h)
representation = layers.Dropout(rate=0.1)(representation)
logits = layers.Dense(4)(representation)
model = keras.Model(inputs=inputs, outputs=logits)
assert model.output_shape == (None, 4)
mixer = blocks.layers[0]
# token MLP acts on the patch axis: its first kernel is (num_patches, num_patches)
assert mixer.mlp1.layers[0].kernel.shape == (num_patches, num_patches)
assert mixer.mlp2.layers[1].kernel.shape == (num_patches, hidden)

model.compile(
    optimizer=keras.optimizers.AdamW(learning_rate=0.01, weight_decay=1e-4),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=[keras.metrics.SparseCategoricalAccuracy(name="acc")],
)
es = keras.callbacks.EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True)
history = model.fit(
    x[:320], labels[:320], batch_size=32, epochs=15, validation_split=0.1, callbacks=[es], verbose=0
)
_, acc = model.evaluate(x[320:], labels[320:], verbose=0)
print("MLP-Mixer test accuracy", acc)
assert acc > 0.9, history.history
