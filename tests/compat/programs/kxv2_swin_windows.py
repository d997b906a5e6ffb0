# keras.io "Image classification with Swin Transformers": window_partition / window_reverse
# (reshape + transpose), a WindowAttention layer with a relative position bias table made by
# add_weight and indexed with tf.gather through a relative_position_index built in NumPy,
# a shifted-window block with tf.roll and the attention mask that keeps shifted regions
# apart, PatchMerging (strided slices concatenated and a Dense), and a small classifier.
# Synthetic 8x8 images: class = whether a bright dot is in the upper-left or lower-right.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(13)
rng = np.random.default_rng(13)


def window_partition(x, window_size):
    _, height, width, channels = x.shape
    patch_num_y = height // window_size
    patch_num_x = width // window_size
    x = tf.reshape(x, (-1, patch_num_y, window_size, patch_num_x, window_size, channels))
    x = tf.transpose(x, (0, 1, 3, 2, 4, 5))
    return tf.reshape(x, (-1, window_size, window_size, channels))


def window_reverse(windows, window_size, height, width, channels):
    patch_num_y = height // window_size
    patch_num_x = width // window_size
    x = tf.reshape(windows, (-1, patch_num_y, patch_num_x, window_size, window_size, channels))
    x = tf.transpose(x, perm=(0, 1, 3, 2, 4, 5))
    return tf.reshape(x, (-1, height, width, channels))


