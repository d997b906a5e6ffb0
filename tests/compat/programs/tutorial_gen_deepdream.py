# TensorFlow's "DeepDream" tutorial mechanics on a small convolutional base (the tutorial's
# InceptionV3 is too slow to build here): a multi-output "dream" model, the loss as
# tf.reduce_sum over a list of layer means (auto-packed, differentiable), gradient ascent on
# the image in a tf.Module whose tf.function has an input_signature, and random_roll's
# tf.roll by a random shift inside tf.function (tiled gradients).
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(9)
rng = np.random.default_rng(9)
original_img = rng.integers(0, 256, (24, 28, 3)).astype("uint8")

base_model = tf.keras.Sequential(
    [
        tf.keras.Input(shape=(None, None, 3)),
        tf.keras.layers.Conv2D(8, 3, padding="same", activation="relu", name="mixed0"),
        tf.keras.layers.Conv2D(8, 3, padding="same", activation="relu", name="mixed1"),
        tf.keras.layers.MaxPooling2D(2),
        tf.keras.layers.Conv2D(16, 3, padding="same", activation="relu", name="mixed2"),
    ]
)
names = ["mixed1", "mixed2"]
layers = [base_model.get_layer(name).output for name in names]
dream_model = tf.keras.Model(inputs=base_model.inputs, outputs=layers)
outs = dream_model(tf.zeros([1, 24, 28, 3]))
assert [tuple(o.shape) for o in outs] == [(1, 24, 28, 8), (1, 12, 14, 16)]


def deprocess(img):
    img = 255 * (img + 1.0) / 2.0
    return tf.cast(img, tf.uint8)


def calc_loss(img, model):
    # Pass forward the image through the model to retrieve the activations.
    # Converts the image into a batch of size 1.
    img_batch = tf.expand_dims(img, axis=0)
    layer_activations = model(img_batch)
    if len(layer_activations) == 1:
        layer_activations = [layer_activations]
    losses = []
    for act in layer_activations:
        loss = tf.math.reduce_mean(act)
        losses.append(loss)
    return tf.reduce_sum(losses)


img0 = tf.keras.applications.inception_v3.preprocess_input(original_img.astype("float32"))
assert float(tf.reduce_min(img0)) >= -1.0 and float(tf.reduce_max(img0)) <= 1.0
img0 = tf.convert_to_tensor(img0)
with tf.GradientTape() as tape:
    tape.watch(img0)
    loss0 = calc_loss(img0, dream_model)
acts = dream_model(img0[tf.newaxis])
np.testing.assert_allclose(float(loss0), sum(float(tf.reduce_mean(a)) for a in acts), rtol=1e-5)
grad0 = tape.gradient(loss0, img0)
assert grad0 is not None and grad0.shape == (24, 28, 3)
assert float(tf.reduce_max(tf.abs(grad0))) > 0


class DeepDream(tf.Module):
    def __init__(self, model, steps):
        self.model = model
        self.steps = steps
        self.traces = 0

    @tf.function(
        input_signature=(
            tf.TensorSpec(shape=[None, None, 3], dtype=tf.float32),
            tf.TensorSpec(shape=[], dtype=tf.float32),
        )
    )
    def __call__(self, img, step_size):
        self.traces += 1
        loss = tf.constant(0.0)
        for n in range(self.steps):
            with tf.GradientTape() as tape:
                # This needs gradients relative to `img`
                # `GradientTape` only watches `tf.Variable`s by default
                tape.watch(img)
                loss = calc_loss(img, self.model)
            # Calculate the gradient of the loss with respect to the pixels of the input image.
            gradients = tape.gradient(loss, img)
            # Normalize the gradients.
            gradients /= tf.math.reduce_std(gradients) + 1e-8
            # In gradient ascent, the "loss" is maximized so that the input image
            # increasingly "excites" the layers.
            img = img + gradients * step_size
            img = tf.clip_by_value(img, -1, 1)
        return loss, img


deepdream = DeepDream(dream_model, steps=3)
losses = []
img = img0
for _ in range(3):
    loss, img = deepdream(img, tf.constant(0.01))
    losses.append(float(loss))
assert deepdream.traces == 1  # one trace for the signature
assert losses[-1] > losses[0], losses  # gradient ascent raises the activations
assert float(tf.reduce_max(tf.abs(img))) <= 1.0
# any image size fits the signature's [None, None, 3]
loss_small, small = deepdream(img0[:20, :20], tf.constant(0.01))
assert small.shape == (20, 20, 3)
result = deprocess(img)
assert result.dtype == tf.uint8 and result.shape == (24, 28, 3)


def random_roll(img, maxroll):
    # Randomly shift the image to avoid tiled boundaries.
    shift = tf.random.uniform(shape=[2], minval=-maxroll, maxval=maxroll, dtype=tf.int32)
    img_rolled = tf.roll(img, shift=shift, axis=[0, 1])
    return shift, img_rolled


shift, img_rolled = random_roll(np.array(original_img), 10)
assert shift.dtype == tf.int32 and shift.shape == (2,)
assert np.all((shift.numpy() >= -10) & (shift.numpy() < 10))
np.testing.assert_array_equal(img_rolled.numpy(), np.roll(original_img, shift.numpy(), axis=(0, 1)))


class TiledGradients(tf.Module):
    def __init__(self, model):
        self.model = model

    @tf.function(
        input_signature=(
            tf.TensorSpec(shape=[None, None, 3], dtype=tf.float32),
            tf.TensorSpec(shape=[], dtype=tf.int32),
        )
    )
    def __call__(self, img, maxroll):
        shift, img_rolled = random_roll(img, maxroll)
        with tf.GradientTape() as tape:
            tape.watch(img_rolled)
            loss = calc_loss(img_rolled, self.model)
        gradients = tape.gradient(loss, img_rolled)
        # Undo the random shift applied to the image and its gradients.
        gradients = tf.roll(gradients, shift=-shift, axis=[0, 1])
        gradients /= tf.math.reduce_std(gradients) + 1e-8
        return shift, gradients


get_tiled_gradients = TiledGradients(dream_model)
shifts = set()
for _ in range(3):
    shift, gradients = get_tiled_gradients(img0, tf.constant(8))
    assert gradients.shape == (24, 28, 3)
    np.testing.assert_allclose(float(tf.math.reduce_std(gradients)), 1.0, rtol=1e-3)
    shifts.add(tuple(shift.numpy()))
assert len(shifts) > 1  # a new random shift on each run of the traced function
print("deepdream ok")
