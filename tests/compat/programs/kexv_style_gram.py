# keras.io "Neural style transfer" pieces: gram_matrix of feature maps
# (ops.transpose + ops.reshape + ops.matmul), style_loss and content_loss, total variation
# loss, a feature extractor keras.Model(inputs, outputs_dict) over named conv layers, and the
# combination image optimised as a tf.Variable with SGD under a GradientTape and an
# ExponentialDecay schedule. A small random conv net stands in for VGG19.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(43)
rng = np.random.default_rng(43)
H = W = 12


def gram_matrix(x):
    x = keras.ops.transpose(x, (2, 0, 1))
    features = keras.ops.reshape(x, (keras.ops.shape(x)[0], -1))
    gram = keras.ops.matmul(features, keras.ops.transpose(features))
    return gram


def style_loss(style, combination):
    S = gram_matrix(style)
    C = gram_matrix(combination)
    channels = 3
    size = H * W
    return keras.ops.sum(keras.ops.square(S - C)) / (4.0 * (channels**2) * (size**2))


def content_loss(base, combination):
    return keras.ops.sum(keras.ops.square(combination - base))


def total_variation_loss(x):
    a = keras.ops.square(x[:, : H - 1, : W - 1, :] - x[:, 1:, : W - 1, :])
    b = keras.ops.square(x[:, : H - 1, : W - 1, :] - x[:, : H - 1, 1:, :])
    return keras.ops.sum(keras.ops.power(a + b, 1.25))


f = rng.random((H, W, 3)).astype("float32")
flat = f.reshape(-1, 3)
np.testing.assert_allclose(gram_matrix(f).numpy(), flat.T @ flat, rtol=1e-5)
assert float(style_loss(f, f)) == 0.0
np.testing.assert_allclose(
    float(total_variation_loss(f[None])),
    np.sum(((f[:-1, :-1] - f[1:, :-1]) ** 2 + (f[:-1, :-1] - f[:-1, 1:]) ** 2) ** 1.25),
    rtol=1e-4,
)
assert float(total_variation_loss(np.ones((1, H, W, 3), "float32"))) == 0.0

inp = keras.Input((H, W, 3))
h = layers.Conv2D(8, 3, padding="same", activation="relu", name="block1_conv1")(inp)
h = layers.Conv2D(8, 3, padding="same", activation="relu", name="block1_conv2")(h)
h = layers.AveragePooling2D(2, name="block1_pool")(h)
h = layers.Conv2D(16, 3, padding="same", activation="relu", name="block2_conv1")(h)
model = keras.Model(inp, h)
outputs_dict = dict([(layer.name, layer.output) for layer in model.layers])
feature_extractor = keras.Model(inputs=model.inputs, outputs=outputs_dict)
assert set(feature_extractor.output) == {
    "input_layer", "block1_conv1", "block1_conv2", "block1_pool", "block2_conv1"
} or len(feature_extractor.output) == 5  # fmt: skip
style_layer_names = ["block1_conv1", "block2_conv1"]
content_layer_name = "block1_conv2"
content_weight, style_weight, tv_weight = 2.5e-3, 1e2, 1e-6

base_image = rng.random((1, H, W, 3)).astype("float32")
style_reference_image = np.tile(rng.random((1, 4, 4, 3)), (1, 3, 3, 1)).astype("float32")


def compute_loss(combination_image, base_image, style_reference_image):
    input_tensor = keras.ops.concatenate(
        [base_image, style_reference_image, combination_image], axis=0
    )
    features = feature_extractor(input_tensor)
    loss = keras.ops.zeros(shape=())
    layer_features = features[content_layer_name]
    base_image_features = layer_features[0, :, :, :]
    combination_features = layer_features[2, :, :, :]
    loss = loss + content_weight * content_loss(base_image_features, combination_features)
    for layer_name in style_layer_names:
        layer_features = features[layer_name]
        style_reference_features = layer_features[1, :, :, :]
        combination_features = layer_features[2, :, :, :]
        sl = style_loss(style_reference_features, combination_features)
        loss += (style_weight / len(style_layer_names)) * sl
    loss += tv_weight * total_variation_loss(combination_image)
    return loss


@tf.function
def compute_loss_and_grads(combination_image, base_image, style_reference_image):
    with tf.GradientTape() as tape:
        loss = compute_loss(combination_image, base_image, style_reference_image)
    grads = tape.gradient(loss, combination_image)
    return loss, grads


schedule = keras.optimizers.schedules.ExponentialDecay(
    initial_learning_rate=3.0, decay_steps=20, decay_rate=0.96
)
optimizer = keras.optimizers.SGD(schedule)
combination_image = tf.Variable(base_image)
losses = []
for i in range(1, 61):
    loss, grads = compute_loss_and_grads(combination_image, base_image, style_reference_image)
    assert grads.shape == (1, H, W, 3)
    optimizer.apply_gradients([(grads, combination_image)])
    losses.append(float(loss))
print("style transfer loss", losses[0], "->", losses[-1])
assert losses[-1] < 0.5 * losses[0], losses
assert all(b <= a * 1.001 for a, b in zip(losses, losses[1:])), losses
assert int(optimizer.iterations) == 60
np.testing.assert_allclose(float(optimizer.learning_rate), 3.0 * 0.96 ** (60 / 20), rtol=1e-5)
img = combination_image.numpy()
assert img.shape == (1, H, W, 3) and np.all(np.isfinite(img))
assert not np.allclose(img, base_image)
