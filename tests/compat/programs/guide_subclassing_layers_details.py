"""Making new layers and models via subclassing: weights, nesting, losses, training flag."""

import keras
import numpy as np
from keras import ops

keras.utils.set_random_seed(7)


class Linear(keras.layers.Layer):
    def __init__(self, units=32, input_dim=32):
        super().__init__()
        self.w = self.add_weight(
            shape=(input_dim, units), initializer="random_normal", trainable=True
        )
        self.b = self.add_weight(shape=(units,), initializer="zeros", trainable=True)

    def call(self, inputs):
        return ops.matmul(inputs, self.w) + self.b


x = ops.ones((2, 2))
linear_layer = Linear(4, 2)
assert len(linear_layer.weights) == 2  # made in __init__, before any call
y = linear_layer(x)
assert tuple(y.shape) == (2, 4)
assert linear_layer.weights == [linear_layer.w, linear_layer.b]
np.testing.assert_allclose(y, np.ones((2, 2)) @ linear_layer.w.numpy(), rtol=1e-6)


class ComputeSum(keras.layers.Layer):
    def __init__(self, input_dim):
        super().__init__()
        self.total = self.add_weight(initializer="zeros", shape=(input_dim,), trainable=False)

    def call(self, inputs):
        self.total.assign_add(ops.sum(inputs, axis=0))
        return self.total


my_sum = ComputeSum(2)
my_sum(x)
y = my_sum(x)
np.testing.assert_allclose(y, [4.0, 4.0])
assert len(my_sum.weights) == 1
assert len(my_sum.non_trainable_weights) == 1
assert my_sum.trainable_weights == []


# Deferred weight creation in build().
class LazyLinear(keras.layers.Layer):
    def __init__(self, units=32):
        super().__init__()
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(
            shape=(input_shape[-1], self.units), initializer="random_normal", trainable=True
        )
        self.b = self.add_weight(shape=(self.units,), initializer="random_normal")

    def call(self, inputs):
        return ops.matmul(inputs, self.w) + self.b


lazy = LazyLinear(3)
assert not lazy.built and lazy.weights == []
lazy(ops.ones((5, 7)))
assert lazy.built and tuple(lazy.w.shape) == (7, 3)


# Layers are recursively composable; lists of layers are tracked too.
class MLPBlock(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.linear_1 = LazyLinear(32)
        self.hidden = [LazyLinear(16), LazyLinear(8)]
        self.linear_3 = LazyLinear(1)

    def call(self, inputs):
        x = keras.activations.relu(self.linear_1(inputs))
        for layer in self.hidden:
            x = keras.activations.relu(layer(x))
        return self.linear_3(x)


mlp = MLPBlock()
y = mlp(ops.ones(shape=(3, 64)))
assert len(mlp.weights) == 8
assert len(mlp.trainable_weights) == 8


# add_loss in nested layers: the outer layer collects them, reset on each top-level call.
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


layer = OuterLayer()
assert len(layer.losses) == 0
_ = layer(ops.zeros((1, 1)))
assert len(layer.losses) == 1
_ = layer(ops.ones((1, 1)))
assert len(layer.losses) == 1  # reset at the start of every __call__
np.testing.assert_allclose(float(layer.losses[0]), 0.01, rtol=1e-6)


# Kernel regularizers of inner layers appear in losses.
class OuterLayerWithKernelRegularizer(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(
            32, kernel_regularizer=keras.regularizers.l2(1e-3), kernel_initializer="ones"
        )

    def call(self, inputs):
        return self.dense(inputs)


layer = OuterLayerWithKernelRegularizer()
_ = layer(ops.zeros((1, 1)))
assert len(layer.losses) == 1
np.testing.assert_allclose(float(layer.losses[0]), 1e-3 * 32, rtol=1e-5)


# These losses are added to the main loss by fit().
inputs = keras.Input(shape=(3,))
outputs = ActivityRegularizationLayer(rate=1.0)(inputs)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="mse")
data = np.full((4, 3), 2.0, "float32")
mse_only = model.evaluate(data, data, verbose=0)
np.testing.assert_allclose(mse_only, 2.0, rtol=1e-6)  # 0 mse + mean(inputs) * 1.0
model.compile(optimizer="adam")  # no loss: the added loss alone is minimized
hist = model.fit(data, data, epochs=1, verbose=0)
np.testing.assert_allclose(hist.history["loss"][0], 2.0, rtol=1e-6)


# The training argument reaches call() and nested layers.
class CustomDropout(keras.layers.Layer):
    def __init__(self, rate, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate
        self.seed_generator = keras.random.SeedGenerator(1337)

    def call(self, inputs, training=None):
        if training:
            return keras.random.dropout(inputs, rate=self.rate, seed=self.seed_generator)
        return inputs


class Wrapper(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.drop = CustomDropout(0.5)

    def call(self, inputs):  # no training argument: the flag still reaches drop
        return self.drop(inputs)


w = Wrapper()
ones = ops.ones((10, 100))
np.testing.assert_array_equal(w(ones), ones)
dropped = ops.convert_to_numpy(w(ones, training=True))
assert (dropped == 0).any() and set(np.unique(dropped)) <= {0.0, 2.0}
assert (ops.convert_to_numpy(w(ones, training=False)) == 1).all()


# get_config / from_config of a custom layer.
@keras.saving.register_keras_serializable(package="MyLayers")
class Scaled(keras.layers.Layer):
    def __init__(self, units=32, scale=1.0, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.scale = scale

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="ones")

    def call(self, inputs):
        return self.scale * ops.matmul(inputs, self.w)

    def get_config(self):
        config = super().get_config()
        config.update({"units": self.units, "scale": self.scale})
        return config


layer = Scaled(4, scale=0.5, name="scaled")
config = layer.get_config()
assert config["units"] == 4 and config["scale"] == 0.5 and config["name"] == "scaled"
assert config["trainable"] is True
new_layer = Scaled.from_config(config)
assert new_layer.units == 4 and new_layer.name == "scaled"
assert keras.saving.get_registered_name(Scaled) == "MyLayers>Scaled"
assert keras.saving.get_registered_object("MyLayers>Scaled") is Scaled
ser = keras.saving.serialize_keras_object(layer)
assert ser["registered_name"] == "MyLayers>Scaled", ser
again = keras.saving.deserialize_keras_object(ser)
assert isinstance(again, Scaled) and again.scale == 0.5

print("guide_subclassing_layers_details: OK")
