# keras.io "Image classification from scratch": data augmentation layers (RandomFlip,
# RandomRotation) and Rescaling inside the model, an Xception-like entry flow of
# SeparableConv2D blocks with strided residual projections (layers.add), global average
# pooling (BatchNormalization momentum lowered to 0.8: its moving statistics must settle
# within the few steps of this tiny run) and a single-logit binary head trained with
# from_logits binary crossentropy.
# Synthetic 16x16 RGB images: class 1 has a bright blob, class 0 a dark one.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(11)
rng = np.random.default_rng(11)
N, S = 320, 16
labels = rng.integers(0, 2, N)
images = rng.uniform(60, 120, size=(N, S, S, 3))
for i in range(N):
    r, c = rng.integers(3, S - 7, 2)
    images[i, r : r + 5, c : c + 5, :] = 250.0 if labels[i] else 5.0
images = images.astype("float32")  # raw 0..255 pixels: the model rescales them itself

data_augmentation_layers = [layers.RandomFlip("horizontal"), layers.RandomRotation(0.1)]


def data_augmentation(images):
    for layer in data_augmentation_layers:
        images = layer(images)
    return images


# augmentation is random in training and the identity at inference
batch = images[:4]
aug = data_augmentation(batch)
assert aug.shape == batch.shape
flip = layers.RandomFlip("horizontal")
np.testing.assert_array_equal(flip(batch, training=False).numpy(), batch)

train_ds = tf.data.Dataset.from_tensor_slices((images[:256], labels[:256])).batch(32)
val_ds = tf.data.Dataset.from_tensor_slices((images[256:], labels[256:])).batch(32)
train_ds = train_ds.map(
    lambda img, label: (data_augmentation(img), label), num_parallel_calls=tf.data.AUTOTUNE
).prefetch(tf.data.AUTOTUNE)


def make_model(input_shape, num_classes):
    inputs = keras.Input(shape=input_shape)
    x = layers.Rescaling(1.0 / 255)(inputs)
    x = layers.Conv2D(16, 3, strides=2, padding="same")(x)
    x = layers.BatchNormalization(momentum=0.8)(x)
    x = layers.Activation("relu")(x)
    previous_block_activation = x
    for size in [16, 32]:
        x = layers.Activation("relu")(x)
        x = layers.SeparableConv2D(size, 3, padding="same")(x)
        x = layers.BatchNormalization(momentum=0.8)(x)
        x = layers.Activation("relu")(x)
        x = layers.SeparableConv2D(size, 3, padding="same")(x)
        x = layers.BatchNormalization(momentum=0.8)(x)
        x = layers.MaxPooling2D(3, strides=2, padding="same")(x)
        residual = layers.Conv2D(size, 1, strides=2, padding="same")(previous_block_activation)
        x = layers.add([x, residual])
        previous_block_activation = x
    x = layers.SeparableConv2D(32, 3, padding="same")(x)
    x = layers.BatchNormalization(momentum=0.8)(x)
    x = layers.Activation("relu")(x)
    x = layers.GlobalAveragePooling2D()(x)
    units = 1 if num_classes == 2 else num_classes
    x = layers.Dropout(0.25)(x)
    outputs = layers.Dense(units, activation=None)(x)
    return keras.Model(inputs, outputs)


model = make_model(input_shape=(S, S, 3), num_classes=2)
assert model.output_shape == (None, 1)
seps = [layer for layer in model.layers if isinstance(layer, layers.SeparableConv2D)]
assert len(seps) == 5
# depthwise (3, 3, in, 1) and pointwise (1, 1, in, out) kernels plus a bias
dk, pk, b = seps[1].weights
assert dk.shape == (3, 3, 16, 1) and pk.shape == (1, 1, 16, 16) and b.shape == (16,)
adds = [layer for layer in model.layers if isinstance(layer, layers.Add)]
assert [a.output.shape for a in adds] == [(None, 4, 4, 16), (None, 2, 2, 32)]

model.compile(
    optimizer=keras.optimizers.Adam(3e-3),
    loss=keras.losses.BinaryCrossentropy(from_logits=True),
    metrics=[keras.metrics.BinaryAccuracy(name="acc", threshold=0.0)],
)
history = model.fit(train_ds, epochs=12, validation_data=val_ds, verbose=0)
assert history.history["loss"][-1] < history.history["loss"][0], history.history
loss, acc = model.evaluate(val_ds, verbose=0)
print("val acc", acc)
assert acc > 0.85, history.history
logits = model.predict(images[256:], verbose=0)
score = keras.ops.sigmoid(logits[:, 0])
assert 0.0 <= float(keras.ops.min(score)) and float(keras.ops.max(score)) <= 1.0
np.testing.assert_allclose(np.mean((logits[:, 0] > 0) == labels[256:]), acc, atol=1e-6)
