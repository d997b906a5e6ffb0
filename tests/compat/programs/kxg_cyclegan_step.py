# keras.io "CycleGAN", on 2-D points: a keras.Model holding two generators and two
# discriminators, compile() overridden to take four optimizers and three loss functions,
# train_step with one persistent GradientTape for the adversarial, cycle-consistency and
# identity losses of all four networks, and a zipped tf.data.Dataset of the two unpaired
# domains. Checked: the cycle loss as written by hand, the persistent tape's gradients
# equal separate tapes', every optimizer steps once per batch, and training lowers the
# cycle-consistency loss.
import keras
import numpy as np
import tensorflow as tf
from keras import layers

keras.utils.set_random_seed(31)
rng = np.random.default_rng(31)
domain_x = (rng.normal(size=(64, 2)) * 0.2 + [1.0, 0.0]).astype("float32")
domain_y = (rng.normal(size=(64, 2)) * 0.2 + [-1.0, 2.0]).astype("float32")


def mlp(name, out):
    return keras.Sequential(
        [keras.Input((2,)), layers.Dense(16, activation="relu"), layers.Dense(out)], name=name
    )


adv_loss_fn = keras.losses.MeanSquaredError()


def generator_loss_fn(fake):
    return adv_loss_fn(tf.ones_like(fake), fake)


def discriminator_loss_fn(real, fake):
    real_loss = adv_loss_fn(tf.ones_like(real), real)
    fake_loss = adv_loss_fn(tf.zeros_like(fake), fake)
    return (real_loss + fake_loss) * 0.5


class CycleGan(keras.Model):
    def __init__(
        self,
        generator_G,
        generator_F,
        discriminator_X,
        discriminator_Y,
        lambda_cycle=10.0,
        lambda_identity=0.5,
    ):
        super().__init__()
        self.gen_G, self.gen_F = generator_G, generator_F
        self.disc_X, self.disc_Y = discriminator_X, discriminator_Y
        self.lambda_cycle, self.lambda_identity = lambda_cycle, lambda_identity

    def call(self, inputs):
        return self.gen_G(inputs), self.gen_F(inputs)

    def compile(
        self,
        gen_G_optimizer,
        gen_F_optimizer,
        disc_X_optimizer,
        disc_Y_optimizer,
        gen_loss_fn,
        disc_loss_fn,
    ):
        super().compile()
        self.gen_G_optimizer, self.gen_F_optimizer = gen_G_optimizer, gen_F_optimizer
        self.disc_X_optimizer, self.disc_Y_optimizer = disc_X_optimizer, disc_Y_optimizer
        self.generator_loss_fn, self.discriminator_loss_fn = gen_loss_fn, disc_loss_fn
        self.cycle_loss_fn = keras.losses.MeanAbsoluteError()
        self.identity_loss_fn = keras.losses.MeanAbsoluteError()

    def losses_of(self, real_x, real_y):
        fake_y = self.gen_G(real_x, training=True)
        fake_x = self.gen_F(real_y, training=True)
        cycled_x = self.gen_F(fake_y, training=True)
        cycled_y = self.gen_G(fake_x, training=True)
        same_x = self.gen_F(real_x, training=True)
        same_y = self.gen_G(real_y, training=True)
        disc_real_x = self.disc_X(real_x, training=True)
        disc_fake_x = self.disc_X(fake_x, training=True)
        disc_real_y = self.disc_Y(real_y, training=True)
        disc_fake_y = self.disc_Y(fake_y, training=True)
        gen_G_loss = self.generator_loss_fn(disc_fake_y)
        gen_F_loss = self.generator_loss_fn(disc_fake_x)
        cycle_loss_G = self.cycle_loss_fn(real_y, cycled_y) * self.lambda_cycle
        cycle_loss_F = self.cycle_loss_fn(real_x, cycled_x) * self.lambda_cycle
        id_loss_G = self.identity_loss_fn(real_y, same_y) * self.lambda_cycle * self.lambda_identity
        id_loss_F = self.identity_loss_fn(real_x, same_x) * self.lambda_cycle * self.lambda_identity
        total_loss_G = gen_G_loss + cycle_loss_G + id_loss_G
        total_loss_F = gen_F_loss + cycle_loss_F + id_loss_F
        disc_X_loss = self.discriminator_loss_fn(disc_real_x, disc_fake_x)
        disc_Y_loss = self.discriminator_loss_fn(disc_real_y, disc_fake_y)
        return total_loss_G, total_loss_F, disc_X_loss, disc_Y_loss, cycle_loss_G, cycle_loss_F

    def train_step(self, batch_data):
        real_x, real_y = batch_data
        with tf.GradientTape(persistent=True) as tape:
            total_G, total_F, disc_X_loss, disc_Y_loss, cyc_G, cyc_F = self.losses_of(
                real_x, real_y
            )
        pairs = [
            (total_G, self.gen_G, self.gen_G_optimizer),
            (total_F, self.gen_F, self.gen_F_optimizer),
            (disc_X_loss, self.disc_X, self.disc_X_optimizer),
            (disc_Y_loss, self.disc_Y, self.disc_Y_optimizer),
        ]
        for loss, net, opt in pairs:
            grads = tape.gradient(loss, net.trainable_variables)
            opt.apply_gradients(zip(grads, net.trainable_variables))
        del tape
        return {
            "G_loss": total_G,
            "F_loss": total_F,
            "D_X_loss": disc_X_loss,
            "D_Y_loss": disc_Y_loss,
            "cycle_loss": cyc_G + cyc_F,
        }


