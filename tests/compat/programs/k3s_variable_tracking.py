"""Keras 3 variable semantics a TF user meets when porting tf.keras 2 code: layer weights are
keras.Variable objects (dtype given as a string), a plain tf.Variable stored on a layer is
not one of its weights and is not trained by fit (a checkpoint still holds it), a kernel two
layers share is listed and trained once, an optimizer refuses variables it was not built
with, overwrite_with_gradient, and the static batch size of a drop_remainder dataset."""

import os
import tempfile

import keras
import numpy as np
import tensorflow as tf

# -- add_weight gives keras.Variable objects; tf.Variable is something else -----------------
dense = keras.layers.Dense(3, name="proj")
dense.build((None, 4))
assert isinstance(dense.kernel, keras.Variable)
assert not isinstance(tf.Variable(0.0), keras.Variable)
assert dense.kernel.dtype == "float32" and isinstance(dense.kernel.dtype, str)
assert tf.Variable(0.0).dtype == tf.float32 and not isinstance(tf.Variable(0.0).dtype, str)
assert dense.kernel.path == "proj/kernel" and dense.kernel.name == "kernel"
assert [w.path for w in dense.weights] == ["proj/kernel", "proj/bias"]


# -- a layer holding plain tf.Variables -------------------------------------------------------
class Gate(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.bias_tf = tf.Variable(np.full((2,), 0.5, "float32"), name="bias_tf")
        self.extra = [tf.Variable(2.0, name="extra")]
        self.offset = keras.Variable(np.zeros(2, "float32"), name="offset")

    def build(self, input_shape):
        self.scale = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="scale")

    def call(self, x):
        return x * self.scale + self.bias_tf + self.offset


gate = Gate(name="gate")
inputs = keras.Input((2,))
model = keras.Model(inputs, gate(inputs))
assert sorted(w.name for w in gate.weights) == ["offset", "scale"], gate.weights
assert sorted(w.name for w in model.trainable_variables) == ["offset", "scale"]
assert model.count_params() == 4 and len(model.get_weights()) == 2

model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse", metrics=["mae"])
x = np.ones((8, 2), "float32")
model.fit(x, np.zeros((8, 2), "float32"), batch_size=4, epochs=2, verbose=0)
assert [v.path for v in model.metrics_variables] == [
    "loss/total",
    "loss/count",
    "mean_absolute_error/total",
    "mean_absolute_error/count",
], model.metrics_variables
np.testing.assert_array_equal(gate.bias_tf.numpy(), [0.5, 0.5])  # left alone by fit
assert not np.allclose(gate.scale.numpy(), 1.0)  # the Keras weights did train

with tf.GradientTape() as tape:  # a tape still sees it
    total = tf.reduce_sum(gate(x))
np.testing.assert_allclose(tape.gradient(total, gate.bias_tf).numpy(), [8.0, 8.0])

folder = tempfile.mkdtemp()
saved = tf.train.Checkpoint(gate=gate).save(os.path.join(folder, "ckpt"))
keys = {name for name, _ in tf.train.list_variables(saved)}
assert "gate/bias_tf/.ATTRIBUTES/VARIABLE_VALUE" in keys, keys
assert "gate/scale/.ATTRIBUTES/VARIABLE_VALUE" in keys, keys
gate.bias_tf.assign([9.0, 9.0])
tf.train.Checkpoint(gate=gate).restore(saved)
np.testing.assert_array_equal(gate.bias_tf.numpy(), [0.5, 0.5])


