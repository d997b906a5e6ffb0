# Keras guides "Making new layers and models via subclassing" / "Serialization and
# saving": custom layers and a subclassed Model with get_config / from_config, registered
# with keras.utils.register_keras_serializable; round trips through from_config,
# keras.models.clone_model, model_from_json-style config dicts and a .keras archive.
import json

import numpy as np
import tensorflow as tf
from tensorflow import keras

keras.utils.set_random_seed(12)
rng = np.random.default_rng(12)


@keras.utils.register_keras_serializable(package="kex")
class Linear(keras.layers.Layer):
    def __init__(self, units=32, use_bias=True, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.use_bias = use_bias

    def build(self, input_shape):
        self.w = self.add_weight(
            shape=(input_shape[-1], self.units),
            initializer="random_normal",
            trainable=True,
            name="w",
        )
        if self.use_bias:
            self.b = self.add_weight(
                shape=(self.units,), initializer="zeros", trainable=True, name="b"
            )

    def call(self, inputs):
        out = tf.matmul(inputs, self.w)
        return out + self.b if self.use_bias else out

    def get_config(self):
        config = super().get_config()
        config.update({"units": self.units, "use_bias": self.use_bias})
        return config


@keras.utils.register_keras_serializable(package="kex")
class ResidualBlock(keras.layers.Layer):
    def __init__(self, units, dropout=0.1, activation="relu", **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.dropout = dropout
        self.activation = keras.activations.get(activation)
        self.inner = Linear(units, name="inner")
        self.drop = keras.layers.Dropout(dropout)
        self.norm = keras.layers.LayerNormalization()

    def call(self, inputs, training=None):
        h = self.drop(self.activation(self.inner(inputs)), training=training)
        return self.norm(inputs + h)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "units": self.units,
                "dropout": self.dropout,
                "activation": keras.activations.serialize(self.activation),
            }
        )
        return config


@keras.utils.register_keras_serializable(package="kex")
class Regressor(keras.Model):
    def __init__(self, hidden=16, blocks=2, **kwargs):
        super().__init__(**kwargs)
        self.hidden = hidden
        self.blocks = blocks
        self.stem = Linear(hidden, name="stem")
        self.body = [ResidualBlock(hidden, name=f"block_{i}") for i in range(blocks)]
        self.head = keras.layers.Dense(1, name="head")

    def call(self, inputs, training=None):
        x = self.stem(inputs)
        for block in self.body:
            x = block(x, training=training)
        return self.head(x)

    def get_config(self):
        return {"hidden": self.hidden, "blocks": self.blocks, "name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


# layer round trips
layer = Linear(4, use_bias=False, name="lin")
config = layer.get_config()
assert config["units"] == 4 and config["use_bias"] is False and config["name"] == "lin"
assert config["trainable"] is True and "dtype" in config
new_layer = Linear.from_config(config)
assert new_layer.units == 4 and new_layer.name == "lin" and not new_layer.built
y = new_layer(np.ones((2, 3), "float32"))
assert y.shape == (2, 4) and len(new_layer.weights) == 1
block = ResidualBlock(8, dropout=0.2, activation="tanh")
block_cfg = block.get_config()
assert block_cfg["activation"] == "tanh"
json.dumps(block_cfg)  # plain JSON
assert ResidualBlock.from_config(block_cfg).activation is keras.activations.tanh
assert keras.utils.get_registered_name(ResidualBlock) == "kex>ResidualBlock"
assert keras.utils.get_registered_object("kex>Linear") is Linear
ser = keras.utils.serialize_keras_object(block)
assert ser["registered_name"] == "kex>ResidualBlock", ser
restored = keras.utils.deserialize_keras_object(ser)
assert isinstance(restored, ResidualBlock) and restored.units == 8

# model: train, round-trip through config, weights copied over
x = rng.normal(size=(256, 5)).astype("float32")
target = (x[:, :1] * 2 - x[:, 1:2] + 0.5).astype("float32")
model = Regressor(hidden=16, blocks=2, name="reg")
model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
model.fit(x, target, epochs=10, batch_size=32, verbose=0)
mse = model.evaluate(x, target, verbose=0)
assert mse < 0.2, mse
cfg = model.get_config()
assert cfg == {"hidden": 16, "blocks": 2, "name": "reg"}
clone = Regressor.from_config(cfg)
clone(x[:1])
assert len(clone.weights) == len(model.weights)
clone.set_weights(model.get_weights())
np.testing.assert_allclose(
    clone.predict(x[:8], verbose=0), model.predict(x[:8], verbose=0), rtol=1e-5, atol=1e-6
)
# clone_model builds a fresh model from the config: same architecture, new weights
cloned = keras.models.clone_model(model)
cloned(x[:1])
assert isinstance(cloned, Regressor) and cloned.hidden == 16
assert not np.allclose(cloned.get_weights()[0], model.get_weights()[0])

# .keras archive round trip with the registered classes (no custom_objects needed)
model.save("regressor.keras")
loaded = keras.models.load_model("regressor.keras")
assert type(loaded) is Regressor and loaded.blocks == 2
np.testing.assert_allclose(
    loaded.predict(x[:8], verbose=0), model.predict(x[:8], verbose=0), rtol=1e-5, atol=1e-6
)
np.testing.assert_allclose(loaded.evaluate(x, target, verbose=0), mse, rtol=1e-4)

# a functional model made of the custom layers round-trips through its JSON config
inputs = keras.Input((5,))
outputs = keras.layers.Dense(1)(ResidualBlock(5, name="rb")(Linear(5, name="l0")(inputs)))
functional = keras.Model(inputs, outputs)
json_config = functional.to_json()
rebuilt = keras.models.model_from_json(json_config)
assert [layer.name for layer in rebuilt.layers] == [layer.name for layer in functional.layers]
assert isinstance(rebuilt.get_layer("rb"), ResidualBlock)
rebuilt.set_weights(functional.get_weights())
np.testing.assert_allclose(rebuilt(x[:4]).numpy(), functional(x[:4]).numpy(), rtol=1e-6)


# an unregistered class needs custom_objects
class Scale(keras.layers.Layer):
    def call(self, inputs):
        return inputs * 2.0


scaled = keras.Model(inputs, Scale(name="scale")(inputs))
cfg = scaled.get_config()
rebuilt_scaled = keras.Model.from_config(cfg, custom_objects={"Scale": Scale})
np.testing.assert_allclose(rebuilt_scaled(x[:2]).numpy(), 2 * x[:2], rtol=1e-6)
with keras.utils.custom_object_scope({"Scale": Scale}):
    in_scope = keras.models.model_from_json(scaled.to_json())
assert isinstance(in_scope.get_layer("scale"), Scale)
print("mse", mse)