gan = CycleGan(mlp("G", 2), mlp("F", 2), mlp("DX", 1), mlp("DY", 1))
gan.compile(
    *[keras.optimizers.Adam(learning_rate=0.01, beta_1=0.5) for _ in range(4)],
    gen_loss_fn=generator_loss_fn,
    disc_loss_fn=discriminator_loss_fn,
)
x0, y0 = tf.constant(domain_x[:8]), tf.constant(domain_y[:8])

# the cycle loss as the example writes it: lambda * mean |y - G(F(y))|
cycled = gan.gen_G(gan.gen_F(y0)).numpy()
losses = gan.losses_of(x0, y0)
np.testing.assert_allclose(float(losses[4]), 10.0 * np.abs(domain_y[:8] - cycled).mean(), rtol=1e-5)
np.testing.assert_allclose(
    float(discriminator_loss_fn(tf.ones((3, 1)), tf.zeros((3, 1)))), 0.0, atol=1e-7
)

# a persistent tape gives each network the gradients separate tapes give it
with tf.GradientTape(persistent=True) as tape:
    total_G, total_F, dx, dy, _, _ = gan.losses_of(x0, y0)
g_persistent = tape.gradient(total_G, gan.gen_G.trainable_variables)
d_persistent = tape.gradient(dy, gan.disc_Y.trainable_variables)
del tape
with tf.GradientTape() as tape:
    total_G = gan.losses_of(x0, y0)[0]
g_single = tape.gradient(total_G, gan.gen_G.trainable_variables)
with tf.GradientTape() as tape:
    dy = gan.losses_of(x0, y0)[3]
d_single = tape.gradient(dy, gan.disc_Y.trainable_variables)
for a, b in zip(g_persistent + d_persistent, g_single + d_single):
    np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-6)

# fit on the zipped, unpaired domains
dataset = tf.data.Dataset.zip(
    (
        tf.data.Dataset.from_tensor_slices(domain_x).shuffle(64, seed=1).batch(16),
        tf.data.Dataset.from_tensor_slices(domain_y).shuffle(64, seed=2).batch(16),
    )
)
first = float(gan.losses_of(tf.constant(domain_x), tf.constant(domain_y))[4]) + float(
    gan.losses_of(tf.constant(domain_x), tf.constant(domain_y))[5]
)
history = gan.fit(dataset, epochs=15, verbose=0)
assert set(history.history) == {"G_loss", "F_loss", "D_X_loss", "D_Y_loss", "cycle_loss"}
for opt in (gan.gen_G_optimizer, gan.gen_F_optimizer, gan.disc_X_optimizer, gan.disc_Y_optimizer):
    assert int(opt.iterations.numpy()) == 15 * 4
losses = gan.losses_of(tf.constant(domain_x), tf.constant(domain_y))
last = float(losses[4]) + float(losses[5])
assert last < 0.5 * first, (first, last)
assert all(np.isfinite(float(v)) for v in losses)
# the generators' outputs through call()
g_out, f_out = gan(tf.constant(domain_x[:4]))
assert g_out.shape == f_out.shape == (4, 2)
print("ok")