# -- weights come in tracking order: trainable ones first, a later freeze keeps the place ------
class Mixed(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.shift = keras.Variable(np.full(2, 3.0, "float32"), name="shift")
        self.seen = keras.Variable(np.zeros(2, "float32"), name="seen", trainable=False)

    def build(self, input_shape):
        self.w = self.add_weight(shape=(2,), initializer="ones", name="w")
        self.stat = self.add_weight(shape=(2,), initializer="zeros", name="stat", trainable=False)

    def call(self, x):
        return x * self.w + self.shift


mixed = Mixed()
mixed.build((None, 2))
assert [w.name for w in mixed.weights] == ["shift", "w", "seen", "stat"], mixed.weights
np.testing.assert_array_equal(mixed.get_weights()[0], [3.0, 3.0])
mixed.w.trainable = False
assert [w.name for w in mixed.weights] == ["shift", "w", "seen", "stat"]
assert [w.name for w in mixed.trainable_weights] == ["shift"]


# -- a kernel shared by two layers of a Sequential -------------------------------------------
class TransposedDense(keras.layers.Layer):
    def __init__(self, source, **kwargs):
        super().__init__(**kwargs)
        self.source = source

    def call(self, x):
        return tf.matmul(x, self.source.kernel, transpose_b=True)


encoder = keras.layers.Dense(2, use_bias=False, kernel_initializer="ones", name="enc")
autoencoder = keras.Sequential([keras.Input((3,)), encoder, TransposedDense(encoder)])
assert len(autoencoder.weights) == 1 and autoencoder.weights[0] is encoder.kernel
assert autoencoder.weights[0].path.endswith("enc/kernel")
assert len(autoencoder.trainable_weights) == 1 and autoencoder.count_params() == 6
sgd = keras.optimizers.SGD(0.01)
batch = np.ones((2, 3), "float32")
with tf.GradientTape() as tape:
    loss = tf.reduce_mean(tf.square(autoencoder(batch)))
grads = tape.gradient(loss, autoencoder.trainable_weights)
sgd.apply_gradients(zip(grads, autoencoder.trainable_weights))
np.testing.assert_allclose(encoder.kernel.numpy(), 1.0 - 0.01 * grads[0].numpy(), rtol=1e-6)

# -- an optimizer belongs to the variables it was built with ---------------------------------
first = keras.Variable(np.ones(2, "float32"), name="first")
second = keras.Variable(np.ones(3, "float32"), name="second")
adam = keras.optimizers.Adam(0.1)
adam.apply_gradients([(tf.ones(2), first)])
try:
    adam.apply_gradients([(tf.ones(3), second)])
    raise AssertionError("expected ValueError for a variable the optimizer was not built with")
except ValueError as error:
    assert "Unknown variable" in str(error), error
np.testing.assert_array_equal(second.numpy(), [1.0, 1.0, 1.0])
both = keras.optimizers.SGD(0.25)
both.build([first, second])
both.apply_gradients([(tf.ones(3), second)])
np.testing.assert_allclose(second.numpy(), [0.75, 0.75, 0.75])


# -- overwrite_with_gradient -----------------------------------------------------------------
class WithStat(keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(shape=(2,), initializer="ones", name="w")
        self.stat = self.add_weight(
            shape=(2,), initializer="zeros", name="stat", overwrite_with_gradient=True
        )


holder = WithStat()
holder.build((None, 2))
assert holder.stat.overwrite_with_gradient and not holder.w.overwrite_with_gradient
sgd2 = keras.optimizers.SGD(0.5)
sgd2.apply_gradients([(tf.constant([1.0, 2.0]), holder.w), (tf.constant([7.0, 8.0]), holder.stat)])
np.testing.assert_allclose(holder.w.numpy(), [0.5, 0.0])
np.testing.assert_array_equal(holder.stat.numpy(), [7.0, 8.0])
try:
    holder.w.overwrite_with_gradient = "yes"
    raise AssertionError("expected TypeError")
except TypeError:
    pass

# -- variable.regularizer; frozen weights add no penalty ---------------------------------------
penalized = keras.layers.Dense(
    2, kernel_initializer="ones", kernel_regularizer=keras.regularizers.L2(0.5)
)
penalized.build((None, 3))
assert isinstance(penalized.kernel.regularizer, keras.regularizers.L2)
assert penalized.bias.regularizer is None
np.testing.assert_allclose([float(v) for v in penalized.losses], [3.0])
penalized.kernel.trainable = False
assert penalized.losses == []
penalized.kernel.trainable = True
penalized.bias.regularizer = keras.regularizers.L1(1.0)
penalized.bias.assign([1.0, -2.0])
np.testing.assert_allclose(sorted(float(v) for v in penalized.losses), [3.0, 3.0])
frozen_net = keras.Sequential([keras.Input((3,)), penalized])
penalized.trainable = False
frozen_net.compile("sgd", "mse")
history = frozen_net.fit(np.zeros((4, 3), "float32"), np.zeros((4, 2), "float32"), verbose=0)
# the mse of the bias alone ((1 + 4) / 2): the penalties of the frozen layer are not added
np.testing.assert_allclose(history.history["loss"], [2.5], rtol=1e-6)

# -- a drop_remainder dataset fixes the batch size a model built by fit records ----------------
features = np.random.RandomState(0).normal(size=(12, 5)).astype("float32")
pairs = tf.data.Dataset.from_tensor_slices((features, features[:, :1]))
fixed = keras.Sequential([keras.layers.Dense(1)])
fixed.compile("sgd", "mse")
fixed.fit(pairs.batch(5, drop_remainder=True), epochs=1, verbose=0)
assert fixed.input_shape == (5, 5) and fixed.output_shape == (5, 1), fixed.input_shape
assert fixed.predict(features[:3], verbose=0).shape == (3, 1)  # other batch sizes still run
free = keras.Sequential([keras.layers.Dense(1)])
free.compile("sgd", "mse")
free.fit(pairs.batch(5), epochs=1, verbose=0)
assert free.input_shape == (None, 5), free.input_shape
print("ok")
