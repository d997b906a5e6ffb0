# TensorFlow's "Neural style transfer" tutorial on a small frozen convolutional base (VGG19
# is too big here): load_img with convert_image_dtype and a scaled resize, vgg19
# preprocess_input, a multi-output feature extractor, gram matrices with tf.linalg.einsum,
# a StyleContentModel returning nested dicts, a tf.Variable image optimised by Adam in a
# @tf.function step with clip_by_value, and the total-variation loss by hand and by
# tf.image.total_variation, plus tf.image.sobel_edges.
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(11)
rng = np.random.default_rng(11)
yy, xx = np.mgrid[0:40, 0:48]
content_raw = np.stack([xx * 5, yy * 6, (xx + yy) * 3], -1).clip(0, 255).astype("uint8")
style_raw = (np.sin(xx / 2.0)[..., None] * 100 + 120 + rng.integers(0, 30, (40, 48, 3))).astype(
    "uint8"
)


def load_img(img, max_dim=32):
    img = tf.image.convert_image_dtype(img, tf.float32)
    shape = tf.cast(tf.shape(img)[:-1], tf.float32)
    long_dim = max(shape)
    scale = max_dim / long_dim
    new_shape = tf.cast(shape * scale, tf.int32)
    img = tf.image.resize(img, new_shape)
    img = img[tf.newaxis, :]
    return img


content_image = load_img(tf.constant(content_raw))
style_image = load_img(tf.constant(style_raw))
assert content_image.shape == (1, 26, 32, 3), content_image.shape
assert content_image.dtype == tf.float32
assert 0.0 <= float(tf.reduce_min(content_image)) and float(tf.reduce_max(content_image)) <= 1.0
np.testing.assert_allclose(
    tf.image.convert_image_dtype(tf.constant(content_raw), tf.float32).numpy(),
    content_raw / 255.0,
    atol=1e-6,
)


def tensor_to_image(tensor):
    tensor = tensor * 255
    tensor = np.array(tensor, dtype=np.uint8)
    if np.ndim(tensor) > 3:
        assert tensor.shape[0] == 1
        tensor = tensor[0]
    return tensor


assert tensor_to_image(content_image).shape == (26, 32, 3)

# vgg19.preprocess_input: RGB to BGR, then the ImageNet means subtracted ("caffe" mode)
x = tf.constant([[[[10.0, 20.0, 30.0]]]])
pre = tf.keras.applications.vgg19.preprocess_input(x * 1.0)
np.testing.assert_allclose(pre.numpy().ravel(), [30 - 103.939, 20 - 116.779, 10 - 123.68], 1e-5)

base = tf.keras.Sequential(
    [
        tf.keras.Input(shape=(None, None, 3)),
        tf.keras.layers.Conv2D(8, 3, padding="same", activation="relu", name="block1_conv1"),
        tf.keras.layers.Conv2D(8, 3, padding="same", activation="relu", name="block1_conv2"),
        tf.keras.layers.MaxPooling2D(2, name="block1_pool"),
        tf.keras.layers.Conv2D(16, 3, padding="same", activation="relu", name="block2_conv1"),
        tf.keras.layers.Conv2D(16, 3, padding="same", activation="relu", name="block2_conv2"),
    ]
)
content_layers = ["block2_conv2"]
style_layers = ["block1_conv1", "block2_conv1"]
num_content_layers = len(content_layers)
num_style_layers = len(style_layers)


def vgg_layers(layer_names):
    base.trainable = False
    outputs = [base.get_layer(name).output for name in layer_names]
    model = tf.keras.Model(base.inputs, outputs)
    return model


style_extractor = vgg_layers(style_layers)
style_outputs = style_extractor(style_image * 255)
assert [tuple(o.shape) for o in style_outputs] == [(1, 26, 32, 8), (1, 13, 16, 16)]
assert style_extractor.trainable_weights == [] and len(style_extractor.weights) == 6


def gram_matrix(input_tensor):
    result = tf.linalg.einsum("bijc,bijd->bcd", input_tensor, input_tensor)
    input_shape = tf.shape(input_tensor)
    num_locations = tf.cast(input_shape[1] * input_shape[2], tf.float32)
    return result / (num_locations)


feat = style_outputs[1].numpy()
expected = np.einsum("bijc,bijd->bcd", feat, feat) / (13 * 16)
np.testing.assert_allclose(gram_matrix(style_outputs[1]).numpy(), expected, rtol=1e-4, atol=1e-4)


