# TensorFlow's "Adversarial example using FGSM" and "Neural style transfer" tutorials on
# synthetic images: the signed input gradient (tape.watch), gram matrices with
# tf.linalg.einsum, tf.image.total_variation and sobel_edges, and a tf.Variable image
# optimized through a frozen VGG19 (weights=None) feature extractor.
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(5)
rng = np.random.default_rng(5)

# ---- FGSM: a small classifier of bright-left vs bright-right images in [-1, 1]
n = 200
labels = rng.integers(0, 2, size=n)
images = rng.uniform(-0.3, 0.3, size=(n, 16, 16, 3)).astype("float32")
images[labels == 0, :, :8] += 0.5
images[labels == 1, :, 8:] += 0.5
one_hot = tf.one_hot(labels, 2)
pretrained_model = tf.keras.Sequential(
    [
        tf.keras.Input(shape=(16, 16, 3)),
        tf.keras.layers.Conv2D(4, 3, activation="relu"),
        tf.keras.layers.GlobalAveragePooling2D(),
        tf.keras.layers.Dense(2, activation="softmax"),
    ]
)
pretrained_model.compile(optimizer=tf.keras.optimizers.Adam(0.05), loss="categorical_crossentropy")
pretrained_model.fit(images, one_hot, epochs=8, batch_size=20, verbose=0)
pretrained_model.trainable = False
image = images[:1]
image_probs = pretrained_model.predict(image, verbose=0)
assert image_probs.shape == (1, 2)
clean_accuracy = np.mean(np.argmax(pretrained_model.predict(images, verbose=0), 1) == labels)
assert clean_accuracy > 0.9, clean_accuracy

loss_object = tf.keras.losses.CategoricalCrossentropy()


def create_adversarial_pattern(input_image, input_label):
    with tf.GradientTape() as tape:
        tape.watch(input_image)
        prediction = pretrained_model(input_image)
        loss = loss_object(input_label, prediction)
    # Get the gradients of the loss w.r.t to the input image.
    gradient = tape.gradient(loss, input_image)
    # Get the sign of the gradients to create the perturbation
    signed_grad = tf.sign(gradient)
    return signed_grad


x = tf.constant(images)
perturbations = create_adversarial_pattern(x, one_hot)
assert perturbations.shape == (n, 16, 16, 3) and perturbations.dtype == tf.float32
assert set(np.unique(perturbations.numpy())) <= {-1.0, 0.0, 1.0}
# without tape.watch a constant is not watched: the gradient is None
with tf.GradientTape() as tape:
    unwatched = loss_object(one_hot, pretrained_model(x))
assert tape.gradient(unwatched, x) is None

accuracies = []
for eps in [0, 0.05, 0.3]:
    adv_x = x + eps * perturbations
    adv_x = tf.clip_by_value(adv_x, -1, 1)
    assert float(tf.reduce_max(tf.abs(adv_x - tf.clip_by_value(x, -1, 1)))) <= eps + 1e-6
    predicted = np.argmax(pretrained_model.predict(adv_x, verbose=0), 1)
    accuracies.append(np.mean(predicted == labels))
print("FGSM accuracy by epsilon", accuracies)
assert accuracies[0] == clean_accuracy
assert accuracies[2] < accuracies[0] - 0.3, accuracies

# ---- Neural style transfer maths
content_image = tf.image.convert_image_dtype(
    rng.integers(0, 256, (40, 30, 3)).astype("uint8"), tf.float32
)
assert content_image.dtype == tf.float32 and float(tf.reduce_max(content_image)) <= 1.0
max_dim = 32
shape = tf.cast(tf.shape(content_image)[:-1], tf.float32)
long_dim = max(shape)
scale = max_dim / long_dim
new_shape = tf.cast(shape * scale, tf.int32)
content_image = tf.image.resize(content_image, new_shape)[tf.newaxis, :]
assert content_image.shape == (1, 32, 24, 3)
style_image = tf.image.resize(
    tf.image.convert_image_dtype(rng.integers(0, 256, (50, 50, 3)).astype("uint8"), tf.float32),
    (32, 32),
)[tf.newaxis, :]


def tensor_to_image(tensor):
    tensor = tensor * 255
    tensor = np.array(tensor, dtype=np.uint8)
    if np.ndim(tensor) > 3:
        assert tensor.shape[0] == 1
        tensor = tensor[0]
    return tensor


assert tensor_to_image(content_image).shape == (32, 24, 3)
assert tensor_to_image(content_image).dtype == np.uint8


