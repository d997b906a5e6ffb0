"""Conv3D on small volumes: a 3-D CNN (Conv3D, MaxPooling3D, GlobalAveragePooling3D) that
learns whether a bright cube sits in the front or the back half of a noisy volume."""

import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(3)
rng = np.random.default_rng(3)
n = 32
x = rng.normal(0.0, 0.1, (n, 8, 8, 8, 1)).astype("float32")
y = (np.arange(n) % 2).astype("int32")
for i in range(n):
    d = rng.integers(0, 2) + (4 if y[i] else 0)
    h, w = rng.integers(0, 6, size=2)
    x[i, d : d + 2, h : h + 2, w : w + 2] += 1.0

conv = tf.keras.layers.Conv3D(4, kernel_size=3, padding="same", activation="relu")
assert conv(x[:2]).shape == (2, 8, 8, 8, 4)
assert conv.kernel.shape == (3, 3, 3, 1, 4)
assert tf.keras.layers.MaxPooling3D(pool_size=2)(x[:2]).shape == (2, 4, 4, 4, 1)
assert tf.keras.layers.AveragePooling3D(pool_size=(2, 2, 1))(x[:2]).shape == (2, 4, 4, 8, 1)
assert tf.keras.layers.UpSampling3D(size=2)(x[:1]).shape == (1, 16, 16, 16, 1)
assert tf.keras.layers.ZeroPadding3D(padding=1)(x[:1]).shape == (1, 10, 10, 10, 1)
assert tf.keras.layers.Cropping3D(cropping=((1, 1), (2, 2), (0, 0)))(x[:1]).shape == (
    1,
    6,
    4,
    8,
    1,
)

# tf.nn.conv3d agrees with the layer's computation
kernel = conv.kernel
manual = tf.nn.relu(
    tf.nn.conv3d(x[:2], kernel, strides=[1, 1, 1, 1, 1], padding="SAME") + conv.bias
)
np.testing.assert_allclose(manual.numpy(), conv(x[:2]).numpy(), rtol=1e-5, atol=1e-6)

model = tf.keras.Sequential(
    [
        tf.keras.Input(shape=(8, 8, 8, 1)),
        tf.keras.layers.Conv3D(4, 3, padding="same", activation="relu"),
        tf.keras.layers.MaxPooling3D(pool_size=(2, 1, 1)),
        tf.keras.layers.Conv3D(4, 3, padding="same", activation="relu"),
        tf.keras.layers.GlobalMaxPooling3D(),
        tf.keras.layers.Dense(2),
    ]
)
model.compile(
    optimizer=tf.keras.optimizers.Adam(0.01),
    loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
history = model.fit(x, y, epochs=6, batch_size=8, verbose=0)
assert history.history["loss"][-1] < history.history["loss"][0]

# gradients reach every Conv3D weight
with tf.GradientTape() as tape:
    logits = model(x[:4], training=True)
    loss = tf.reduce_mean(
        tf.keras.losses.sparse_categorical_crossentropy(y[:4], logits, from_logits=True)
    )
grads = tape.gradient(loss, model.trainable_variables)
assert all(g is not None for g in grads)
assert model.layers[0].get_config()["kernel_size"] in ((3, 3, 3), [3, 3, 3])
print("ok")
