# validation_freq, initial_epoch, steps_per_epoch and validation data with sample weights.
import numpy as np
from tensorflow import keras

keras.utils.set_random_seed(4)
rng = np.random.default_rng(4)
x = rng.standard_normal((64, 3)).astype("float32")
y = x.sum(axis=1, keepdims=True)

model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")

validated = []
callback = keras.callbacks.LambdaCallback(
    on_epoch_end=lambda epoch, logs: validated.append("val_loss" in logs)
)
history = model.fit(
    x,
    y,
    epochs=6,
    batch_size=16,
    validation_split=0.25,
    validation_freq=2,
    verbose=0,
    callbacks=[callback],
)
assert validated == [False, True, False, True, False, True]
assert len(history.history["loss"]) == 6 and len(history.history["val_loss"]) == 3

history = model.fit(x, y, epochs=5, initial_epoch=3, verbose=0)
assert history.epoch == [3, 4]

batches = []
callback = keras.callbacks.LambdaCallback(
    on_train_batch_end=lambda batch, logs: batches.append(batch)
)
model.fit(x, y, epochs=2, steps_per_epoch=2, batch_size=8, verbose=0, callbacks=[callback])
assert batches == [0, 1, 0, 1]

w = np.linspace(0.0, 2.0, 16).astype("float32")
history = model.fit(x[:48], y[:48], epochs=1, verbose=0, validation_data=(x[48:], y[48:], w))
expected = model.evaluate(x[48:], y[48:], sample_weight=w, verbose=0)
np.testing.assert_allclose(history.history["val_loss"][0], expected, rtol=1e-5)
assert model.fit(x, y, epochs=0, verbose=0).history == {}
