"""Keras guide "Save, serialize, and export models": .keras files with custom layers and
functions (registered, or through custom_objects / custom_object_scope), get_config /
from_config, to_json / model_from_json, clone_model, serialize_keras_object, and
compile settings (custom Loss and Metric) surviving a save."""

import os
import tempfile

import numpy as np
import tensorflow as tf
from tensorflow import keras

os.chdir(tempfile.mkdtemp())
rng = np.random.RandomState(0)
x = rng.rand(16, 4).astype("float32")
y = rng.rand(16, 3).astype("float32")


@keras.utils.register_keras_serializable(package="my_package", name="custom_fn")
def custom_fn(v):
    return v**2


@keras.utils.register_keras_serializable(package="MyLayers")
class CustomLayer(keras.layers.Layer):
    def __init__(self, factor, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, v):
        return v * self.factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


@keras.utils.register_keras_serializable(package="MyLayers")
class CustomDense(keras.layers.Layer):
    def __init__(self, units=32, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(
            shape=(input_shape[-1], self.units), initializer="random_normal", name="w"
        )
        self.b = self.add_weight(shape=(self.units,), initializer="zeros", name="b")

    def call(self, inputs):
        return tf.matmul(inputs, self.w) + self.b

    def get_config(self):
        return {**super().get_config(), "units": self.units}


assert keras.utils.get_registered_name(CustomLayer) == "MyLayers>CustomLayer"
assert keras.utils.get_registered_name(custom_fn) == "my_package>custom_fn"
assert keras.utils.get_registered_object("MyLayers>CustomDense") is CustomDense

inputs = keras.Input(shape=(4,))
h = CustomLayer(factor=0.5)(inputs)
h = CustomDense(3)(h)
outputs = keras.layers.Activation(custom_fn)(h)
model = keras.Model(inputs, outputs)
model.compile(optimizer="rmsprop", loss="mean_squared_error")
model.fit(x, y, verbose=0)
model.save("custom_model.keras")
reconstructed = keras.models.load_model("custom_model.keras")
np.testing.assert_allclose(
    model.predict(x, verbose=0), reconstructed.predict(x, verbose=0), rtol=1e-6
)
assert reconstructed.layers[1].factor == 0.5 and reconstructed.layers[3].activation is custom_fn
# the optimizer state comes back too: one more step gives the same weights
model.fit(x, y, verbose=0, shuffle=False)
reconstructed.fit(x, y, verbose=0, shuffle=False)
for a, b in zip(model.get_weights(), reconstructed.get_weights()):
    np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)


