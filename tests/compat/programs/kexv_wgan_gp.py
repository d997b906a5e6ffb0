# keras.io "WGAN-GP overriding Model.train_step": a keras.Model subclass holding a critic and a
# generator, compile() overridden to take two optimizers and two loss functions, train_step
# running d_steps critic updates whose loss adds a gradient penalty (a GradientTape nested
# inside the critic's tape, differentiating the critic w.r.t. interpolated images), then a
# generator update. Checked: the penalty's second-order gradient against its closed form for
# a linear critic, and a tiny WGAN that moves its generated intensity to the real one.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(23)
tf.random.set_seed(23)
rng = np.random.default_rng(23)
S, noise_dim = 4, 8


def gradient_penalty_of(critic, real_images, fake_images, alpha):
    diff = fake_images - real_images
    interpolated = real_images + alpha * diff
    with tf.GradientTape() as gp_tape:
        gp_tape.watch(interpolated)
        pred = critic(interpolated, training=True)
    grads = gp_tape.gradient(pred, [interpolated])[0]
    norm = tf.sqrt(tf.reduce_sum(tf.square(grads), axis=[1, 2, 3]))
    return tf.reduce_mean((norm - 1.0) ** 2)


# a linear critic D(x) = sum(w * x): grad_x D = w, so gp = (|w| - 1)^2 and
# d gp / d w = 2 (|w| - 1) w / |w|: the outer tape differentiates through the inner one
w = tf.Variable(tf.random.stateless_normal((1, S, S, 1), seed=[1, 2]))


def linear_critic(x, training=False):
    return tf.reduce_sum(x * w, axis=[1, 2, 3])


real = tf.random.stateless_uniform((3, S, S, 1), seed=[3, 4])
fake = tf.random.stateless_uniform((3, S, S, 1), seed=[5, 6])
with tf.GradientTape() as tape:
    gp = gradient_penalty_of(linear_critic, real, fake, tf.fill((3, 1, 1, 1), 0.5))
dw = tape.gradient(gp, w)
wn = np.linalg.norm(w.numpy())
np.testing.assert_allclose(float(gp), (wn - 1) ** 2, rtol=1e-5)
np.testing.assert_allclose(dw.numpy(), 2 * (wn - 1) * w.numpy() / wn, rtol=1e-4, atol=1e-6)


def get_discriminator_model():
    img_input = layers.Input(shape=(S, S, 1))
    x = layers.Conv2D(8, (3, 3), strides=(2, 2), padding="same")(img_input)
    x = layers.LeakyReLU(0.2)(x)
    x = layers.Flatten()(x)
    x = layers.Dense(1)(x)
    return keras.models.Model(img_input, x, name="discriminator")


def get_generator_model():
    noise = layers.Input(shape=(noise_dim,))
    x = layers.Dense(2 * 2 * 8, use_bias=False)(noise)
    x = layers.LeakyReLU(0.2)(x)
    x = layers.Reshape((2, 2, 8))(x)
    x = layers.UpSampling2D((2, 2))(x)
    x = layers.Conv2D(1, (3, 3), padding="same", activation="sigmoid")(x)
    return keras.models.Model(noise, x, name="generator")


class WGAN(keras.Model):
    def __init__(self, discriminator, generator, latent_dim, discriminator_extra_steps=3,
                 gp_weight=10.0):  # fmt: skip
        super().__init__()
        self.discriminator = discriminator
        self.generator = generator
        self.latent_dim = latent_dim
        self.d_steps = discriminator_extra_steps
        self.gp_weight = gp_weight

    def compile(self, d_optimizer, g_optimizer, d_loss_fn, g_loss_fn):
        super().compile()
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self.d_loss_fn = d_loss_fn
        self.g_loss_fn = g_loss_fn

    def gradient_penalty(self, batch_size, real_images, fake_images):
        alpha = tf.random.uniform([batch_size, 1, 1, 1], 0.0, 1.0)
        return gradient_penalty_of(self.discriminator, real_images, fake_images, alpha)

    def train_step(self, real_images):
        if isinstance(real_images, tuple):
            real_images = real_images[0]
        batch_size = tf.shape(real_images)[0]
        for i in range(self.d_steps):
            random_latent_vectors = tf.random.normal(shape=(batch_size, self.latent_dim))
            with tf.GradientTape() as tape:
                fake_images = self.generator(random_latent_vectors, training=True)
                fake_logits = self.discriminator(fake_images, training=True)
                real_logits = self.discriminator(real_images, training=True)
                d_cost = self.d_loss_fn(real_img=real_logits, fake_img=fake_logits)
                gp = self.gradient_penalty(batch_size, real_images, fake_images)
                d_loss = d_cost + gp * self.gp_weight
            d_gradient = tape.gradient(d_loss, self.discriminator.trainable_variables)
            self.d_optimizer.apply_gradients(
                zip(d_gradient, self.discriminator.trainable_variables)
            )
        random_latent_vectors = tf.random.normal(shape=(batch_size, self.latent_dim))
        with tf.GradientTape() as tape:
            generated_images = self.generator(random_latent_vectors, training=True)
            gen_img_logits = self.discriminator(generated_images, training=True)
            g_loss = self.g_loss_fn(gen_img_logits)
        gen_gradient = tape.gradient(g_loss, self.generator.trainable_variables)
        self.g_optimizer.apply_gradients(zip(gen_gradient, self.generator.trainable_variables))
        return {"d_loss": d_loss, "g_loss": g_loss}


def discriminator_loss(real_img, fake_img):
    return tf.reduce_mean(fake_img) - tf.reduce_mean(real_img)


def generator_loss(fake_img):
    return -tf.reduce_mean(fake_img)


# real images: bright (about 0.85) with noise; the generator starts near 0.5 (sigmoid)
train_images = np.clip(0.85 + 0.05 * rng.normal(size=(256, S, S, 1)), 0, 1).astype("float32")
g_model, d_model = get_generator_model(), get_discriminator_model()
probe = tf.random.stateless_normal((64, noise_dim), seed=[7, 8])
start_gap = abs(float(tf.reduce_mean(g_model(probe))) - 0.85)
wgan = WGAN(discriminator=d_model, generator=g_model, latent_dim=noise_dim)
wgan.compile(
    d_optimizer=keras.optimizers.Adam(learning_rate=0.002, beta_1=0.5, beta_2=0.9),
    g_optimizer=keras.optimizers.Adam(learning_rate=0.002, beta_1=0.5, beta_2=0.9),
    g_loss_fn=generator_loss,
    d_loss_fn=discriminator_loss,
)
history = wgan.fit(train_images, batch_size=32, epochs=10, verbose=0)
assert set(history.history) == {"d_loss", "g_loss"} and len(history.history["d_loss"]) == 10
assert all(np.isfinite(history.history["d_loss"]))
end_gap = abs(float(tf.reduce_mean(g_model(probe))) - 0.85)
print("intensity gap", start_gap, "->", end_gap)
assert start_gap > 0.2 and end_gap < 0.5 * start_gap, (start_gap, end_gap)
