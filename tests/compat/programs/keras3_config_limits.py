"""tf.keras.config's debugging caps: set_max_epochs caps fit's epochs and
set_max_steps_per_epoch every epoch of fit/evaluate/predict (each with a warning); the
flash-attention and interactive-logging flags; is_nnx_enabled."""

import warnings

import numpy as np
import tensorflow as tf

keras = tf.keras
config = keras.config


class Record(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.seen = []

    def on_train_batch_end(self, batch, logs=None):
        self.seen.append(("train", batch))

    def on_epoch_end(self, epoch, logs=None):
        self.seen.append(("epoch", epoch))

    def on_test_batch_end(self, batch, logs=None):
        self.seen.append(("test", batch))

    def on_predict_batch_end(self, batch, logs=None):
        self.seen.append(("predict", batch))


assert config.max_epochs() is None and config.max_steps_per_epoch() is None
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
model.compile("sgd", "mse")
x, y = np.ones((40, 4), "float32"), np.ones((40, 1), "float32")

config.set_max_epochs(2)
config.set_max_steps_per_epoch(3)
assert config.max_epochs() == 2 and config.max_steps_per_epoch() == 3
rec = Record()
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    history = model.fit(x, y, batch_size=4, epochs=5, verbose=0, callbacks=[rec])
messages = {str(w.message) for w in caught}
assert {"Limiting epochs to 2", "Limiting steps_per_epoch to 3"} <= messages, messages
assert len(history.history["loss"]) == 2 and history.params["epochs"] == 2
assert rec.seen == [("train", 0), ("train", 1), ("train", 2), ("epoch", 0)] * 1 + [
    ("train", 0),
    ("train", 1),
    ("train", 2),
    ("epoch", 1),
], rec.seen
rec.seen.clear()
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    model.evaluate(x, y, batch_size=4, verbose=0, callbacks=[rec])
    assert model.predict(x, batch_size=4, verbose=0, callbacks=[rec]).shape == (12, 1)
assert rec.seen == [
    ("test", 0),
    ("test", 1),
    ("test", 2),
    ("predict", 0),
    ("predict", 1),
    ("predict", 2),
]

config.set_max_epochs(None)
config.set_max_steps_per_epoch(None)
history = model.fit(x, y, batch_size=8, epochs=3, verbose=0)
assert len(history.history["loss"]) == 3 and history.params["steps"] == 5

assert config.is_flash_attention_enabled() is None
config.disable_flash_attention()
assert config.is_flash_attention_enabled() is False
config.enable_flash_attention()
assert config.is_flash_attention_enabled() is None
config.disable_interactive_logging()
assert config.is_interactive_logging_enabled() is False
config.enable_interactive_logging()
assert config.is_interactive_logging_enabled() is True
assert config.is_nnx_enabled() is False and config.backend() == "tensorflow"
print("ok")
