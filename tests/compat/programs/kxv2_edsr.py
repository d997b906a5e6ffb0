# keras.io "Enhanced Deep Residual Networks for single-image super-resolution" (EDSR): a
# Normalization-free model with a Rescaling in and out, residual blocks whose branch is
# scaled by a constant (layers.Rescaling(0.1)), a global skip, an Upsampling block of Conv2D
# to 4x channels followed by tf.nn.depth_to_space(block_size=2) in a Lambda, an EDSRModel
# keras.Model subclass with a train_step (compute_loss + apply_gradients) and a
# predict_step that rounds and casts to uint8, a PSNR metric built on tf.image.psnr, and
# flip/rotate augmentation applied identically to low- and high-resolution pairs in tf.data
# (tf.image.rot90 with a random k). Synthetic 16x16 high-resolution smooth images.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(23)
tf.random.set_seed(23)
rng = np.random.default_rng(23)
N, HR = 96, 16
yy, xx = np.meshgrid(np.linspace(0, 1, HR), np.linspace(0, 1, HR), indexing="ij")
hr = []
for _ in range(N):
    fy, fx, ph = rng.uniform(0.5, 2.0), rng.uniform(0.5, 2.0), rng.uniform(0, 6)
    img = np.stack([np.sin(np.pi * (fy * yy + fx * xx) + ph + c) for c in range(3)], -1)
    hr.append(127.5 + 120 * img)
hr = np.stack(hr).astype("float32")
lr = tf.image.resize(hr, (HR // 2, HR // 2), method="area").numpy()


def flip_left_right(lowres_img, highres_img):
    rn = tf.random.uniform(shape=(), maxval=1)
    return tf.cond(
        rn < 0.5,
        lambda: (lowres_img, highres_img),
        lambda: (tf.image.flip_left_right(lowres_img), tf.image.flip_left_right(highres_img)),
    )


def random_rotate(lowres_img, highres_img):
    rn = tf.random.uniform(shape=(), maxval=4, dtype=tf.int32)
    return tf.image.rot90(lowres_img, rn), tf.image.rot90(highres_img, rn)


def PSNR(super_resolution, high_resolution):
    psnr_value = tf.image.psnr(high_resolution, super_resolution, max_val=255)[0]
    return psnr_value


class EDSRModel(keras.Model):
    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(y=y, y_pred=y_pred)
        gradients = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}

    def predict_step(self, x):
        x = tf.cast(tf.expand_dims(x, axis=0), tf.float32)
        super_resolution_img = self(x, training=False)
        super_resolution_img = tf.clip_by_value(super_resolution_img, 0, 255)
        super_resolution_img = tf.round(super_resolution_img)
        super_resolution_img = tf.squeeze(tf.cast(super_resolution_img, tf.uint8), axis=0)
        return super_resolution_img


def ResBlock(inputs, filters):
    x = layers.Conv2D(filters, 3, padding="same", activation="relu")(inputs)
    x = layers.Conv2D(filters, 3, padding="same")(x)
    x = layers.Rescaling(0.1)(x)
    return layers.Add()([inputs, x])


def Upsampling(inputs, factor=2, **kwargs):
    x = layers.Conv2D(64 // 4 * (factor**2) // 4, 3, padding="same", **kwargs)(inputs)
    return layers.Lambda(lambda t: tf.nn.depth_to_space(t, block_size=factor))(x)


def make_model(num_filters, num_of_residual_blocks):
    input_layer = layers.Input(shape=(None, None, 3))
    x = layers.Rescaling(scale=1.0 / 255)(input_layer)
    x = x_new = layers.Conv2D(num_filters, 3, padding="same")(x)
    for _ in range(num_of_residual_blocks):
        x_new = ResBlock(x_new, num_filters)
    x_new = layers.Conv2D(num_filters, 3, padding="same")(x_new)
    x = layers.Add()([x, x_new])
    x = Upsampling(x)
    x = layers.Conv2D(3, 3, padding="same")(x)
    output_layer = layers.Rescaling(scale=255)(x)
    return EDSRModel(input_layer, output_layer)


# depth_to_space: channel block (k // 2, k % 2) of each pixel becomes a 2x2 spatial block
t = tf.reshape(tf.range(2 * 2 * 4, dtype=tf.float32), (1, 2, 2, 4))
d2s = tf.nn.depth_to_space(t, block_size=2).numpy()[0, :, :, 0]
np.testing.assert_array_equal(d2s[:2, :2], [[0, 1], [2, 3]])
np.testing.assert_array_equal(d2s[2:, 2:], [[12, 13], [14, 15]])
np.testing.assert_array_equal(tf.nn.space_to_depth(d2s[None, :, :, None], 2).numpy(), t.numpy())
# augmentation keeps the pair aligned: the low-res image is still the area-downsample
a, b = random_rotate(*flip_left_right(tf.constant(lr[0]), tf.constant(hr[0])))
np.testing.assert_allclose(
    tf.image.resize(b[None], (HR // 2, HR // 2), method="area").numpy()[0], a.numpy(), atol=1e-3
)
rot = tf.image.rot90(tf.constant(hr[0]), 1).numpy()
np.testing.assert_array_equal(rot, np.rot90(hr[0], 1, axes=(0, 1)))
assert float(PSNR(hr[:1], hr[:1])) == np.inf or float(PSNR(hr[:1], hr[:1])) > 100

train_ds = (
    tf.data.Dataset.from_tensor_slices((lr[:80], hr[:80]))
    .map(flip_left_right)
    .map(random_rotate)
    .batch(16)
    .prefetch(tf.data.AUTOTUNE)
)
model = make_model(num_filters=16, num_of_residual_blocks=2)
assert model.output_shape == (None, None, None, 3)
model.compile(
    optimizer=keras.optimizers.Adam(
        learning_rate=keras.optimizers.schedules.PiecewiseConstantDecay(
            boundaries=[60], values=[3e-3, 1e-3]
        )
    ),
    loss="mae",
    metrics=[PSNR],
)
history = model.fit(train_ds, epochs=15, verbose=0)
assert set(history.history) == {"loss", "psnr"}, history.history  # Keras snake-cases it
assert history.history["loss"][-1] < 0.3 * history.history["loss"][0], history.history["loss"]

sr = model.predict_step(lr[80])
assert sr.dtype == tf.uint8 and sr.shape == (HR, HR, 3)
sr_psnr = [
    float(tf.image.psnr(model.predict_step(lr[i]), tf.cast(hr[i], tf.uint8), 255))
    for i in range(80, N)
]
# a mid-grey guess scores about 9 dB; this short run must get far above it (beating a
# plain upscaling would take a much longer run)
grey = float(tf.reduce_mean(tf.image.psnr(tf.fill((16, HR, HR, 3), 127.5), hr[80:], 255)))
psnr_curve = history.history["psnr"]
print("EDSR PSNR", np.mean(sr_psnr), "grey", grey, "training", psnr_curve[0], psnr_curve[-1])
assert psnr_curve[-1] > psnr_curve[0] + 6.0, psnr_curve
assert np.mean(sr_psnr) > grey + 6.0, (np.mean(sr_psnr), grey)
