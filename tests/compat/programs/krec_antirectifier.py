# keras.io "Simple custom layer example: Antirectifier": a layer that centers its input,
# L2-normalizes it and returns the concatenation of its positive and negative parts (twice
# the features), with a Dense kernel built in build() and get_config for saving. Trained in
# a Sequential model on synthetic data, saved to .keras and reloaded with custom_objects.
import keras
import numpy as np
from keras import layers, ops

keras.utils.set_random_seed(11)
rng = np.random.default_rng(11)


class Antirectifier(layers.Layer):
    def __init__(self, initializer="he_normal", **kwargs):
        super().__init__(**kwargs)
        self.initializer = keras.initializers.get(initializer)

    def build(self, input_shape):
        output_dim = input_shape[-1]
        self.kernel = self.add_weight(
            shape=(output_dim * 2, output_dim),
            initializer=self.initializer,
            name="kernel",
            trainable=True,
        )

    def call(self, inputs):
        inputs -= ops.mean(inputs, axis=-1, keepdims=True)
        pos = ops.relu(inputs)
        neg = ops.relu(-inputs)
        concatenated = ops.concatenate([pos, neg], axis=-1)
        mixed = ops.matmul(concatenated, self.kernel)
        return mixed

    def get_config(self):
        base_config = super().get_config()
        config = {"initializer": keras.initializers.serialize(self.initializer)}
        return dict(list(base_config.items()) + list(config.items()))


# the layer's math against NumPy
layer = Antirectifier()
x = rng.normal(size=(5, 6)).astype("float32")
y = ops.convert_to_numpy(layer(x))
k = layer.kernel.numpy()
assert k.shape == (12, 6) and y.shape == (5, 6)
c = x - x.mean(axis=-1, keepdims=True)
ref = np.concatenate([np.maximum(c, 0), np.maximum(-c, 0)], axis=-1) @ k
np.testing.assert_allclose(y, ref, rtol=1e-5, atol=1e-5)

cfg = layer.get_config()
assert cfg["initializer"]["class_name"] == "HeNormal", cfg
clone = Antirectifier.from_config(cfg)
assert isinstance(clone.initializer, keras.initializers.HeNormal)

# 4-class problem: class = quadrant of two hidden directions
n, d = 600, 16
x = rng.normal(size=(n, d)).astype("float32")
proj = rng.normal(size=(d, 2)).astype("float32")
z = x @ proj
labels = (z[:, 0] > 0).astype(int) * 2 + (z[:, 1] > 0).astype(int)

model = keras.Sequential(
    [
        keras.Input(shape=(d,)),
        layers.Dense(32),
        Antirectifier(),
        layers.Dense(32),
        Antirectifier(),
        layers.Dropout(0.1),
        layers.Dense(4),
    ]
)
model.compile(
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    optimizer=keras.optimizers.RMSprop(learning_rate=0.003),
    metrics=[keras.metrics.SparseCategoricalAccuracy()],
)
hist = model.fit(x[:500], labels[:500], batch_size=50, epochs=12, validation_split=0.15, verbose=0)
assert hist.history["loss"][-1] < 0.6 * hist.history["loss"][0], hist.history["loss"]
loss, acc = model.evaluate(x[500:], labels[500:], verbose=0)
assert acc > 0.75, acc

model.save("antirectifier.keras")
restored = keras.models.load_model(
    "antirectifier.keras", custom_objects={"Antirectifier": Antirectifier}
)
assert isinstance(restored.layers[1], Antirectifier)
np.testing.assert_allclose(
    restored.predict(x[500:], verbose=0), model.predict(x[500:], verbose=0), atol=1e-5
)
print("test accuracy", acc)
