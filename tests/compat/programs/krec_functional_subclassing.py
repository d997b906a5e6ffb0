# keras.io "Packaging Keras models for wide distribution using Functional Subclassing": a
# keras.Model subclass whose __init__ builds a functional graph and hands it to
# super().__init__(inputs, outputs), keeps its constructor arguments and returns them from
# get_config, so it trains like a functional model, exposes layers and summary shapes, and
# saves/reloads as its own class.
import keras
import numpy as np
from keras import layers

keras.utils.set_random_seed(21)
rng = np.random.default_rng(21)


@keras.saving.register_keras_serializable(package="krec")
class MLPClassifier(keras.Model):
    def __init__(self, input_dim, num_classes, hidden=(16, 16), dropout=0.1, **kwargs):
        inputs = keras.Input(shape=(input_dim,), name="features")
        x = inputs
        for i, units in enumerate(hidden):
            x = layers.Dense(units, activation="relu", name=f"hidden_{i}")(x)
            x = layers.Dropout(dropout)(x)
        outputs = layers.Dense(num_classes, activation="softmax", name="probs")(x)
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)
        self.input_dim = input_dim
        self.num_classes = num_classes
        self.hidden = tuple(hidden)
        self.dropout = dropout

    def get_config(self):
        return {
            "input_dim": self.input_dim,
            "num_classes": self.num_classes,
            "hidden": list(self.hidden),
            "dropout": self.dropout,
            "name": self.name,
            "trainable": self.trainable,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)


model = MLPClassifier(6, 3, hidden=(24, 12), name="mlp")
assert isinstance(model, keras.Model) and isinstance(model, MLPClassifier)
assert model.name == "mlp"
names = [layer.name for layer in model.layers]
assert names[0] == "features" and "hidden_1" in names and names[-1] == "probs", names
assert tuple(model.output.shape) == (None, 3)
assert model.get_layer("hidden_0").units == 24
assert len(model.trainable_weights) == 6

# data: 3 gaussian blobs
centers = rng.normal(0, 3, size=(3, 6))
labels = rng.integers(0, 3, 300)
x = (centers[labels] + rng.normal(size=(300, 6))).astype("float32")

model.compile(
    optimizer=keras.optimizers.Adam(0.01),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
hist = model.fit(x, labels, epochs=10, batch_size=32, verbose=0)
assert hist.history["accuracy"][-1] > 0.85, hist.history

# the functional graph can be reused: a feature extractor from its intermediate outputs
features = keras.Model(model.input, model.get_layer("hidden_1").output)
assert features.predict(x[:5], verbose=0).shape == (5, 12)

model.save("mlp.keras")
restored = keras.models.load_model("mlp.keras")
assert type(restored) is MLPClassifier, type(restored)
assert restored.hidden == (24, 12) and restored.num_classes == 3
np.testing.assert_allclose(
    restored.predict(x[:20], verbose=0), model.predict(x[:20], verbose=0), atol=1e-6
)

# a fresh instance from the config has the same architecture and untrained weights
clone = MLPClassifier.from_config(model.get_config())
assert [w.shape for w in clone.get_weights()] == [w.shape for w in model.get_weights()]
print("accuracy", hist.history["accuracy"][-1])
