# keras.io "Zero-DCE for low-light image enhancement": a DCE-Net of 3x3 convolutions with
# skip concatenations whose tanh output holds 8 light-enhancement curves (24 channels),
# applied iteratively as x + r * (x**2 - x); the no-reference losses: color constancy (the
# channel means' pairwise differences), exposure control (tf.nn.avg_pool2d of the grey image
# against a well-exposed level), illumination smoothness (total variation of the curves),
# and a SpatialConsistencyLoss keras.losses.Loss subclass (reduction="none") with fixed
# left/right/up/down difference kernels applied by tf.nn.conv2d; a ZeroDCE keras.Model with
# compile() overridden, a train_step under a GradientTape and a test_step with Mean trackers.
# Synthetic dim 16x16 RGB images; training must brighten them towards the exposure level.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(8)
rng = np.random.default_rng(8)
N, S = 48, 16
yy, xx = np.meshgrid(np.linspace(0, 1, S), np.linspace(0, 1, S), indexing="ij")
scenes = []
for _ in range(N):
    f = rng.uniform(1, 3, size=3)
    base = np.stack([0.5 + 0.5 * np.sin(f[c] * (xx + yy) * 3 + c) for c in range(3)], -1)
    scenes.append(base * rng.uniform(0.08, 0.2))
low_light = np.stack(scenes).astype("float32")


def build_dce_net(filters=8):
    input_img = keras.Input(shape=[None, None, 3])
    conv1 = layers.Conv2D(filters, (3, 3), strides=(1, 1), activation="relu", padding="same")(
        input_img
    )
    conv2 = layers.Conv2D(filters, (3, 3), activation="relu", padding="same")(conv1)
    conv3 = layers.Conv2D(filters, (3, 3), activation="relu", padding="same")(conv2)
    conv4 = layers.Conv2D(filters, (3, 3), activation="relu", padding="same")(conv3)
    int_con1 = layers.Concatenate(axis=-1)([conv4, conv3])
    conv5 = layers.Conv2D(filters, (3, 3), activation="relu", padding="same")(int_con1)
    int_con2 = layers.Concatenate(axis=-1)([conv5, conv2])
    conv6 = layers.Conv2D(filters, (3, 3), activation="relu", padding="same")(int_con2)
    int_con3 = layers.Concatenate(axis=-1)([conv6, conv1])
    x_r = layers.Conv2D(24, (3, 3), activation="tanh", padding="same")(int_con3)
    return keras.Model(inputs=input_img, outputs=x_r)


def color_constancy_loss(x):
    mean_rgb = tf.reduce_mean(x, axis=(1, 2), keepdims=True)
    mr, mg, mb = mean_rgb[:, :, :, 0], mean_rgb[:, :, :, 1], mean_rgb[:, :, :, 2]
    d_rg = tf.square(mr - mg)
    d_rb = tf.square(mr - mb)
    d_gb = tf.square(mb - mg)
    return tf.sqrt(tf.square(d_rg) + tf.square(d_rb) + tf.square(d_gb))


def exposure_loss(x, mean_val=0.6):
    x = tf.reduce_mean(x, axis=3, keepdims=True)
    mean = tf.nn.avg_pool2d(x, ksize=8, strides=8, padding="VALID")
    return tf.reduce_mean(tf.square(mean - mean_val))


def illumination_smoothness_loss(x):
    batch_size = tf.shape(x)[0]
    h_x = tf.shape(x)[1]
    w_x = tf.shape(x)[2]
    count_h = (tf.shape(x)[2] - 1) * tf.shape(x)[3]
    count_w = tf.shape(x)[2] * (tf.shape(x)[3] - 1)
    h_tv = tf.reduce_sum(tf.square((x[:, 1:, :, :] - x[:, : h_x - 1, :, :])))
    w_tv = tf.reduce_sum(tf.square((x[:, :, 1:, :] - x[:, :, : w_x - 1, :])))
    batch_size = tf.cast(batch_size, dtype=tf.float32)
    count_h = tf.cast(count_h, dtype=tf.float32)
    count_w = tf.cast(count_w, dtype=tf.float32)
    return 2 * (h_tv / count_h + w_tv / count_w) / batch_size


