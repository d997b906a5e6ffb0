# keras.io "Learning to Resize in Computer Vision": a learnable resizer (a functional model
# on images of any size: Input(shape=[None, None, 3])) that adds a naive
# keras.layers.Resizing of the input to a convolutional path resized inside the network,
# with LeakyReLU(0.2) given positionally and a residual block; then put in front of a small
# classifier behind Rescaling and trained from a tf.data pipeline that resizes with
# tf.image.resize and augments inside Dataset.map. Resizing's interpolations (bilinear,
# nearest, bicubic, area, lanczos3) give what tf.image.resize gives, keep integer dtypes.
import keras
import numpy as np
import tensorflow as tf
from keras import layers

keras.utils.set_random_seed(11)
rng = np.random.default_rng(11)
INP_SIZE = (24, 24)
TARGET_SIZE = (16, 16)

# Resizing == tf.image.resize with method=interpolation, as Keras 3 on TensorFlow calls it
grid = (np.arange(2 * 7 * 9 * 3, dtype="float32").reshape(2, 7, 9, 3) % 23) ** 1.5
for interpolation in ("bilinear", "nearest", "bicubic", "area", "lanczos3"):
    for size in ((4, 5), (11, 13)):
        out = layers.Resizing(*size, interpolation=interpolation)(grid)
        ref = tf.image.resize(grid, size, method=interpolation)
        assert out.shape == (2, *size, 3) and out.dtype == "float32", (interpolation, out.shape)
        np.testing.assert_allclose(np.asarray(out), ref.numpy(), rtol=1e-5, atol=1e-3)
# area averages the covered pixels: 6x6 -> 3x3 takes the mean of each 2x2 block
blocks = np.arange(36, dtype="float32").reshape(1, 6, 6, 1)
area = layers.Resizing(3, 3, interpolation="area")(blocks)
np.testing.assert_allclose(
    np.asarray(area)[0, :, :, 0], [[3.5, 5.5, 7.5], [15.5, 17.5, 19.5], [27.5, 29.5, 31.5]]
)
small = layers.Resizing(3, 3, interpolation="area")(blocks.astype("uint8")[0])
assert small.dtype == "uint8" and small.shape == (3, 3, 1)
bicubic = layers.Resizing(4, 4, interpolation="bicubic")(blocks)
np.testing.assert_allclose(
    np.asarray(bicubic)[0, 0, :, 0], tf.image.resize(blocks, (4, 4), "bicubic").numpy()[0, 0, :, 0]
)
assert layers.Resizing(4, 4, interpolation="area").get_config()["interpolation"] == "area"


def conv_block(x, filters, kernel_size, strides, activation=layers.LeakyReLU(0.2)):
    x = layers.Conv2D(filters, kernel_size, strides, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    if activation:
        x = activation(x)
    return x


def res_block(x, filters):
    shortcut = x
    x = conv_block(x, filters, 3, 1)
    x = conv_block(x, filters, 3, 1, activation=None)
    return layers.Add()([shortcut, x])


def get_learnable_resizer(filters=4, interpolation="bilinear"):
    inputs = layers.Input(shape=[None, None, 3])
    naive_resize = layers.Resizing(*TARGET_SIZE, interpolation=interpolation)(inputs)
    x = layers.Conv2D(filters, kernel_size=7, strides=1, padding="same")(inputs)
    x = layers.LeakyReLU(0.2)(x)
    x = layers.Conv2D(filters, kernel_size=1, strides=1, padding="same")(x)
    x = layers.LeakyReLU(0.2)(x)
    x = layers.BatchNormalization()(x)
    bottleneck = layers.Resizing(*TARGET_SIZE, interpolation=interpolation)(x)
    x = res_block(bottleneck, filters)
    x = layers.Conv2D(filters, kernel_size=3, strides=1, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.Add()([bottleneck, x])
    x = layers.Conv2D(3, kernel_size=7, strides=1, padding="same")(x)
    return keras.Model(inputs, layers.Add()([naive_resize, x]), name="learnable_resizer")


resizer = get_learnable_resizer()
assert resizer.output_shape == (None, TARGET_SIZE[0], TARGET_SIZE[1], 3)
assert resizer.layers[2].get_config()["negative_slope"] == 0.2
for shape in ((1, 20, 30, 3), (2, 9, 9, 3)):  # any input size comes out at the target
    assert resizer(np.zeros(shape, "float32"), training=False).shape == (shape[0], 16, 16, 3)


def preprocess(image, label):
    return tf.image.resize(image, INP_SIZE), tf.one_hot(label, depth=2)


augment = keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.1)])
images = rng.integers(0, 255, (8, 30, 26, 3)).astype("uint8")
labels = np.array([0, 1] * 4)
train_ds = (
    tf.data.Dataset.from_tensor_slices((images, labels))
    .shuffle(8)
    .map(preprocess)
    .batch(4)
    .map(lambda x, y: (augment(x, training=True), y))
    .prefetch(tf.data.AUTOTUNE)
)
batch_images, batch_labels = next(iter(train_ds))
assert batch_images.shape == (4, 24, 24, 3) and batch_images.dtype == tf.float32
assert batch_labels.shape == (4, 2)

inputs = layers.Input((INP_SIZE[0], INP_SIZE[1], 3))
x = resizer(layers.Rescaling(scale=1.0 / 255)(inputs))
x = layers.Conv2D(4, 3, strides=2, activation="relu")(x)
outputs = layers.Dense(2, activation="softmax")(layers.GlobalAveragePooling2D()(x))
model = keras.Model(inputs, outputs)
model.compile(
    loss=keras.losses.CategoricalCrossentropy(label_smoothing=0.1),
    optimizer="sgd",
    metrics=["accuracy"],
)
before = [w.copy() for w in resizer.get_weights()]
history = model.fit(train_ds, validation_data=train_ds, epochs=1, verbose=0)
assert sorted(history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
assert any(not np.allclose(a, b) for a, b in zip(before, resizer.get_weights()))  # trained
probs = model.predict(batch_images, verbose=0)
assert probs.shape == (4, 2)
np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)
print("ok")