# unregistered objects: custom_objects or custom_object_scope
class Plain(keras.layers.Layer):
    def __init__(self, scale=2.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale

    def call(self, v):
        return v * self.scale

    def get_config(self):
        return {**super().get_config(), "scale": self.scale}


def plain_act(v):
    return tf.nn.relu(v) + 1.0


inputs = keras.Input(shape=(4,))
outputs = keras.layers.Dense(2, activation=plain_act)(Plain(3.0)(inputs))
plain_model = keras.Model(inputs, outputs)
plain_model.save("plain.keras")
try:
    keras.models.load_model("plain.keras")
    raise AssertionError("loading an unknown class must fail")
except TypeError as err:
    assert "Plain" in str(err), err
objects = {"Plain": Plain, "plain_act": plain_act}
loaded = keras.models.load_model("plain.keras", custom_objects=objects)
np.testing.assert_allclose(loaded(x).numpy(), plain_model(x).numpy(), rtol=1e-6)
assert loaded.layers[2].activation is plain_act
with keras.utils.custom_object_scope(objects):
    scoped = keras.models.load_model("plain.keras")
    rebuilt = keras.Model.from_config(plain_model.get_config())
np.testing.assert_allclose(scoped(x).numpy(), plain_model(x).numpy(), rtol=1e-6)
assert rebuilt.layers[1].scale == 3.0

# get_config / from_config, to_json / model_from_json, clone_model
layer = keras.layers.Dense(3, activation="relu")
new_layer = keras.layers.Dense.from_config(layer.get_config())
assert new_layer.units == 3 and new_layer.activation is keras.activations.relu
seq = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
new_seq = keras.Sequential.from_config(seq.get_config())
assert [w.shape for w in new_seq.weights] == [w.shape for w in seq.weights]
inputs = keras.Input((4,))
func = keras.Model(inputs, keras.layers.Dense(2, name="out")(inputs))
from_json = keras.models.model_from_json(func.to_json())
assert type(from_json).__name__ == "Functional" and from_json.layers[-1].name == "out"
from_json.set_weights(func.get_weights())
np.testing.assert_allclose(from_json(x).numpy(), func(x).numpy(), rtol=1e-6)
clone = keras.models.clone_model(func)
assert clone is not func and not np.allclose(clone.get_weights()[0], func.get_weights()[0])
clone.set_weights(func.get_weights())
np.testing.assert_allclose(clone(x).numpy(), func(x).numpy(), rtol=1e-6)


# get_weights / set_weights between two layers built alike
def create_layer():
    lay = keras.layers.Dense(8, activation="relu", name="dense_2")
    lay.build((None, 4))
    return lay


layer_1, layer_2 = create_layer(), create_layer()
layer_2.set_weights(layer_1.get_weights())
np.testing.assert_array_equal(layer_1(x).numpy(), layer_2(x).numpy())

# serialize_keras_object / deserialize_keras_object
config = keras.utils.serialize_keras_object(keras.regularizers.L1(0.5))
assert config["module"] == "keras.regularizers" and config["class_name"] == "L1"
assert config["registered_name"] is None
assert abs(float(keras.utils.deserialize_keras_object(config).l1) - 0.5) < 1e-7
fn_config = keras.utils.serialize_keras_object(custom_fn)
assert fn_config["class_name"] == "function" and fn_config["config"] == "my_package>custom_fn"
assert keras.utils.deserialize_keras_object(fn_config) is custom_fn
cfg = keras.utils.serialize_keras_object(CustomLayer(2.0))
assert cfg["registered_name"] == "MyLayers>CustomLayer"
assert keras.utils.deserialize_keras_object(cfg).factor == 2.0
opt = keras.utils.deserialize_keras_object(
    keras.utils.serialize_keras_object(keras.optimizers.Adam(0.25))
)
assert (
    isinstance(opt, keras.optimizers.Adam) and abs(float(opt.learning_rate.numpy()) - 0.25) < 1e-7
)


# a custom Loss and Metric in the compile settings, per output, with loss_weights
class ScaledMSE(keras.losses.Loss):
    def __init__(self, scale=2.0, name="scaled_mse", reduction="sum_over_batch_size"):
        super().__init__(name=name, reduction=reduction)
        self.scale = scale

    def call(self, y_true, y_pred):
        return self.scale * tf.reduce_mean(tf.square(y_true - y_pred), axis=-1)

    def get_config(self):
        return {**super().get_config(), "scale": self.scale}


class CountAbove(keras.metrics.Metric):
    def __init__(self, threshold=0.5, name="count_above", **kwargs):
        super().__init__(name=name, **kwargs)
        self.threshold = threshold
        self.count = self.add_weight(name="count", initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        self.count.assign_add(tf.reduce_sum(tf.cast(y_pred > self.threshold, "float32")))

    def result(self):
        return self.count

    def reset_state(self):
        self.count.assign(0.0)

    def get_config(self):
        return {**super().get_config(), "threshold": self.threshold}


inputs = keras.Input((4,))
a = keras.layers.Dense(1, name="a")(inputs)
b = keras.layers.Dense(1, name="b", activation="sigmoid")(inputs)
two = keras.Model(inputs, [a, b])
two.compile(
    "adam",
    loss={"a": ScaledMSE(3.0), "b": "binary_crossentropy"},
    loss_weights={"a": 0.5, "b": 4.0},
    metrics={"a": ["mae"], "b": [CountAbove(0.25)]},
)
targets = {"a": y[:, :1], "b": (y[:, 1:2] > 0.5).astype("float32")}
two.fit(x, targets, epochs=1, verbose=0)
two.save("two.keras")
loaded = keras.models.load_model(
    "two.keras", custom_objects={"ScaledMSE": ScaledMSE, "CountAbove": CountAbove}
)
want = two.evaluate(x, targets, batch_size=16, verbose=0, return_dict=True)
got = loaded.evaluate(x, targets, batch_size=16, verbose=0, return_dict=True)
assert set(got) == set(want) == {"loss", "a_loss", "b_loss", "a_mae", "b_count_above"}, got
for key in want:
    np.testing.assert_allclose(got[key], want[key], rtol=1e-5)
np.testing.assert_allclose(want["loss"], 0.5 * want["a_loss"] + 4.0 * want["b_loss"], rtol=1e-5)
assert isinstance(loaded.loss["a"], ScaledMSE) and loaded.loss["a"].scale == 3.0


# a layer that builds its own way: get_build_config / build_from_config
@keras.utils.register_keras_serializable(package="my_custom_package")
class LayerWithCustomBuild(keras.layers.Layer):
    def __init__(self, units=32, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def call(self, inputs):
        return keras.ops.matmul(inputs, self.w) + self.b

    def get_config(self):
        return dict(units=self.units, **super().get_config())

    def build(self, input_shape, layer_init):
        init = keras.initializers.RandomNormal(seed=layer_init)
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer=init)
        self.b = self.add_weight(shape=(self.units,), initializer=init)

    def get_build_config(self):
        return {"layer_init": 1337, "input_shape": (None, 4)}

    def build_from_config(self, config):
        self.build(config["input_shape"], config["layer_init"])


layer = LayerWithCustomBuild(units=16)
layer.build_from_config(layer.get_build_config())
assert layer.built and len(layer.weights) == 2
custom_build = keras.Sequential([layer])
custom_build.save("custom_build.keras")
restored = keras.models.load_model("custom_build.keras")
np.testing.assert_allclose(restored(x).numpy(), custom_build(x).numpy(), rtol=1e-6)
assert len(restored.weights) == 2


# a model with its own compile(): get_compile_config / compile_from_config
@keras.utils.register_keras_serializable(package="my_custom_package")
class ModelWithCustomCompile(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(8)

    def call(self, v):
        return self.dense(v)

    def compile(self, optimizer, loss_fn):
        super().compile(optimizer)
        self.model_optimizer = optimizer
        self.loss_fn = loss_fn

    def get_compile_config(self):
        return {
            "model_optimizer": keras.utils.serialize_keras_object(self.model_optimizer),
            "loss_fn": keras.utils.serialize_keras_object(self.loss_fn),
        }

    def compile_from_config(self, config):
        optimizer = keras.utils.deserialize_keras_object(config["model_optimizer"])
        loss_fn = keras.utils.deserialize_keras_object(config["loss_fn"])
        self.compile(optimizer=optimizer, loss_fn=loss_fn)

    def train_step(self, data):
        v, target = data
        with tf.GradientTape() as tape:
            loss = self.loss_fn(target, self(v, training=True))
        gradients = tape.gradient(loss, self.trainable_variables)
        self.model_optimizer.apply_gradients(zip(gradients, self.trainable_variables))
        return {"loss": loss}


own = ModelWithCustomCompile()
own.compile(optimizer=keras.optimizers.SGD(0.125), loss_fn=keras.losses.MeanSquaredError())
own.fit(rng.random((4, 8)), rng.random((4, 8)), verbose=0)
own.save("custom_compile.keras")
restored = keras.models.load_model("custom_compile.keras")
assert isinstance(restored.model_optimizer, keras.optimizers.SGD)
assert abs(float(restored.model_optimizer.learning_rate.numpy()) - 0.125) < 1e-7
probe = rng.random((3, 8)).astype("float32")
np.testing.assert_allclose(restored(probe).numpy(), own(probe).numpy(), rtol=1e-6)
target = np.zeros((3, 8), "float32")
np.testing.assert_allclose(
    float(restored.loss_fn(target, restored(probe))), np.mean(own(probe).numpy() ** 2), rtol=1e-5
)
print("guide_keras_serialization OK")