class StyleContentModel(tf.keras.models.Model):
    def __init__(self, style_layers, content_layers):
        super(StyleContentModel, self).__init__()
        self.vgg = vgg_layers(style_layers + content_layers)
        self.style_layers = style_layers
        self.content_layers = content_layers
        self.num_style_layers = len(style_layers)
        self.vgg.trainable = False

    def call(self, inputs):
        "Expects float input in [0,1]"
        inputs = inputs * 255.0
        preprocessed_input = tf.keras.applications.vgg19.preprocess_input(inputs)
        outputs = self.vgg(preprocessed_input)
        style_outputs, content_outputs = (
            outputs[: self.num_style_layers],
            outputs[self.num_style_layers :],
        )
        style_outputs = [gram_matrix(style_output) for style_output in style_outputs]
        content_dict = {
            content_name: value for content_name, value in zip(self.content_layers, content_outputs)
        }
        style_dict = {
            style_name: value for style_name, value in zip(self.style_layers, style_outputs)
        }
        return {"content": content_dict, "style": style_dict}


extractor = StyleContentModel(style_layers, content_layers)
results = extractor(tf.constant(content_image))
assert sorted(results) == ["content", "style"]
assert results["style"]["block1_conv1"].shape == (1, 8, 8)
assert results["style"]["block2_conv1"].shape == (1, 16, 16)
assert results["content"]["block2_conv2"].shape == (1, 13, 16, 16)
gram = results["style"]["block2_conv1"].numpy()[0]
np.testing.assert_allclose(gram, gram.T, rtol=1e-5, atol=1e-5)  # symmetric
assert np.all(np.linalg.eigvalsh(gram.astype("float64")) > -1e-3 * max(1.0, gram.max()))

style_targets = extractor(style_image)["style"]
content_targets = extractor(content_image)["content"]
image = tf.Variable(content_image)
assert image.trainable and image.shape == (1, 26, 32, 3)


def clip_0_1(image):
    return tf.clip_by_value(image, clip_value_min=0.0, clip_value_max=1.0)


opt = tf.keras.optimizers.Adam(learning_rate=0.02, beta_1=0.99, epsilon=1e-1)
style_weight = 1.0
content_weight = 1e1


def style_content_loss(outputs):
    style_outputs = outputs["style"]
    content_outputs = outputs["content"]
    style_loss = tf.add_n(
        [
            tf.reduce_mean((style_outputs[name] - style_targets[name]) ** 2)
            for name in style_outputs.keys()
        ]
    )
    style_loss *= style_weight / num_style_layers
    content_loss = tf.add_n(
        [
            tf.reduce_mean((content_outputs[name] - content_targets[name]) ** 2)
            for name in content_outputs.keys()
        ]
    )
    content_loss *= content_weight / num_content_layers
    loss = style_loss + content_loss
    return loss


# at the content image itself the content loss is zero: what is left is the style loss
style_only = tf.add_n(
    [
        tf.reduce_mean((results["style"][n] - style_targets[n]) ** 2) * style_weight / 2
        for n in style_layers
    ]
)
np.testing.assert_allclose(float(style_content_loss(results)), float(style_only), rtol=1e-5)


def high_pass_x_y(image):
    x_var = image[:, :, 1:, :] - image[:, :, :-1, :]
    y_var = image[:, 1:, :, :] - image[:, :-1, :, :]
    return x_var, y_var


def total_variation_loss(image):
    x_deltas, y_deltas = high_pass_x_y(image)
    return tf.reduce_sum(tf.abs(x_deltas)) + tf.reduce_sum(tf.abs(y_deltas))


x_deltas, y_deltas = high_pass_x_y(content_image)
assert x_deltas.shape == (1, 26, 31, 3) and y_deltas.shape == (1, 25, 32, 3)
tv = tf.image.total_variation(image)
assert tv.shape == (1,)
np.testing.assert_allclose(tv.numpy()[0], float(total_variation_loss(image)), rtol=1e-4)

edges = tf.image.sobel_edges(content_image)
assert edges.shape == (1, 26, 32, 3, 2)
# the content image is a linear ramp: inside, the Sobel responses are constant per channel
inner = edges.numpy()[0, 2:-2, 2:-2]
np.testing.assert_allclose(inner.std(axis=(0, 1)), 0.0, atol=1e-4)

total_variation_weight = 1


@tf.function()
def train_step(image):
    with tf.GradientTape() as tape:
        outputs = extractor(image)
        loss = style_content_loss(outputs)
        loss += total_variation_weight * tf.image.total_variation(image)
    grad = tape.gradient(loss, image)
    opt.apply_gradients([(grad, image)])
    image.assign(clip_0_1(image))
    return loss


weights_before = [w.numpy().copy() for w in extractor.weights]
losses = [float(train_step(image)[0]) for _ in range(30)]
print("style transfer losses", np.round(losses[::5], 2))
assert losses[-1] < 0.8 * losses[0], losses
assert int(opt.iterations) == 30
assert 0.0 <= float(tf.reduce_min(image)) and float(tf.reduce_max(image)) <= 1.0
assert np.abs(image.numpy() - content_image.numpy()).max() > 0.01
for before, w in zip(weights_before, extractor.weights):
    np.testing.assert_array_equal(w.numpy(), before)  # the extractor is frozen
assert tensor_to_image(image).dtype == np.uint8
print("style transfer ok")
