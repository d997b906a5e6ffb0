# MobileNet-style blocks: DepthwiseConv2D and SeparableConv2D with GroupNormalization and
# GaussianNoise classify which quadrant of an 12x12 image holds a bright square.
import numpy as np
from tensorflow import keras

keras.utils.set_random_seed(11)
rng = np.random.default_rng(11)
n = 400
images = rng.normal(0, 0.1, size=(n, 12, 12, 2)).astype("float32")
labels = rng.integers(0, 4, size=n)
for i, q in enumerate(labels):
    r, c = divmod(int(q), 2)
    images[i, r * 6 + 1 : r * 6 + 5, c * 6 + 1 : c * 6 + 5, :] += 1.0

model = keras.Sequential(
    [
        keras.Input(shape=(12, 12, 2)),
        keras.layers.GaussianNoise(0.05),
        keras.layers.DepthwiseConv2D(3, depth_multiplier=2, padding="same", activation="relu"),
        keras.layers.SeparableConv2D(8, 3, strides=2, padding="same", activation="relu"),
        keras.layers.GroupNormalization(groups=4),
        keras.layers.Flatten(),
        keras.layers.Dense(4, activation="softmax"),
    ]
)
model.compile(
    optimizer=keras.optimizers.Adam(0.01),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
model.fit(images[:320], labels[:320], epochs=10, batch_size=32, verbose=0)
assert model.evaluate(images[320:], labels[320:], verbose=0)[1] > 0.9

depthwise, separable = model.layers[1], model.layers[2]
assert [w.shape for w in depthwise.get_weights()] == [(3, 3, 2, 2), (4,)]
assert [w.shape for w in separable.get_weights()] == [(3, 3, 4, 1), (1, 1, 4, 8), (8,)]

# A depthwise convolution convolves each channel with its own filters.
layer = keras.layers.DepthwiseConv2D(1, use_bias=False)
x = rng.standard_normal((1, 3, 3, 2)).astype("float32")
layer(x)
layer.set_weights([np.array([2.0, -1.0], "float32").reshape(1, 1, 2, 1)])
np.testing.assert_allclose(layer(x).numpy(), x * np.array([2.0, -1.0]), rtol=1e-6)
