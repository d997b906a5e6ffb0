# keras.io "Neural Style Transfer with AdaIN", with a tiny frozen conv encoder standing in
# for VGG19 and 8x8 images: channel statistics from tf.nn.moments, the AdaIN op, a decoder
# trained through a keras.Model whose compile() takes (optimizer, loss_fn) and whose
# train_step / test_step track style, content and total losses; the style loss compares the
# mean and std of several encoder layers (a multi-output "loss net"). Checked: moments
# against NumPy, AdaIN output carries the style's statistics, the encoder stays frozen,
# evaluate() uses test_step, and training lowers the total loss.
import keras
import numpy as np
import tensorflow as tf
from keras import layers

keras.utils.set_random_seed(41)
rng = np.random.default_rng(41)
size = 8
style_weight = 4.0


def get_mean_std(x, epsilon=1e-5):
    axes = [1, 2]
    mean, variance = tf.nn.moments(x, axes=axes, keepdims=True)
    standard_deviation = tf.sqrt(variance + epsilon)
    return mean, standard_deviation


def ada_in(style, content):
    content_mean, content_std = get_mean_std(content)
    style_mean, style_std = get_mean_std(style)
    return style_std * (content - content_mean) / content_std + style_mean


def get_encoder():
    inputs = keras.Input((size, size, 3))
    x = layers.Conv2D(8, 3, padding="same", activation="relu", name="block1_conv1")(inputs)
    x = layers.MaxPooling2D(name="block1_pool")(x)
    x = layers.Conv2D(12, 3, padding="same", activation="relu", name="block2_conv1")(x)
    encoder = keras.Model(inputs, x, name="mini_vgg")
    encoder.trainable = False
    return encoder


def get_loss_net(encoder):
    outputs = [encoder.get_layer(n).output for n in ("block1_conv1", "block2_conv1")]
    return keras.Model(encoder.input, outputs, name="loss_net")


def get_decoder():
    return keras.Sequential(
        [
            keras.Input((size // 2, size // 2, 12)),
            layers.Conv2D(8, 3, padding="same", activation="relu"),
            layers.UpSampling2D(),
            layers.Conv2D(3, 3, padding="same"),
        ],
        name="decoder",
    )


class NeuralStyleTransfer(keras.Model):
    def __init__(self, encoder, decoder, loss_net, style_weight, **kwargs):
        super().__init__(**kwargs)
        self.encoder, self.decoder, self.loss_net = encoder, decoder, loss_net
        self.style_weight = style_weight

    def compile(self, optimizer, loss_fn):
        super().compile(optimizer)
        self.loss_fn = loss_fn
        self.style_loss_tracker = keras.metrics.Mean(name="style_loss")
        self.content_loss_tracker = keras.metrics.Mean(name="content_loss")
        self.total_loss_tracker = keras.metrics.Mean(name="total_loss")

    def losses_of(self, style, content):
        t = ada_in(style=self.encoder(style), content=self.encoder(content))
        reconstructed_image = self.decoder(t)
        recon_features = self.loss_net(reconstructed_image)
        style_features = self.loss_net(style)
        loss_content = self.loss_fn(t, self.encoder(reconstructed_image))
        loss_style = 0.0
        for inp, out in zip(style_features, recon_features):
            mean_inp, std_inp = get_mean_std(inp)
            mean_out, std_out = get_mean_std(out)
            loss_style += self.loss_fn(mean_inp, mean_out) + self.loss_fn(std_inp, std_out)
        loss_style = self.style_weight * loss_style
        return loss_style, loss_content, loss_content + loss_style

    def track(self, loss_style, loss_content, total_loss):
        self.style_loss_tracker.update_state(loss_style)
        self.content_loss_tracker.update_state(loss_content)
        self.total_loss_tracker.update_state(total_loss)
        return {m.name: m.result() for m in self.metrics}

    def train_step(self, inputs):
        style, content = inputs
        with tf.GradientTape() as tape:
            loss_style, loss_content, total_loss = self.losses_of(style, content)
        trainable_vars = self.decoder.trainable_variables
        gradients = tape.gradient(total_loss, trainable_vars)
        self.optimizer.apply_gradients(zip(gradients, trainable_vars))
        return self.track(loss_style, loss_content, total_loss)

    def test_step(self, inputs):
        style, content = inputs
        return self.track(*self.losses_of(style, content))

    @property
    def metrics(self):
        return [self.style_loss_tracker, self.content_loss_tracker, self.total_loss_tracker]


# moments and AdaIN on their own
a = (rng.normal(size=(2, 4, 4, 3)) * [1.0, 2.0, 0.5] + [0.0, 1.0, -2.0]).astype("float32")
b = rng.normal(size=(2, 4, 4, 3)).astype("float32") * 3.0 + 5.0
mean, var = tf.nn.moments(tf.constant(a), axes=[1, 2], keepdims=True)
assert mean.shape == var.shape == (2, 1, 1, 3)
np.testing.assert_allclose(mean.numpy(), a.mean(axis=(1, 2), keepdims=True), rtol=1e-5, atol=1e-6)
np.testing.assert_allclose(var.numpy(), a.var(axis=(1, 2), keepdims=True), rtol=1e-4)
t = ada_in(style=tf.constant(b), content=tf.constant(a)).numpy()
np.testing.assert_allclose(t.mean(axis=(1, 2)), b.mean(axis=(1, 2)), rtol=1e-4, atol=1e-4)
np.testing.assert_allclose(t.std(axis=(1, 2)), b.std(axis=(1, 2)), rtol=1e-3)

# the model
styles = (rng.uniform(size=(32, size, size, 3)) * [1.0, 0.2, 0.5]).astype("float32")
contents = rng.uniform(size=(32, size, size, 3)).astype("float32")
dataset = tf.data.Dataset.from_tensor_slices((styles, contents)).batch(8)
encoder = get_encoder()
model = NeuralStyleTransfer(encoder, get_decoder(), get_loss_net(encoder), style_weight)
model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=0.01), loss_fn=keras.losses.MeanSquaredError()
)
frozen = [w.copy() for w in encoder.get_weights()]
assert encoder.trainable_weights == [] and len(encoder.non_trainable_weights) == 4

before = model.evaluate(dataset, verbose=0, return_dict=True)
assert set(before) == {"style_loss", "content_loss", "total_loss"}
np.testing.assert_allclose(
    before["total_loss"], before["style_loss"] + before["content_loss"], rtol=1e-5
)
history = model.fit(dataset, epochs=10, verbose=0)
after = model.evaluate(dataset, verbose=0, return_dict=True)
assert after["total_loss"] < 0.7 * before["total_loss"], (before, after)
assert len(history.history["total_loss"]) == 10
for w, w0 in zip(encoder.get_weights(), frozen):
    np.testing.assert_array_equal(w, w0)
assert int(model.optimizer.iterations.numpy()) == 40
stylised = model.decoder(ada_in(model.encoder(styles[:2]), model.encoder(contents[:2])))
assert stylised.shape == (2, size, size, 3)
print("ok")
