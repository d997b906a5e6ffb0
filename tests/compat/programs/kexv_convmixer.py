# keras.io "Image classification with ConvMixer": a patch-embedding stem (Conv2D with
# kernel_size = strides = patch size), ConvMixer blocks of a DepthwiseConv2D with a residual
# add followed by a pointwise 1x1 Conv2D, each conv followed by gelu and BatchNormalization,
# then global average pooling and a softmax head; trained with AdamW.
# Synthetic 8x8 images: horizontal vs vertical vs diagonal stripes.
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(21)
rng = np.random.default_rng(21)
N, S = 360, 8
labels = rng.integers(0, 3, N)
ii, jj = np.meshgrid(np.arange(S), np.arange(S), indexing="ij")
patterns = np.stack([(ii % 2 == 0), (jj % 2 == 0), ((ii + jj) % 2 == 0)]).astype("float32")
x = patterns[labels][..., None] + 0.3 * rng.normal(size=(N, S, S, 1)).astype("float32")
x = np.repeat(x, 3, axis=-1).astype("float32")


def activation_block(x):
    x = layers.Activation("gelu")(x)
    return layers.BatchNormalization(momentum=0.8)(x)


def conv_stem(x, filters: int, patch_size: int):
    x = layers.Conv2D(filters, kernel_size=patch_size, strides=patch_size)(x)
    return activation_block(x)


def conv_mixer_block(x, filters: int, kernel_size: int):
    x0 = x
    x = layers.DepthwiseConv2D(kernel_size=kernel_size, padding="same")(x)
    x = layers.Add()([activation_block(x), x0])
    x = layers.Conv2D(filters, kernel_size=1)(x)
    x = activation_block(x)
    return x


def get_conv_mixer_model(image_size=S, filters=16, depth=2, kernel_size=3, patch_size=2):
    inputs = keras.Input((image_size, image_size, 3))
    x = layers.Rescaling(scale=1.0 / 2.0)(inputs)
    x = conv_stem(x, filters, patch_size)
    for _ in range(depth):
        x = conv_mixer_block(x, filters, kernel_size)
    x = layers.GlobalAvgPool2D()(x)
    outputs = layers.Dense(3, activation="softmax")(x)
    return keras.Model(inputs, outputs)


model = get_conv_mixer_model()
stem = model.layers[2]
assert isinstance(stem, layers.Conv2D) and stem.strides == (2, 2) and stem.kernel_size == (2, 2)
assert stem.output.shape == (None, 4, 4, 16)
dws = [layer for layer in model.layers if isinstance(layer, layers.DepthwiseConv2D)]
assert len(dws) == 2
assert dws[0].kernel.shape == (3, 3, 16, 1) and dws[0].bias.shape == (16,)
assert dws[0].output.shape == (None, 4, 4, 16)
# a depthwise conv mixes space per channel only: a one-channel impulse stays in that channel
probe = np.zeros((1, 4, 4, 16), "float32")
probe[0, 2, 2, 5] = 1.0
out = dws[0](probe).numpy() - dws[0].bias.numpy()
assert np.abs(np.delete(out, 5, axis=-1)).max() < 1e-6
np.testing.assert_allclose(out[0, 1:4, 1:4, 5], dws[0].kernel.numpy()[::-1, ::-1, 5, 0], atol=1e-6)

model.compile(
    optimizer=keras.optimizers.AdamW(learning_rate=0.01, weight_decay=1e-4),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
history = model.fit(x[:300], labels[:300], batch_size=32, epochs=10, verbose=0)
assert history.history["loss"][-1] < 0.5 * history.history["loss"][0], history.history
_, acc = model.evaluate(x[300:], labels[300:], verbose=0)
print("ConvMixer accuracy", acc)
assert acc > 0.9, history.history