class SpatialConsistencyLoss(keras.losses.Loss):
    def __init__(self, **kwargs):
        super().__init__(reduction="none")
        self.left_kernel = tf.constant([[[[0, 0, 0]], [[-1, 1, 0]], [[0, 0, 0]]]], dtype=tf.float32)
        self.right_kernel = tf.constant(
            [[[[0, 0, 0]], [[0, 1, -1]], [[0, 0, 0]]]], dtype=tf.float32
        )
        self.up_kernel = tf.constant([[[[0, -1, 0]], [[0, 1, 0]], [[0, 0, 0]]]], dtype=tf.float32)
        self.down_kernel = tf.constant([[[[0, 0, 0]], [[0, 1, 0]], [[0, -1, 0]]]], dtype=tf.float32)

    def call(self, y_true, y_pred):
        original_mean = tf.reduce_mean(y_true, 3, keepdims=True)
        enhanced_mean = tf.reduce_mean(y_pred, 3, keepdims=True)
        original_pool = tf.nn.avg_pool2d(original_mean, ksize=4, strides=4, padding="VALID")
        enhanced_pool = tf.nn.avg_pool2d(enhanced_mean, ksize=4, strides=4, padding="VALID")
        d = 0.0
        for kernel in (self.left_kernel, self.right_kernel, self.up_kernel, self.down_kernel):
            kernel = tf.reshape(kernel, (3, 3, 1, 1))
            d_original = tf.nn.conv2d(original_pool, kernel, strides=[1, 1, 1, 1], padding="SAME")
            d_enhanced = tf.nn.conv2d(enhanced_pool, kernel, strides=[1, 1, 1, 1], padding="SAME")
            d = d + tf.square(d_original - d_enhanced)
        return d


