"""Keras guide "Customizing what happens in fit()": train_step with compute_loss and the
compiled metrics, loss trackers in a metrics property, sample weights, test_step,
predict_step, and a small GAN whose compile() is overridden."""

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

rng = np.random.RandomState(0)
x = rng.random((256, 16)).astype("float32")
w_true = rng.random((16, 1)).astype("float32")
y = x @ w_true


class CustomModel(keras.Model):
    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(y=y, y_pred=y_pred)
        trainable_vars = self.trainable_variables
        gradients = tape.gradient(loss, trainable_vars)
        self.optimizer.apply(gradients, trainable_vars)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}


def dense_model(cls):
    keras.utils.set_random_seed(5)
    inputs = keras.Input(shape=(16,))
    outputs = keras.layers.Dense(1)(inputs)
    return cls(inputs, outputs)


model = dense_model(CustomModel)
model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse", metrics=["mae"])
h = model.fit(x, y, batch_size=64, epochs=5, verbose=0)
assert set(h.history) == {"loss", "mae"}, h.history.keys()
assert h.history["loss"][-1] < 0.5 * h.history["loss"][0], h.history["loss"]
# the same model trained by the built-in train_step gives the same history
plain = dense_model(keras.Model)
plain.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse", metrics=["mae"])
h_plain = plain.fit(x, y, batch_size=64, epochs=5, verbose=0, shuffle=False)
model = dense_model(CustomModel)
model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse", metrics=["mae"])
h = model.fit(x, y, batch_size=64, epochs=5, verbose=0, shuffle=False)
np.testing.assert_allclose(h.history["loss"], h_plain.history["loss"], rtol=1e-4)
np.testing.assert_allclose(h.history["mae"], h_plain.history["mae"], rtol=1e-4)


class TrackerModel(keras.Model):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self.mae_metric = keras.metrics.MeanAbsoluteError(name="mae")
        self.loss_fn = keras.losses.MeanSquaredError()

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.loss_fn(y, y_pred)
        gradients = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))
        self.loss_tracker.update_state(loss)
        self.mae_metric.update_state(y, y_pred)
        return {"loss": self.loss_tracker.result(), "mae": self.mae_metric.result()}

    @property
    def metrics(self):
        return [self.loss_tracker, self.mae_metric]


model = dense_model(TrackerModel)
model.compile(optimizer=keras.optimizers.Adam(0.05))
h = model.fit(x, y, batch_size=64, epochs=5, verbose=0, shuffle=False)
# the trackers are reset each epoch, so the history matches the compiled version
np.testing.assert_allclose(h.history["loss"], h_plain.history["loss"], rtol=1e-4)
assert [m.name for m in model.metrics] == ["loss", "mae"]


class WeightedModel(keras.Model):
    def train_step(self, data):
        if len(data) == 3:
            x, y, sample_weight = data
        else:
            sample_weight = None
            x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(y=y, y_pred=y_pred, sample_weight=sample_weight)
        gradients = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply(gradients, self.trainable_variables)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred, sample_weight=sample_weight)
        return {m.name: m.result() for m in self.metrics}

    def test_step(self, data):
        x, y = data
        y_pred = self(x, training=False)
        loss = self.compute_loss(y=y, y_pred=y_pred)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}

    def predict_step(self, data):
        x = data[0] if isinstance(data, tuple) else data
        return {"value": self(x, training=False), "doubled": 2.0 * self(x, training=False)}


sample_weight = np.where(np.arange(256) < 128, 1.0, 0.0)
weighted = dense_model(WeightedModel)
weighted.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse", metrics=["mae"])
h_w = weighted.fit(x, y, sample_weight=sample_weight, batch_size=256, epochs=3, verbose=0)
# zero weights: the same as training on the first half only (with the first half's batch)
half = dense_model(WeightedModel)
half.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse", metrics=["mae"])
h_half = half.fit(x[:128], y[:128], batch_size=128, epochs=3, verbose=0)
for a, b in zip(weighted.get_weights(), half.get_weights()):
    np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)
