"""Making new layers and models via subclassing, Keras 3 style: weights with add_weight,
computation with keras.ops, lazy build, nested layers, add_loss, a training flag with a
seeded dropout, serialization, and an end-to-end model trained with fit."""

import keras
import numpy as np
from keras import layers, ops

keras.utils.set_random_seed(1)


class Linear(keras.layers.Layer):
    def __init__(self, units=32, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(
            shape=(input_shape[-1], self.units), initializer="random_normal", trainable=True
        )
        self.b = self.add_weight(shape=(self.units,), initializer="zeros", trainable=True)

    def call(self, inputs):
        return ops.matmul(inputs, self.w) + self.b

    def get_config(self):
        config = super().get_config()
        config.update({"units": self.units})
        return config


x = ops.ones((2, 2))
linear_layer = Linear(4)
y = linear_layer(x)
assert ops.shape(y) == (2, 4)
assert len(linear_layer.weights) == 2 and len(linear_layer.trainable_weights) == 2
np.testing.assert_allclose(
    ops.convert_to_numpy(y),
    np.ones((2, 2)) @ linear_layer.w.numpy() + linear_layer.b.numpy(),
    rtol=1e-6,
)


class ComputeSum(keras.layers.Layer):
    def __init__(self, input_dim):
        super().__init__()
        self.total = self.add_weight(initializer="zeros", shape=(input_dim,), trainable=False)

    def call(self, inputs):
        self.total.assign_add(ops.sum(inputs, axis=0))
        return self.total


my_sum = ComputeSum(2)
my_sum(ops.ones((2, 2)))
total = my_sum(ops.ones((2, 2)))
np.testing.assert_allclose(ops.convert_to_numpy(total), [4.0, 4.0])
assert len(my_sum.weights) == 1 and len(my_sum.non_trainable_weights) == 1
assert my_sum.trainable_weights == []


class MLPBlock(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.linear_1 = Linear(32)
        self.linear_2 = Linear(32)
        self.linear_3 = Linear(1)

    def call(self, inputs):
        x = self.linear_1(inputs)
        x = keras.activations.relu(x)
        x = self.linear_2(x)
        x = keras.activations.relu(x)
        return self.linear_3(x)


mlp = MLPBlock()
y = mlp(ops.ones(shape=(3, 64)))
assert ops.shape(y) == (3, 1)
assert len(mlp.weights) == 6 and len(mlp.trainable_weights) == 6


class ActivityRegularizationLayer(keras.layers.Layer):
    def __init__(self, rate=1e-2):
        super().__init__()
        self.rate = rate

    def call(self, inputs):
        self.add_loss(self.rate * ops.mean(inputs))
        return inputs


class OuterLayer(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.activity_reg = ActivityRegularizationLayer(1e-2)

    def call(self, inputs):
        return self.activity_reg(inputs)


outer = OuterLayer()
_ = outer(ops.zeros((1, 1)))
assert len(outer.losses) == 1 and float(outer.losses[0]) == 0.0
_ = outer(ops.full((2, 2), 3.0))
assert len(outer.losses) == 1
np.testing.assert_allclose(float(outer.losses[0]), 0.03, rtol=1e-6)


class CustomDropout(keras.layers.Layer):
    def __init__(self, rate, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate
        self.seed_generator = keras.random.SeedGenerator(1337)

    def call(self, inputs, training=None):
        if training:
            return keras.random.dropout(inputs, rate=self.rate, seed=self.seed_generator)
        return inputs


drop = CustomDropout(0.5)
data = ops.ones((200, 10))
np.testing.assert_allclose(ops.convert_to_numpy(drop(data)), np.ones((200, 10)))
first = ops.convert_to_numpy(drop(data, training=True))
second = ops.convert_to_numpy(drop(data, training=True))
assert set(np.unique(first).tolist()) == {0.0, 2.0}
assert 0.4 < (first == 0).mean() < 0.6
assert not np.array_equal(first, second)  # the seed generator advances on every call

config = Linear(64).get_config()
new_layer = Linear.from_config(config)
assert new_layer.units == 64 and config["units"] == 64


class Sampling(layers.Layer):
    """Uses (z_mean, z_log_var) to sample z, the vector encoding a digit."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(1337)

    def call(self, inputs):
        z_mean, z_log_var = inputs
        batch = ops.shape(z_mean)[0]
        dim = ops.shape(z_mean)[1]
        epsilon = keras.random.normal(shape=(batch, dim), seed=self.seed_generator)
        return z_mean + ops.exp(0.5 * z_log_var) * epsilon


class Encoder(layers.Layer):
    def __init__(self, latent_dim=4, intermediate_dim=16, name="encoder", **kwargs):
        super().__init__(name=name, **kwargs)
        self.dense_proj = layers.Dense(intermediate_dim, activation="relu")
        self.dense_mean = layers.Dense(latent_dim)
        self.dense_log_var = layers.Dense(latent_dim)
        self.sampling = Sampling()

    def call(self, inputs):
        x = self.dense_proj(inputs)
        z_mean = self.dense_mean(x)
        z_log_var = self.dense_log_var(x)
        z = self.sampling((z_mean, z_log_var))
        return z_mean, z_log_var, z


class Decoder(layers.Layer):
    def __init__(self, original_dim, intermediate_dim=16, name="decoder", **kwargs):
        super().__init__(name=name, **kwargs)
        self.dense_proj = layers.Dense(intermediate_dim, activation="relu")
        self.dense_output = layers.Dense(original_dim, activation="sigmoid")

    def call(self, inputs):
        return self.dense_output(self.dense_proj(inputs))


class VariationalAutoEncoder(keras.Model):
    def __init__(self, original_dim, intermediate_dim=16, latent_dim=4, **kwargs):
        super().__init__(**kwargs)
        self.original_dim = original_dim
        self.encoder = Encoder(latent_dim=latent_dim, intermediate_dim=intermediate_dim)
        self.decoder = Decoder(original_dim, intermediate_dim=intermediate_dim)

    def call(self, inputs):
        z_mean, z_log_var, z = self.encoder(inputs)
        reconstructed = self.decoder(z)
        kl_loss = -0.5 * ops.mean(z_log_var - ops.square(z_mean) - ops.exp(z_log_var) + 1)
        self.add_loss(kl_loss)
        return reconstructed


rng = np.random.default_rng(0)
x_train = (rng.random((256, 20)) > 0.5).astype("float32")
vae = VariationalAutoEncoder(20, 16, 4)
vae.compile(keras.optimizers.Adam(learning_rate=3e-3), loss=keras.losses.BinaryCrossentropy())
history = vae.fit(x_train, x_train, epochs=6, batch_size=32, verbose=0)
losses = history.history["loss"]
assert len(losses) == 6 and losses[-1] < losses[0], losses
print("keras3_subclassing_layers: ok", [round(v, 4) for v in losses])
