# keras.io "Multiclass semantic segmentation using DeepLabV3+": a convolution_block helper
# (Conv2D with dilation_rate, use_bias=False, HeNormal init, BatchNormalization, layers.ReLU),
# Dilated Spatial Pyramid Pooling (a global AveragePooling2D over the whole map upsampled
# back with UpSampling2D(interpolation="bilinear"), and 1x1 and dilated 3x3 branches
# concatenated), a decoder that upsamples the ASPP output and concatenates low-level
# features, a per-pixel logits head trained with SparseCategoricalCrossentropy(from_logits).
# Synthetic 16x16 scenes: background, a square (1) and a vertical bar (2).
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(17)
rng = np.random.default_rng(17)
N, S, NUM_CLASSES = 96, 16, 3
images = 0.2 * rng.random((N, S, S, 3)).astype("float32")
masks = np.zeros((N, S, S), "int32")
for i in range(N):
    r, c = rng.integers(0, S - 5, 2)
    images[i, r : r + 5, c : c + 5, 0] += 0.8
    masks[i, r : r + 5, c : c + 5] = 1
    col = int(rng.integers(0, S - 2))
    images[i, :, col : col + 2, 2] += 0.8
    masks[i, :, col : col + 2] = 2


def convolution_block(block_input, num_filters=16, kernel_size=3, dilation_rate=1, use_bias=False):
    x = layers.Conv2D(
        num_filters,
        kernel_size=kernel_size,
        dilation_rate=dilation_rate,
        padding="same",
        use_bias=use_bias,
        kernel_initializer=keras.initializers.HeNormal(),
    )(block_input)
    x = layers.BatchNormalization()(x)
    return layers.ReLU()(x)


def DilatedSpatialPyramidPooling(dspp_input):
    dims = dspp_input.shape
    x = layers.AveragePooling2D(pool_size=(dims[-3], dims[-2]))(dspp_input)
    x = convolution_block(x, kernel_size=1, use_bias=True)
    out_pool = layers.UpSampling2D(
        size=(dims[-3] // x.shape[1], dims[-2] // x.shape[2]), interpolation="bilinear"
    )(x)
    out_1 = convolution_block(dspp_input, kernel_size=1, dilation_rate=1)
    out_2 = convolution_block(dspp_input, kernel_size=3, dilation_rate=2)
    out_3 = convolution_block(dspp_input, kernel_size=3, dilation_rate=3)
    x = layers.Concatenate(axis=-1)([out_pool, out_1, out_2, out_3])
    return convolution_block(x, kernel_size=1)


def DeeplabV3Plus(image_size, num_classes):
    model_input = keras.Input(shape=(image_size, image_size, 3))
    low = convolution_block(model_input, num_filters=8)
    low = layers.MaxPooling2D()(low)  # 8x8 "low-level" features
    high = convolution_block(low, num_filters=16)
    high = layers.MaxPooling2D()(high)  # 4x4 backbone output
    x = DilatedSpatialPyramidPooling(high)
    input_a = layers.UpSampling2D(size=(2, 2), interpolation="bilinear")(x)
    input_b = convolution_block(low, num_filters=8, kernel_size=1)
    x = layers.Concatenate(axis=-1)([input_a, input_b])
    x = convolution_block(x)
    x = layers.UpSampling2D(size=(2, 2), interpolation="bilinear")(x)
    model_output = layers.Conv2D(num_classes, kernel_size=(1, 1), padding="same")(x)
    return keras.Model(inputs=model_input, outputs=model_output)


# a dilated 3x3 convolution sees the pixels `rate` apart
probe = np.zeros((1, 9, 9, 1), "float32")
probe[0, 4, 4] = 1.0
dilated = layers.Conv2D(
    1, 3, dilation_rate=3, padding="same", use_bias=False, kernel_initializer="ones"
)
hit = dilated(probe).numpy()[0, :, :, 0]
assert dilated.dilation_rate == (3, 3)
np.testing.assert_array_equal(
    np.argwhere(hit == 1.0),
    [[1, 1], [1, 4], [1, 7], [4, 1], [4, 4], [4, 7], [7, 1], [7, 4], [7, 7]],
)
assert hit.sum() == 9.0
# bilinear upsampling of a constant map stays constant; of a ramp, stays monotone
up = layers.UpSampling2D(size=(2, 2), interpolation="bilinear")
np.testing.assert_allclose(up(tf.fill((1, 2, 2, 1), 3.0)).numpy(), np.full((1, 4, 4, 1), 3.0))
ramp = up(tf.reshape(tf.constant([0.0, 1.0, 2.0, 3.0]), (1, 1, 4, 1))).numpy()[0, 0, :, 0]
np.testing.assert_allclose(ramp, [0.0, 0.25, 0.75, 1.25, 1.75, 2.25, 2.75, 3.0], atol=1e-6)

model = DeeplabV3Plus(image_size=S, num_classes=NUM_CLASSES)
assert model.output_shape == (None, S, S, NUM_CLASSES)
pool = [layer for layer in model.layers if isinstance(layer, layers.AveragePooling2D)][0]
assert pool.output.shape == (None, 1, 1, 16)
model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=0.01),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
history = model.fit(images[:80], masks[:80], batch_size=16, epochs=12, verbose=0)
assert history.history["loss"][-1] < 0.3 * history.history["loss"][0], history.history["loss"]
predicted = np.argmax(model.predict(images[80:], verbose=0), axis=-1)
pixel_acc = (predicted == masks[80:]).mean()
ious = []
for c in (1, 2):
    inter = ((predicted == c) & (masks[80:] == c)).sum()
    union = ((predicted == c) | (masks[80:] == c)).sum()
    ious.append(inter / union)
print("DeepLab pixel accuracy", pixel_acc, "IoU", ious)
# predicting background everywhere scores about 0.78 pixel accuracy and 0 IoU
assert pixel_acc > 0.86 and min(ious) > 0.4, (pixel_acc, ious)