# sum_over_batch_size: the weighted loss divides by all 256 samples, half of them weightless
np.testing.assert_allclose(2 * h_w.history["loss"][0], h_half.history["loss"][0], rtol=1e-5)
ev = weighted.evaluate(x, y, batch_size=64, verbose=0, return_dict=True)
pred = weighted.predict(x, batch_size=64, verbose=0)
assert sorted(pred) == ["doubled", "value"] and pred["value"].shape == (256, 1)
np.testing.assert_allclose(pred["doubled"], 2 * pred["value"], rtol=1e-6)
np.testing.assert_allclose(ev["loss"], np.mean((pred["value"] - y) ** 2), rtol=1e-4)
np.testing.assert_allclose(ev["mae"], np.mean(np.abs(pred["value"] - y)), rtol=1e-4)

# A small GAN: compile() overridden, two optimizers, its own metrics
latent_dim = 4
discriminator = keras.Sequential(
    [
        keras.Input(shape=(2,)),
        layers.Dense(16),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Dense(1),
    ],
    name="discriminator",
)
generator = keras.Sequential(
    [
        keras.Input(shape=(latent_dim,)),
        layers.Dense(16),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Dense(2),
    ],
    name="generator",
)


class GAN(keras.Model):
    def __init__(self, discriminator, generator, latent_dim):
        super().__init__()
        self.discriminator = discriminator
        self.generator = generator
        self.latent_dim = latent_dim
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.seed_generator = keras.random.SeedGenerator(1337)

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker]

    def compile(self, d_optimizer, g_optimizer, loss_fn):
        super().compile()
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self.loss_fn = loss_fn

    def train_step(self, real_points):
        if isinstance(real_points, tuple):
            real_points = real_points[0]
        batch_size = tf.shape(real_points)[0]
        noise = keras.random.normal(shape=(batch_size, self.latent_dim), seed=self.seed_generator)
        generated = self.generator(noise)
        combined = tf.concat([generated, real_points], axis=0)
        labels = tf.concat([tf.ones((batch_size, 1)), tf.zeros((batch_size, 1))], axis=0)
        labels += 0.05 * keras.random.uniform(tf.shape(labels), seed=self.seed_generator)
        with tf.GradientTape() as tape:
            d_loss = self.loss_fn(labels, self.discriminator(combined))
        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))
        noise = keras.random.normal(shape=(batch_size, self.latent_dim), seed=self.seed_generator)
        misleading_labels = tf.zeros((batch_size, 1))
        with tf.GradientTape() as tape:
            g_loss = self.loss_fn(misleading_labels, self.discriminator(self.generator(noise)))
        grads = tape.gradient(g_loss, self.generator.trainable_weights)
        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))
        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        return {"d_loss": self.d_loss_tracker.result(), "g_loss": self.g_loss_tracker.result()}


real = (rng.normal(size=(128, 2)) * 0.1 + [1.0, -1.0]).astype("float32")
dataset = tf.data.Dataset.from_tensor_slices(real).shuffle(128).batch(32)
gan = GAN(discriminator=discriminator, generator=generator, latent_dim=latent_dim)
gan.compile(
    d_optimizer=keras.optimizers.Adam(learning_rate=0.003),
    g_optimizer=keras.optimizers.Adam(learning_rate=0.003),
    loss_fn=keras.losses.BinaryCrossentropy(from_logits=True),
)
g_before = [w.copy() for w in generator.get_weights()]
d_before = [w.copy() for w in discriminator.get_weights()]
h = gan.fit(dataset, epochs=2, verbose=0)
assert set(h.history) == {"d_loss", "g_loss"} and len(h.history["d_loss"]) == 2
assert all(np.isfinite(v) and v > 0 for v in h.history["d_loss"] + h.history["g_loss"])
assert int(gan.d_optimizer.iterations.numpy()) == 8 and int(gan.g_optimizer.iterations.numpy()) == 8
assert all(not np.allclose(a, b) for a, b in zip(g_before, generator.get_weights()))
assert all(not np.allclose(a, b) for a, b in zip(d_before, discriminator.get_weights()))
print("guide_keras_customize_fit OK")
