# The "Customizing Saving and Serialization" guide: save_assets / load_assets writing
# files into the archive, get_build_config / build_from_config, and get_compile_config /
# compile_from_config, round-tripped through .keras files.
import os

import keras
import numpy as np


@keras.saving.register_keras_serializable(package="guide")
class LayerWithCustomAssets(keras.layers.Dense):
    def __init__(self, vocab=None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.vocab = vocab

    def save_assets(self, inner_path):
        with open(os.path.join(inner_path, "vocabulary.txt"), "w") as f:
            f.write(self.vocab)

    def load_assets(self, inner_path):
        with open(os.path.join(inner_path, "vocabulary.txt"), "r") as f:
            text = f.read()
        self.vocab = text.replace("<unk>", "little")


model = keras.Sequential(
    [keras.Input((2,)), LayerWithCustomAssets(vocab="Mary had a <unk> lamb.", units=5)]
)
x = np.random.random((10, 2))
model.save("custom_assets_model.keras")
restored = keras.models.load_model("custom_assets_model.keras")
np.testing.assert_array_equal(model.predict(x, verbose=0), restored.predict(x, verbose=0))
assert restored.layers[-1].vocab == "Mary had a little lamb."


@keras.saving.register_keras_serializable(package="guide")
class LayerWithBuildConfig(keras.layers.Layer):
    def __init__(self, units=4, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.input_dim = input_shape[-1]
        self.w = self.add_weight(shape=(self.input_dim, self.units), initializer="random_normal")

    def call(self, inputs):
        return inputs @ self.w

    def get_config(self):
        return {**super().get_config(), "units": self.units}

    def get_build_config(self):
        return {"input_shape": (None, self.input_dim)}

    def build_from_config(self, config):
        self.build(config["input_shape"])


layer = LayerWithBuildConfig(units=3)
layer.build((None, 6))
config = layer.get_build_config()
assert tuple(config["input_shape"]) == (None, 6)
clone = LayerWithBuildConfig.from_config(layer.get_config())
clone.build_from_config(config)
assert clone.w.shape == (6, 3)


@keras.saving.register_keras_serializable(package="guide")
class ModelWithCustomCompile(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense1 = keras.layers.Dense(8, activation="relu")
        self.dense2 = keras.layers.Dense(4, activation="softmax")

    def call(self, x):
        return self.dense2(self.dense1(x))

    def compile(self, optimizer, loss_fn, metrics=None):
        super().compile(optimizer=optimizer, loss=loss_fn, metrics=metrics)
        self.model_optimizer = optimizer
        self.loss_fn = loss_fn

    def get_compile_config(self):
        return {"model_optimizer": self.model_optimizer, "loss_fn": self.loss_fn}

    def compile_from_config(self, config):
        optimizer = keras.utils.deserialize_keras_object(config["model_optimizer"])
        loss_fn = keras.utils.deserialize_keras_object(config["loss_fn"])
        self.compile(optimizer=optimizer, loss_fn=loss_fn)


model = ModelWithCustomCompile()
model.compile(optimizer="SGD", loss_fn="mean_squared_error")
x = np.random.random((16, 3)).astype("float32")
y = np.random.random((16, 4)).astype("float32")
model.fit(x, y, epochs=1, verbose=0)
model.save("custom_compile_model.keras")
restored = keras.models.load_model("custom_compile_model.keras")
np.testing.assert_allclose(model.predict(x, verbose=0), restored.predict(x, verbose=0), rtol=1e-6)
assert restored.loss_fn == "mean_squared_error"  # compile_from_config ran
history = restored.fit(x, y, epochs=2, verbose=0)  # and the model trains on from there
assert len(history.history["loss"]) == 2 and np.isfinite(history.history["loss"]).all()
