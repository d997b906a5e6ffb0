# A functional model with two inputs and two named outputs: a loss, a loss weight and
# metrics per output name; History has one key per output loss and metric.
import numpy as np
from tensorflow import keras

keras.utils.set_random_seed(4)

image = keras.Input(shape=(6,), name="image")
meta = keras.Input(shape=(3,), name="meta")
hidden = keras.layers.Dense(16, activation="relu")(keras.layers.Concatenate()([image, meta]))
out1 = keras.layers.Dense(2, activation="softmax", name="out1")(hidden)
out2 = keras.layers.Dense(1, name="out2")(hidden)
model = keras.Model(inputs=[image, meta], outputs=[out1, out2])
assert model.output_names == ["out1", "out2"]

rng = np.random.default_rng(4)
x_image = rng.standard_normal((160, 6)).astype("float32")
x_meta = rng.standard_normal((160, 3)).astype("float32")
y1 = (x_image[:, 0] + x_meta[:, 0] > 0).astype("int32")
y2 = (x_image[:, 1] - x_meta[:, 1]).reshape(-1, 1).astype("float32")

model.compile(
    optimizer=keras.optimizers.Adam(0.02),
    loss={"out1": "sparse_categorical_crossentropy", "out2": "mse"},
    loss_weights={"out1": 1.0, "out2": 0.5},
    metrics={"out1": ["accuracy"], "out2": ["mae"]},
)
history = model.fit(
    [x_image, x_meta],
    {"out1": y1, "out2": y2},
    epochs=20,
    batch_size=32,
    validation_split=0.25,
    verbose=0,
)
assert sorted(history.history) == [
    "loss",
    "out1_accuracy",
    "out1_loss",
    "out2_loss",
    "out2_mae",
    "val_loss",
    "val_out1_accuracy",
    "val_out1_loss",
    "val_out2_loss",
    "val_out2_mae",
]
assert history.history["out1_loss"][-1] < history.history["out1_loss"][0]
assert history.history["out1_accuracy"][-1] > 0.85
assert history.history["out2_mae"][-1] < history.history["out2_mae"][0]

# The total is the weighted sum of the per-output losses.
logs = model.evaluate(
    [x_image, x_meta], {"out1": y1, "out2": y2}, batch_size=160, verbose=0, return_dict=True
)
np.testing.assert_allclose(logs["loss"], logs["out1_loss"] + 0.5 * logs["out2_loss"], rtol=1e-4)
p1, p2 = model.predict([x_image, x_meta], verbose=0)
assert p1.shape == (160, 2) and p2.shape == (160, 1)
np.testing.assert_allclose(logs["out2_loss"], np.mean((p2 - y2) ** 2), rtol=1e-4)
np.testing.assert_allclose(logs["out1_accuracy"], np.mean(p1.argmax(axis=1) == y1), rtol=1e-6)