def gram_matrix(input_tensor):
    result = tf.linalg.einsum("bijc,bijd->bcd", input_tensor, input_tensor)
    input_shape = tf.shape(input_tensor)
    num_locations = tf.cast(input_shape[1] * input_shape[2], tf.float32)
    return result / (num_locations)


features = rng.normal(size=(2, 3, 4, 5)).astype("float32")
flat = features.reshape(2, 12, 5)
np.testing.assert_allclose(
    gram_matrix(features).numpy(), np.einsum("bnc,bnd->bcd", flat, flat) / 12, rtol=1e-5
)

# VGG19 ordering and the caffe preprocessing (BGR, ImageNet means subtracted)
pixel = np.array([[[[255.0, 0.0, 128.0]]]], "float32")
np.testing.assert_allclose(
    np.asarray(tf.keras.applications.vgg19.preprocess_input(pixel.copy()))[0, 0, 0],
    [128 - 103.939, 0 - 116.779, 255 - 123.68],
    rtol=1e-5,
)
content_layers = ["block5_conv2"]
style_layers = ["block1_conv1", "block2_conv1", "block3_conv1", "block4_conv1", "block5_conv1"]
num_content_layers = len(content_layers)
num_style_layers = len(style_layers)


def vgg_layers(layer_names):
    vgg = tf.keras.applications.VGG19(include_top=False, weights=None)
    vgg.trainable = False
    outputs = [vgg.get_layer(name).output for name in layer_names]
    model = tf.keras.Model([vgg.input], outputs)
    return model


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
        content_dict = {name: value for name, value in zip(self.content_layers, content_outputs)}
        style_dict = {name: value for name, value in zip(self.style_layers, style_outputs)}
        return {"content": content_dict, "style": style_dict}


extractor = StyleContentModel(style_layers, content_layers)
assert len(extractor.vgg.layers) == 19 and extractor.trainable_variables == []
results = extractor(tf.constant(content_image))
assert sorted(results["style"]) == sorted(style_layers)
assert [results["style"][name].shape for name in style_layers] == [
    (1, 64, 64),
    (1, 128, 128),
    (1, 256, 256),
    (1, 512, 512),
    (1, 512, 512),
]
assert results["content"]["block5_conv2"].shape == (1, 2, 1, 512)
gram = results["style"]["block1_conv1"].numpy()[0]
np.testing.assert_allclose(gram, gram.T, rtol=1e-5, atol=1e-5)
assert np.all(np.diag(gram) >= 0)

style_targets = extractor(style_image)["style"]
content_targets = extractor(content_image)["content"]
image = tf.Variable(content_image)


def clip_0_1(image):
    return tf.clip_by_value(image, clip_value_min=0.0, clip_value_max=1.0)


opt = tf.keras.optimizers.Adam(learning_rate=0.02, beta_1=0.99, epsilon=1e-1)
style_weight = 1e-2
content_weight = 1e4
total_variation_weight = 30


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
    return style_loss + content_loss


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


losses = [float(train_step(image)[0]) for _ in range(4)]
print("style transfer losses", losses)
assert losses[-1] < losses[0], losses
assert float(tf.reduce_min(image)) >= 0.0 and float(tf.reduce_max(image)) <= 1.0
assert np.abs(image.numpy() - content_image.numpy()).max() > 0


def high_pass_x_y(image):
    x_var = image[:, :, 1:, :] - image[:, :, :-1, :]
    y_var = image[:, 1:, :, :] - image[:, :-1, :, :]
    return x_var, y_var


def total_variation_loss(image):
    x_deltas, y_deltas = high_pass_x_y(image)
    return tf.reduce_sum(tf.abs(x_deltas)) + tf.reduce_sum(tf.abs(y_deltas))


tv = tf.image.total_variation(image)
assert tv.shape == (1,)
np.testing.assert_allclose(tv.numpy()[0], total_variation_loss(image).numpy(), rtol=1e-4)
assert tf.image.total_variation(image[0]).shape == ()

# sobel_edges: [batch, h, w, channels, 2] with dy then dx; a vertical edge only has dx
step = np.zeros((1, 5, 6, 1), "float32")
step[..., 3:, :] = 1.0
sobel = tf.image.sobel_edges(tf.constant(step))
assert sobel.shape == (1, 5, 6, 1, 2)
np.testing.assert_allclose(sobel[..., 0].numpy(), 0.0, atol=1e-6)
np.testing.assert_allclose(sobel.numpy()[0, 2, :, 0, 1], [0, 0, 4, 4, 0, 0])
print("fgsm and style transfer ok")
