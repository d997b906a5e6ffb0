"""A subclassed model: layers as attributes and in a list, a training flag for Dropout/BatchNorm."""

import numpy as np
from tensorflow import keras


class Classifier(keras.Model):
    def __init__(self, num_classes=3, **kwargs):
        super().__init__(**kwargs)
        self.blocks = [
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dense(16, activation="relu"),
        ]
        self.dropout = keras.layers.Dropout(0.5)
        self.norm = keras.layers.BatchNormalization()
        self.head = keras.layers.Dense(num_classes, activation="softmax")

    def call(self, inputs, training=None, mask=None):
        x = inputs
        for block in self.blocks:
            x = block(x)
        x = self.norm(x, training=training)
        x = self.dropout(x, training=training)
        return self.head(x)


keras.utils.set_random_seed(0)
model = Classifier()
assert not model.built
rng = np.random.default_rng(0)
x = rng.normal(size=(300, 6)).astype("float32")
y = np.argmax(x[:, :3], axis=1)

out = model(x[:4])
assert model.built and tuple(out.shape) == (4, 3)
# Weights are found through attributes and the list: 3 Dense (kernel, bias) + BN gamma/beta.
assert len(model.trainable_weights) == 8
assert len(model.non_trainable_weights) == 2  # BN moving mean and variance
assert len(model.layers) == 5

# Inference is deterministic; training=True switches dropout on.
a = model(x[:8], training=False).numpy()
b = model(x[:8], training=False).numpy()
np.testing.assert_allclose(a, b)
moving_mean = model.norm.moving_mean.numpy().copy()
c = model(x[:8], training=True).numpy()
assert not np.allclose(a, c)
assert not np.allclose(model.norm.moving_mean.numpy(), moving_mean)

lines = []
model.summary(print_fn=lambda line, *args, **kwargs: lines.append(line))
assert "Total params" in "\n".join(lines)

model.compile(
    optimizer=keras.optimizers.Adam(0.01),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
history = model.fit(x, y, epochs=20, batch_size=32, verbose=0)
assert history.history["accuracy"][-1] > 0.75, history.history["accuracy"]
loss, accuracy = model.evaluate(x, y, verbose=0)
assert accuracy > 0.8, accuracy
print("ok")
