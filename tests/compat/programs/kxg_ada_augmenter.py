# keras.io "Data-efficient GANs with Adaptive Discriminator Augmentation", on 4x4 images: an
# AdaptiveAugmenter keras.Model holding its augmentation probability in a tf.Variable,
# applying the augmentation per image with tf.where on a uniform draw, and updating the
# probability from the discriminator's accuracy on real images (a step function of the
# logits, clipped to [0, 1]); a GAN train_step calls it on real and generated images and logs
# the probability and keras.metrics.BinaryAccuracy. Checked: p = 0 and p = 1 act as identity /
# always-augment, the update rule, and the probability the fit logs.
import keras
import numpy as np
import tensorflow as tf
from keras import layers

keras.utils.set_random_seed(17)
rng = np.random.default_rng(17)
size, batch_size, latent = 4, 8, 4
target_accuracy, integration_steps = 0.85, 20


def step(values):
    # negative values -> 0.0, positive values -> 1.0
    return 0.5 * (1.0 + tf.sign(values))


class AdaptiveAugmenter(keras.Model):
    def __init__(self):
        super().__init__()
        self.probability = tf.Variable(0.0)
        self.augmenter = keras.Sequential(
            [
                keras.Input((size, size, 1)),
                layers.Lambda(lambda x: tf.reverse(x, axis=[2]), name="mirror"),
                layers.RandomFlip("vertical", seed=3),
            ],
            name="adaptive_augmenter",
        )

    def call(self, images, training):
        if training:
            augmented_images = self.augmenter(images, training=False)
            augmentation_values = tf.random.uniform(
                shape=(tf.shape(images)[0], 1, 1, 1), minval=0.0, maxval=1.0
            )
            augmentation_bools = tf.math.less(augmentation_values, self.probability)
            images = tf.where(augmentation_bools, augmented_images, images)
        return images

    def update(self, real_logits):
        current_accuracy = tf.reduce_mean(step(real_logits))
        accuracy_error = current_accuracy - target_accuracy
        self.probability.assign(
            tf.clip_by_value(self.probability + accuracy_error / integration_steps, 0.0, 1.0)
        )


np.testing.assert_array_equal(step(tf.constant([-2.0, 0.5, 3.0])).numpy(), [0.0, 1.0, 1.0])
images = rng.normal(size=(16, size, size, 1)).astype("float32")
mirrored = images[:, :, ::-1, :]
aug = AdaptiveAugmenter()
np.testing.assert_array_equal(aug(images, training=True).numpy(), images)  # p = 0
aug.probability.assign(1.0)
np.testing.assert_array_equal(
    aug(images, training=True).numpy(), mirrored
)  # the inference-mode flip is off
np.testing.assert_array_equal(aug(images, training=False).numpy(), images)
aug.probability.assign(0.5)
mixed = aug(images, training=True).numpy()
is_mirrored = np.all(mixed == mirrored, axis=(1, 2, 3))
assert np.all(is_mirrored | np.all(mixed == images, axis=(1, 2, 3)))
assert 0 < is_mirrored.sum() < 16, is_mirrored

# the update rule: accuracy 1 raises p by (1 - 0.85) / 20, accuracy 0 lowers it, clipped
aug.probability.assign(0.5)
aug.update(tf.ones((8, 1)))
np.testing.assert_allclose(float(aug.probability.numpy()), 0.5 + 0.15 / 20, rtol=1e-6)
aug.probability.assign(0.01)
aug.update(-tf.ones((8, 1)))
assert float(aug.probability.numpy()) == 0.0


class GAN(keras.Model):
    def __init__(self):
        super().__init__()
        self.augmenter = AdaptiveAugmenter()
        self.generator = keras.Sequential(
            [keras.Input((latent,)), layers.Dense(size * size), layers.Reshape((size, size, 1))]
        )
        self.discriminator = keras.Sequential(
            [
                keras.Input((size, size, 1)),
                layers.Flatten(),
                layers.Dense(8, activation="relu"),
                layers.Dense(1),
            ]
        )

    def compile(self, generator_optimizer, discriminator_optimizer):
        super().compile()
        self.generator_optimizer = generator_optimizer
        self.discriminator_optimizer = discriminator_optimizer
        self.real_accuracy = keras.metrics.BinaryAccuracy(name="real_acc")
        self.augmentation_probability_tracker = keras.metrics.Mean(name="aug_p")

    @property
    def metrics(self):
        return [self.real_accuracy, self.augmentation_probability_tracker]

    def train_step(self, real_images):
        real_images = self.augmenter(real_images, training=True)
        noise = tf.random.normal(shape=(batch_size, latent))
        with tf.GradientTape(persistent=True) as tape:
            generated_images = self.generator(noise, training=True)
            generated_images = self.augmenter(generated_images, training=True)
            real_logits = self.discriminator(real_images, training=True)
            generated_logits = self.discriminator(generated_images, training=True)
            generator_loss = keras.losses.binary_crossentropy(
                tf.ones((batch_size, 1)), generated_logits, from_logits=True
            )
            generator_loss = tf.reduce_mean(generator_loss)
            labels = tf.concat([tf.ones((batch_size, 1)), tf.zeros((batch_size, 1))], axis=0)
            logits = tf.concat([real_logits, generated_logits], axis=0)
            discriminator_loss = tf.reduce_mean(
                keras.losses.binary_crossentropy(labels, logits, from_logits=True)
            )
        g_vars = self.generator.trainable_weights
        d_vars = self.discriminator.trainable_weights
        self.generator_optimizer.apply_gradients(zip(tape.gradient(generator_loss, g_vars), g_vars))
        self.discriminator_optimizer.apply_gradients(
            zip(tape.gradient(discriminator_loss, d_vars), d_vars)
        )
        self.augmenter.update(real_logits)
        self.real_accuracy.update_state(1.0, step(real_logits))
        self.augmentation_probability_tracker.update_state(self.augmenter.probability)
        return {m.name: m.result() for m in self.metrics}


# easy real data: bright upper half; the discriminator soon beats the target accuracy
real = np.zeros((64, size, size, 1), "float32")
real[:, :2] = 1.0
real += 0.05 * rng.normal(size=real.shape).astype("float32")
gan = GAN()
gan.compile(keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-2))
history = gan.fit(real, batch_size=batch_size, epochs=3, shuffle=False, verbose=0)
assert set(history.history) == {"real_acc", "aug_p"}
p = float(gan.augmenter.probability.numpy())
assert 0.0 <= p <= 1.0
# p moves by at most 0.85 / 20 or 0.15 / 20 per step: 24 steps keep it within 24 * 0.0425
assert p <= 24 * 0.85 / integration_steps
assert p > 0.0, history.history  # the discriminator is above the target on real images
assert history.history["real_acc"][-1] > target_accuracy
print("ok")