class ZeroDCE(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dce_model = build_dce_net()

    def compile(self, learning_rate, **kwargs):
        super().compile(**kwargs)
        self.optimizer = keras.optimizers.Adam(learning_rate=learning_rate)
        self.spatial_constancy_loss = SpatialConsistencyLoss(reduction="none")
        self.total_loss_tracker = keras.metrics.Mean(name="total_loss")
        self.exposure_loss_tracker = keras.metrics.Mean(name="exposure_loss")
        self.color_constancy_loss_tracker = keras.metrics.Mean(name="color_constancy_loss")

    @property
    def metrics(self):
        return [
            self.total_loss_tracker,
            self.exposure_loss_tracker,
            self.color_constancy_loss_tracker,
        ]

    def get_enhanced_image(self, data, output):
        x = data
        for i in range(8):
            r = output[:, :, :, 3 * i : 3 * i + 3]
            x = x + r * (tf.square(x) - x)
        return x

    def call(self, data):
        dce_net_output = self.dce_model(data)
        return self.get_enhanced_image(data, dce_net_output)

    def compute_losses(self, data, output):
        enhanced_image = self.get_enhanced_image(data, output)
        loss_illumination = 200 * illumination_smoothness_loss(output)
        loss_spatial_constancy = tf.reduce_mean(self.spatial_constancy_loss(enhanced_image, data))
        loss_color_constancy = 5 * tf.reduce_mean(color_constancy_loss(enhanced_image))
        loss_exposure = 10 * tf.reduce_mean(exposure_loss(enhanced_image))
        total_loss = (
            loss_illumination + loss_spatial_constancy + loss_color_constancy + loss_exposure
        )
        return {
            "total_loss": total_loss,
            "exposure_loss": loss_exposure,
            "color_constancy_loss": loss_color_constancy,
        }

    def train_step(self, data):
        with tf.GradientTape() as tape:
            output = self.dce_model(data)
            losses = self.compute_losses(data, output)
        gradients = tape.gradient(losses["total_loss"], self.dce_model.trainable_weights)
        self.optimizer.apply_gradients(zip(gradients, self.dce_model.trainable_weights))
        self.total_loss_tracker.update_state(losses["total_loss"])
        self.exposure_loss_tracker.update_state(losses["exposure_loss"])
        self.color_constancy_loss_tracker.update_state(losses["color_constancy_loss"])
        return {metric.name: metric.result() for metric in self.metrics}

    def test_step(self, data):
        output = self.dce_model(data)
        losses = self.compute_losses(data, output)
        self.total_loss_tracker.update_state(losses["total_loss"])
        self.exposure_loss_tracker.update_state(losses["exposure_loss"])
        self.color_constancy_loss_tracker.update_state(losses["color_constancy_loss"])
        return {metric.name: metric.result() for metric in self.metrics}


# the losses on hand-made inputs
grey = tf.fill((2, 16, 16, 3), 0.6)
np.testing.assert_allclose(color_constancy_loss(grey).numpy(), np.zeros((2, 1, 1)), atol=1e-7)
np.testing.assert_allclose(float(exposure_loss(grey)), 0.0, atol=1e-7)
np.testing.assert_allclose(float(exposure_loss(tf.fill((1, 16, 16, 3), 0.2))), 0.16, rtol=1e-5)
reddish = tf.concat([tf.fill((1, 4, 4, 1), 0.9), tf.fill((1, 4, 4, 2), 0.1)], axis=-1)
np.testing.assert_allclose(
    color_constancy_loss(reddish).numpy().ravel(), [np.sqrt(2 * 0.64**2)], rtol=1e-5
)
flat = tf.zeros((1, 4, 4, 24))
assert float(illumination_smoothness_loss(flat)) == 0.0
ramp = tf.reshape(tf.range(4, dtype=tf.float32), (1, 4, 1, 1)) * tf.ones((1, 4, 4, 2))
# h_tv = 3 * 4 * 2 unit steps, count_h = (4 - 1) * 2; w_tv = 0 with count_w = 4 * 1
np.testing.assert_allclose(float(illumination_smoothness_loss(ramp)), 2 * 24 / 6, rtol=1e-6)
spatial = SpatialConsistencyLoss(reduction="none")
images = tf.constant(low_light[:2])
d_same = spatial(images, images)
assert d_same.shape == (2, 4, 4, 1), d_same.shape
assert float(tf.reduce_max(d_same)) == 0.0
assert float(tf.reduce_mean(spatial(images, images * 3.0))) > 0.0

zero_dce_model = ZeroDCE()
zero_dce_model.compile(learning_rate=1e-2)
dataset = tf.data.Dataset.from_tensor_slices(low_light[:40]).batch(8)
val_dataset = tf.data.Dataset.from_tensor_slices(low_light[40:]).batch(8)
history = zero_dce_model.fit(dataset, validation_data=val_dataset, epochs=12, verbose=0)
assert set(history.history) == {
    "total_loss",
    "exposure_loss",
    "color_constancy_loss",
    "val_total_loss",
    "val_exposure_loss",
    "val_color_constancy_loss",
}, history.history
total = history.history["total_loss"]
assert total[-1] < 0.5 * total[0], total

enhanced = zero_dce_model(low_light[40:]).numpy()
assert enhanced.shape == low_light[40:].shape
before, after = low_light[40:].mean(), enhanced.mean()
print("mean brightness", before, "->", after)
assert after > before + 0.15 and after < 0.9, (before, after)
# the enhancement keeps the scene's structure: brighter pixels stay brighter
corr = np.corrcoef(low_light[40:].mean(-1).ravel(), enhanced.mean(-1).ravel())[0, 1]
assert corr > 0.8, corr
# fully convolutional: another image size goes through
assert zero_dce_model(tf.zeros((1, 24, 20, 3))).shape == (1, 24, 20, 3)
