# fit a two-input functional model on a tf.data pipeline whose elements are dicts: inputs by
# Input name, targets by output name.
import numpy as np
import tensorflow as tf
from tensorflow import keras

keras.utils.set_random_seed(5)

price = keras.Input(shape=(1,), name="price")
features = keras.Input(shape=(4,), name="features")
hidden = keras.layers.Dense(8, activation="relu")(features)
merged = keras.layers.Concatenate()([price, hidden])
label = keras.layers.Dense(1, activation="sigmoid", name="label")(merged)
model = keras.Model(inputs={"price": price, "features": features}, outputs={"label": label})
model.compile(
    optimizer=keras.optimizers.Adam(0.05),
    loss={"label": "binary_crossentropy"},
    metrics={"label": ["accuracy"]},
)

rng = np.random.default_rng(5)
n = 256
x = {
    "price": rng.uniform(-1, 1, (n, 1)).astype("float32"),
    "features": rng.standard_normal((n, 4)).astype("float32"),
}
y = {"label": ((x["price"][:, 0] + x["features"][:, 0]) > 0).astype("float32")[:, None]}

ds = tf.data.Dataset.from_tensor_slices((x, y))
assert set(ds.element_spec[0]) == {"price", "features"}
train = ds.take(192).shuffle(192, seed=5).batch(32).prefetch(tf.data.AUTOTUNE)
val = ds.skip(192).batch(64)

history = model.fit(train, validation_data=val, epochs=15, verbose=0)
assert sorted(history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"], sorted(
    history.history
)
assert history.history["loss"][-1] < history.history["loss"][0]
assert history.history["val_accuracy"][-1] > 0.8

predictions = model.predict(val.map(lambda inputs, targets: inputs), verbose=0)
assert set(predictions) == {"label"} and predictions["label"].shape == (64, 1)
accuracy = np.mean((predictions["label"] > 0.5) == (y["label"][192:] > 0.5))
loss, val_accuracy = model.evaluate(val, verbose=0)
np.testing.assert_allclose(val_accuracy, accuracy, rtol=1e-6)

# A pipeline of dict elements repeated forever trains for steps_per_epoch batches an epoch.
history = model.fit(train.repeat(), steps_per_epoch=3, epochs=2, verbose=0)
assert len(history.history["loss"]) == 2
