# keras.io "Conditional GAN": one-hot class labels concatenated to the generator's latent
# vector and, broadcast to image-sized channels (repeat + reshape), to the discriminator's
# input; a ConditionalGAN keras.Model subclass with compile(d_optimizer, g_optimizer,
# loss_fn), a train_step that trains the discriminator on real and fake images (labels 1/0)
# and the generator through a frozen discriminator, and Mean trackers. Checked: the trained
# generator draws each class's pattern when asked for it.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(67)
tf.random.set_seed(67)
rng = np.random.default_rng(67)
S, num_classes, latent_dim, num_channels = 6, 2, 8, 1
# class 0: top half bright; class 1: bottom half bright
protos = np.zeros((2, S, S, 1), "float32")
protos[0, : S // 2] = 1.0
protos[1, S // 2 :] = 1.0
labels = rng.integers(0, num_classes, 512)
all_digits = np.clip(protos[labels] + 0.05 * rng.normal(size=(512, S, S, 1)), 0, 1)
all_digits = all_digits.astype("float32")
all_labels = keras.utils.to_categorical(labels, num_classes).astype("float32")
dataset = tf.data.Dataset.from_tensor_slices((all_digits, all_labels))
dataset = dataset.shuffle(buffer_size=512, seed=3).batch(64)

generator_in_channels = latent_dim + num_classes
discriminator_in_channels = num_channels + num_classes
discriminator = keras.Sequential(
    [
        keras.layers.InputLayer((S, S, discriminator_in_channels)),
        layers.Conv2D(16, (3, 3), strides=(2, 2), padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Flatten(),
        layers.Dense(1),
    ],
    name="discriminator",
)
generator = keras.Sequential(
    [
        keras.layers.InputLayer((generator_in_channels,)),
        layers.Dense(3 * 3 * 16),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Reshape((3, 3, 16)),
        layers.Conv2DTranspose(16, (4, 4), strides=(2, 2), padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Conv2D(1, (3, 3), padding="same", activation="sigmoid"),
    ],
    name="generator",
)
assert generator.output_shape == (None, S, S, 1)


class ConditionalGAN(keras.Model):
    def __init__(self, discriminator, generator, latent_dim):
        super().__init__()
        self.discriminator = discriminator
        self.generator = generator
        self.latent_dim = latent_dim
        self.seed_generator = keras.random.SeedGenerator(1337)
        self.gen_loss_tracker = keras.metrics.Mean(name="generator_loss")
        self.disc_loss_tracker = keras.metrics.Mean(name="discriminator_loss")

    @property
    def metrics(self):
        return [self.gen_loss_tracker, self.disc_loss_tracker]

    def compile(self, d_optimizer, g_optimizer, loss_fn):
        super().compile()
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self.loss_fn = loss_fn

    def train_step(self, data):
        real_images, one_hot_labels = data
        image_one_hot_labels = one_hot_labels[:, :, None, None]
        image_one_hot_labels = keras.ops.repeat(image_one_hot_labels, repeats=[S * S])
        image_one_hot_labels = keras.ops.reshape(image_one_hot_labels, (-1, S, S, num_classes))
        batch_size = keras.ops.shape(real_images)[0]
        random_latent_vectors = keras.random.normal(
            shape=(batch_size, self.latent_dim), seed=self.seed_generator
        )
        random_vector_labels = keras.ops.concatenate(
            [random_latent_vectors, one_hot_labels], axis=1
        )
        generated_images = self.generator(random_vector_labels)
        fake_image_and_labels = keras.ops.concatenate([generated_images, image_one_hot_labels], -1)
        real_image_and_labels = keras.ops.concatenate([real_images, image_one_hot_labels], -1)
        combined_images = keras.ops.concatenate(
            [fake_image_and_labels, real_image_and_labels], axis=0
        )
        labels = keras.ops.concatenate(
            [keras.ops.ones((batch_size, 1)), keras.ops.zeros((batch_size, 1))], axis=0
        )
        with tf.GradientTape() as tape:
            predictions = self.discriminator(combined_images)
            d_loss = self.loss_fn(labels, predictions)
        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))

        random_latent_vectors = keras.random.normal(
            shape=(batch_size, self.latent_dim), seed=self.seed_generator
        )
        random_vector_labels = keras.ops.concatenate(
            [random_latent_vectors, one_hot_labels], axis=1
        )
        misleading_labels = keras.ops.zeros((batch_size, 1))
        with tf.GradientTape() as tape:
            fake_images = self.generator(random_vector_labels)
            fake_image_and_labels = keras.ops.concatenate([fake_images, image_one_hot_labels], -1)
            predictions = self.discriminator(fake_image_and_labels)
            g_loss = self.loss_fn(misleading_labels, predictions)
        grads = tape.gradient(g_loss, self.generator.trainable_weights)
        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))
        self.gen_loss_tracker.update_state(g_loss)
        self.disc_loss_tracker.update_state(d_loss)
        return {
            "g_loss": self.gen_loss_tracker.result(),
            "d_loss": self.disc_loss_tracker.result(),
        }


# the label broadcast as the example writes it: repeat without an axis flattens first (as
# np.repeat), so the reshape spreads each class over whole rows rather than one channel
oh = tf.constant([[0.0, 1.0], [1.0, 0.0]])
rep = keras.ops.reshape(keras.ops.repeat(oh[:, :, None, None], repeats=[S * S]), (-1, S, S, 2))
assert rep.shape == (2, S, S, 2)
np.testing.assert_array_equal(rep.numpy(), np.repeat(oh.numpy(), S * S).reshape(-1, S, S, 2))

cond_gan = ConditionalGAN(discriminator=discriminator, generator=generator, latent_dim=latent_dim)
cond_gan.compile(
    d_optimizer=keras.optimizers.Adam(learning_rate=0.003),
    g_optimizer=keras.optimizers.Adam(learning_rate=0.003),
    loss_fn=keras.losses.BinaryCrossentropy(from_logits=True),
)
history = cond_gan.fit(dataset, epochs=15, verbose=0)
assert set(history.history) == {"g_loss", "d_loss"}
assert all(np.isfinite(history.history["g_loss"]))

noise = tf.random.stateless_normal((32, latent_dim), seed=[1, 2])
for cls in range(num_classes):
    onehot = tf.one_hot(tf.fill([32], cls), num_classes)
    fake = cond_gan.generator(tf.concat([noise, onehot], axis=1)).numpy()[..., 0]
    top, bottom = fake[:, : S // 2].mean(), fake[:, S // 2 :].mean()
    print("class", cls, "top", top, "bottom", bottom)
    assert (top - bottom if cls == 0 else bottom - top) > 0.3, (cls, top, bottom)
