# keras.io "DCGAN overriding train_step" with its GANMonitor callback, on 1-D toy data: a GAN
# keras.Model whose compile() takes d_optimizer / g_optimizer / loss_fn, Mean trackers in the
# `metrics` property, a callback warming up both optimizers' learning rates per batch, a
# generator optimizer on an ExponentialDecay schedule, a GANMonitor that samples from
# self.model.generator each epoch, and a custom test_step for evaluate(). Checked: batch logs
# are the trackers' running means (the last one equals the epoch's), the warm-up and the
# schedule give the expected rates, and the monitor sees the generator move.
import keras
import numpy as np
import tensorflow as tf
from keras import layers

keras.utils.set_random_seed(21)
rng = np.random.default_rng(21)
latent_dim, batch = 4, 16
real = (rng.normal(size=(128, 2)) * 0.3 + np.array([2.0, -1.0])).astype("float32")

discriminator = keras.Sequential(
    [keras.Input((2,)), layers.Dense(16), layers.LeakyReLU(negative_slope=0.2), layers.Dense(1)],
    name="discriminator",
)
generator = keras.Sequential(
    [keras.Input((latent_dim,)), layers.Dense(16, activation="relu"), layers.Dense(2)],
    name="generator",
)


class GAN(keras.Model):
    def __init__(self, discriminator, generator, latent_dim):
        super().__init__()
        self.discriminator = discriminator
        self.generator = generator
        self.latent_dim = latent_dim
        self.seed_generator = keras.random.SeedGenerator(1337)

    def compile(self, d_optimizer, g_optimizer, loss_fn):
        super().compile()
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self.loss_fn = loss_fn
        self.d_loss_metric = keras.metrics.Mean(name="d_loss")
        self.g_loss_metric = keras.metrics.Mean(name="g_loss")

    @property
    def metrics(self):
        return [self.d_loss_metric, self.g_loss_metric]

    def train_step(self, real_images):
        batch_size = tf.shape(real_images)[0]
        noise = keras.random.normal((batch_size, self.latent_dim), seed=self.seed_generator)
        generated = self.generator(noise)
        combined = tf.concat([generated, real_images], axis=0)
        labels = tf.concat([tf.ones((batch_size, 1)), tf.zeros((batch_size, 1))], axis=0)
        with tf.GradientTape() as tape:
            d_loss = self.loss_fn(labels, self.discriminator(combined))
        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))

        noise = keras.random.normal((batch_size, self.latent_dim), seed=self.seed_generator)
        misleading = tf.zeros((batch_size, 1))
        with tf.GradientTape() as tape:
            g_loss = self.loss_fn(misleading, self.discriminator(self.generator(noise)))
        grads = tape.gradient(g_loss, self.generator.trainable_weights)
        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))
        self.d_loss_metric.update_state(d_loss)
        self.g_loss_metric.update_state(g_loss)
        return {"d_loss": self.d_loss_metric.result(), "g_loss": self.g_loss_metric.result()}

    def test_step(self, real_images):
        batch_size = tf.shape(real_images)[0]
        noise = tf.random.normal((batch_size, self.latent_dim), seed=5)
        fake_scores = self.discriminator(self.generator(noise))
        d_loss = self.loss_fn(tf.zeros((batch_size, 1)), self.discriminator(real_images))
        self.d_loss_metric.update_state(d_loss)
        self.g_loss_metric.update_state(self.loss_fn(tf.zeros((batch_size, 1)), fake_scores))
        return {m.name: m.result() for m in self.metrics}


class WarmUp(keras.callbacks.Callback):
    """Linear warm-up of the discriminator's rate over the first `steps` batches."""

    def __init__(self, target, steps):
        super().__init__()
        self.target, self.steps, self.seen = target, steps, []

    def on_train_batch_begin(self, batch, logs=None):
        step = int(self.model.d_optimizer.iterations.numpy())
        rate = self.target * min(1.0, (step + 1) / self.steps)
        self.model.d_optimizer.learning_rate.assign(rate)
        self.seen.append(float(self.model.d_optimizer.learning_rate.numpy()))


class BatchLogs(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        self.batches, self.epochs = [], []

    def on_train_batch_end(self, batch, logs=None):
        self.batches.append((batch, float(logs["d_loss"]), float(logs["g_loss"])))

    def on_epoch_end(self, epoch, logs=None):
        self.epochs.append(dict(logs))


class GANMonitor(keras.callbacks.Callback):
    def __init__(self, num_samples=64, latent_dim=4):
        super().__init__()
        self.num_samples, self.latent_dim, self.means = num_samples, latent_dim, []

    def on_epoch_end(self, epoch, logs=None):
        latent = tf.random.normal(shape=(self.num_samples, self.latent_dim), seed=epoch)
        samples = self.model.generator(latent)
        self.means.append(tf.reduce_mean(samples, axis=0).numpy())


schedule = keras.optimizers.schedules.ExponentialDecay(
    initial_learning_rate=0.02, decay_steps=48, decay_rate=0.5
)
gan = GAN(discriminator, generator, latent_dim)
initial_mean = generator(tf.random.normal((64, latent_dim), seed=99)).numpy().mean(0)
gan.compile(
    d_optimizer=keras.optimizers.Adam(learning_rate=0.01),
    g_optimizer=keras.optimizers.Adam(learning_rate=schedule),
    loss_fn=keras.losses.BinaryCrossentropy(from_logits=True),
)
warm, logs_cb, monitor = WarmUp(0.01, steps=4), BatchLogs(), GANMonitor(latent_dim=latent_dim)
history = gan.fit(
    real, batch_size=batch, epochs=6, shuffle=True, verbose=0, callbacks=[warm, logs_cb, monitor]
)
steps = 128 // batch
assert set(history.history) == {"d_loss", "g_loss"}, history.history.keys()
assert len(logs_cb.batches) == 6 * steps
assert [b for b, _, _ in logs_cb.batches[:steps]] == list(range(steps))
# the last batch's logs are the epoch's (the trackers reset at each epoch start)
for epoch in range(6):
    _, d_last, g_last = logs_cb.batches[(epoch + 1) * steps - 1]
    np.testing.assert_allclose(history.history["d_loss"][epoch], d_last, rtol=1e-6)
    np.testing.assert_allclose(history.history["g_loss"][epoch], g_last, rtol=1e-6)
    np.testing.assert_allclose(logs_cb.epochs[epoch]["d_loss"], d_last, rtol=1e-6)

np.testing.assert_allclose(warm.seen[:5], [0.0025, 0.005, 0.0075, 0.01, 0.01], rtol=1e-6)
assert int(gan.d_optimizer.iterations.numpy()) == int(gan.g_optimizer.iterations.numpy()) == 48
# the generator optimizer's rate follows its schedule: 0.01 * 0.5 ** (48 / 8)
np.testing.assert_allclose(float(gan.g_optimizer.learning_rate), 0.02 * 0.5 ** (48 / 48), rtol=1e-5)
np.testing.assert_allclose(float(schedule(24)), 0.02 * 0.5**0.5, rtol=1e-6)

# the monitor saw a generator that the updates keep moving (GAN dynamics oscillate, so no
# quality goal here; the topic is the callbacks)
assert len(monitor.means) == 6
assert np.all(np.isfinite(np.array(monitor.means)))
assert np.abs(monitor.means[-1] - initial_mean).sum() > 0.1

result = gan.evaluate(real, batch_size=32, verbose=0, return_dict=True)
assert set(result) == {"d_loss", "g_loss"} and all(np.isfinite(v) for v in result.values())
print("ok")