class WindowAttention(layers.Layer):
    def __init__(self, dim, window_size, num_heads, **kwargs):
        super().__init__(**kwargs)
        self.dim = dim
        self.window_size = window_size
        self.num_heads = num_heads
        self.scale = (dim // num_heads) ** -0.5
        self.qkv = layers.Dense(dim * 3)
        self.proj = layers.Dense(dim)

    def build(self, input_shape):
        num_window_elements = (2 * self.window_size[0] - 1) * (2 * self.window_size[1] - 1)
        self.relative_position_bias_table = self.add_weight(
            shape=(num_window_elements, self.num_heads),
            initializer=keras.initializers.Zeros(),
            trainable=True,
            name="relative_position_bias_table",
        )
        coords_h = np.arange(self.window_size[0])
        coords_w = np.arange(self.window_size[1])
        coords = np.stack(np.meshgrid(coords_h, coords_w, indexing="ij"))
        coords_flatten = coords.reshape(2, -1)
        relative_coords = coords_flatten[:, :, None] - coords_flatten[:, None, :]
        relative_coords = relative_coords.transpose([1, 2, 0])
        relative_coords[:, :, 0] += self.window_size[0] - 1
        relative_coords[:, :, 1] += self.window_size[1] - 1
        relative_coords[:, :, 0] *= 2 * self.window_size[1] - 1
        self.relative_position_index = relative_coords.sum(-1).astype("int32")  # NumPy

    def call(self, x, mask=None):
        _, size, channels = x.shape
        head_dim = channels // self.num_heads
        x_qkv = self.qkv(x)
        x_qkv = tf.reshape(x_qkv, (-1, size, 3, self.num_heads, head_dim))
        x_qkv = tf.transpose(x_qkv, (2, 0, 3, 1, 4))
        q, k, v = x_qkv[0], x_qkv[1], x_qkv[2]
        q = q * self.scale
        attn = q @ tf.transpose(k, (0, 1, 3, 2))
        num_window_elements = self.window_size[0] * self.window_size[1]
        relative_position_index_flat = tf.reshape(self.relative_position_index, (-1,))
        relative_position_bias = tf.gather(
            self.relative_position_bias_table, relative_position_index_flat
        )
        relative_position_bias = tf.reshape(
            relative_position_bias, (num_window_elements, num_window_elements, -1)
        )
        relative_position_bias = tf.transpose(relative_position_bias, (2, 0, 1))
        attn = attn + tf.expand_dims(relative_position_bias, axis=0)
        if mask is not None:
            nW = mask.shape[0]
            mask_float = tf.cast(tf.expand_dims(tf.expand_dims(mask, axis=1), axis=0), tf.float32)
            attn = tf.reshape(attn, (-1, nW, self.num_heads, size, size)) + mask_float
            attn = tf.reshape(attn, (-1, self.num_heads, size, size))
        attn = tf.nn.softmax(attn, axis=-1)
        x_qkv = attn @ v
        x_qkv = tf.transpose(x_qkv, (0, 2, 1, 3))
        x_qkv = tf.reshape(x_qkv, (-1, size, channels))
        return self.proj(x_qkv)


def shifted_window_mask(height, width, window_size, shift_size):
    img_mask = np.zeros((1, height, width, 1))
    h_slices = (slice(0, -window_size), slice(-window_size, -shift_size), slice(-shift_size, None))
    count = 0
    for h in h_slices:
        for w in h_slices:
            img_mask[:, h, w, :] = count
            count += 1
    mask_windows = window_partition(tf.constant(img_mask, tf.float32), window_size)
    mask_windows = tf.reshape(mask_windows, (-1, window_size * window_size))
    attn_mask = tf.expand_dims(mask_windows, axis=1) - tf.expand_dims(mask_windows, axis=2)
    attn_mask = tf.where(attn_mask != 0, -100.0, attn_mask)
    return tf.where(attn_mask == 0, 0.0, attn_mask)


class SwinBlock(layers.Layer):
    def __init__(self, dim, num_patch, num_heads, window_size, shift_size, **kwargs):
        super().__init__(**kwargs)
        self.dim, self.num_patch = dim, num_patch
        self.window_size, self.shift_size = window_size, shift_size
        self.norm1 = layers.LayerNormalization(epsilon=1e-5)
        self.attn = WindowAttention(dim, (window_size, window_size), num_heads)
        self.norm2 = layers.LayerNormalization(epsilon=1e-5)
        self.mlp = keras.Sequential(
            [layers.Dense(2 * dim, activation=keras.activations.gelu), layers.Dense(dim)]
        )
        self.attn_mask = (
            shifted_window_mask(num_patch[0], num_patch[1], window_size, shift_size)
            if shift_size > 0
            else None
        )

    def call(self, x):
        height, width = self.num_patch
        _, num_patches_before, channels = x.shape
        x_skip = x
        x = self.norm1(x)
        x = tf.reshape(x, (-1, height, width, channels))
        if self.shift_size > 0:
            x = tf.roll(x, shift=[-self.shift_size, -self.shift_size], axis=[1, 2])
        x_windows = window_partition(x, self.window_size)
        x_windows = tf.reshape(x_windows, (-1, self.window_size * self.window_size, channels))
        attn_windows = self.attn(x_windows, mask=self.attn_mask)
        attn_windows = tf.reshape(attn_windows, (-1, self.window_size, self.window_size, channels))
        shifted_x = window_reverse(attn_windows, self.window_size, height, width, channels)
        if self.shift_size > 0:
            shifted_x = tf.roll(shifted_x, shift=[self.shift_size, self.shift_size], axis=[1, 2])
        x = tf.reshape(shifted_x, (-1, height * width, channels))
        x = x_skip + x
        return x + self.mlp(self.norm2(x))


class PatchMerging(layers.Layer):
    def __init__(self, num_patch, embed_dim, **kwargs):
        super().__init__(**kwargs)
        self.num_patch = num_patch
        self.linear_trans = layers.Dense(2 * embed_dim, use_bias=False)

    def call(self, x):
        height, width = self.num_patch
        _, _, C = x.shape
        x = tf.reshape(x, (-1, height, width, C))
        x0 = x[:, 0::2, 0::2, :]
        x1 = x[:, 1::2, 0::2, :]
        x2 = x[:, 0::2, 1::2, :]
        x3 = x[:, 1::2, 1::2, :]
        x = tf.concat((x0, x1, x2, x3), axis=-1)
        x = tf.reshape(x, (-1, (height // 2) * (width // 2), 4 * C))
        return self.linear_trans(x)


# window partition / reverse are inverse permutations of the pixels
grid = tf.reshape(tf.range(2 * 4 * 4 * 3, dtype=tf.float32), (2, 4, 4, 3))
windows = window_partition(grid, 2)
assert windows.shape == (8, 2, 2, 3)
np.testing.assert_array_equal(windows.numpy()[1], grid.numpy()[0, 0:2, 2:4])
np.testing.assert_array_equal(windows.numpy()[6], grid.numpy()[1, 2:4, 0:2])
np.testing.assert_array_equal(window_reverse(windows, 2, 4, 4, 3).numpy(), grid.numpy())
rolled = tf.roll(grid, shift=[-1, -1], axis=[1, 2]).numpy()
np.testing.assert_array_equal(rolled, np.roll(grid.numpy(), (-1, -1), axis=(1, 2)))

# the relative position index covers every offset of a 2x2 window exactly as Swin's table
wa = WindowAttention(8, (2, 2), 2)
wa.build((None, 4, 8))
index = wa.relative_position_index
assert index.shape == (4, 4) and index.max() == 8 and np.all(np.diag(index) == 4)
np.testing.assert_array_equal(index, index.max() - index.T)
# the shifted-window mask: windows that straddle the roll's seam block their other regions
mask = shifted_window_mask(4, 4, 2, 1).numpy()
assert mask.shape == (4, 4, 4)
assert np.all(mask[0] == 0.0)  # the first window lies in one region
assert set(np.unique(mask[3])) == {0.0, -100.0} and np.all(np.diag(mask[3]) == 0)

# a bias in the table shifts attention logits for its offset only
with_bias = WindowAttention(8, (2, 2), 2)
tokens = tf.constant(rng.normal(size=(3, 4, 8)).astype("float32"))
base_out = with_bias(tokens)
with_bias.relative_position_bias_table.assign(tf.fill((9, 2), 5.0))  # same shift everywhere
np.testing.assert_allclose(with_bias(tokens).numpy(), base_out.numpy(), rtol=1e-5, atol=1e-5)

N, S, P, D = 192, 8, 2, 16
labels = rng.integers(0, 2, N)
x = 0.3 * rng.random((N, S, S, 3)).astype("float32")
for i, c in enumerate(labels):
    r, col = rng.integers(0, 3, 2) + 5 * c
    x[i, r : r + 2, col : col + 2, :] = 1.0

inputs = keras.Input((S, S, 3))
patches = layers.Conv2D(D, P, strides=P)(inputs)  # 4x4 patches of dim D
tokens = layers.Reshape((16, D))(patches)
tokens = SwinBlock(D, (4, 4), num_heads=2, window_size=2, shift_size=0)(tokens)
tokens = SwinBlock(D, (4, 4), num_heads=2, window_size=2, shift_size=1)(tokens)
tokens = PatchMerging((4, 4), D)(tokens)
assert tokens.shape == (None, 4, 2 * D)
pooled = layers.GlobalAveragePooling1D()(tokens)
outputs = layers.Dense(2, activation="softmax")(pooled)
model = keras.Model(inputs, outputs)
model.compile(
    optimizer=keras.optimizers.AdamW(learning_rate=3e-3, weight_decay=1e-4),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
history = model.fit(x[:144], labels[:144], batch_size=16, epochs=10, verbose=0)
assert history.history["loss"][-1] < 0.5 * history.history["loss"][0], history.history["loss"]
_, acc = model.evaluate(x[144:], labels[144:], verbose=0)
print("Swin accuracy", acc)
assert acc > 0.85, acc
