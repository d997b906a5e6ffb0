"""Keras 3 details met in the keras-io guides: callback params, metric state variables,
the dropped-mask warning and the batch size a Sequential model records."""

import warnings

import keras
import numpy as np
import tensorflow as tf


# --- Callback.params: exactly verbose, epochs, steps -------------------------------------
class ParamsSeen(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.seen = []

    def on_train_begin(self, logs=None):
        self.seen.append(("fit", dict(self.params)))

    def on_test_begin(self, logs=None):
        self.seen.append(("test", dict(self.params)))

    def on_predict_begin(self, logs=None):
        self.seen.append(("predict", dict(self.params)))


net = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
net.compile(optimizer="sgd", loss="mse")
features = np.linspace(0, 1, 96, dtype="float32").reshape(32, 3)
targets = features.sum(axis=1, keepdims=True)
spy = ParamsSeen()
hist = net.fit(features, targets, epochs=2, batch_size=8, verbose=0, callbacks=[spy])
assert hist.params == {"verbose": 0, "epochs": 2, "steps": 4}, hist.params
assert list(hist.params) == ["verbose", "epochs", "steps"]
net.evaluate(features, targets, batch_size=5, verbose=0, callbacks=[spy])
net.predict(features, verbose=0, callbacks=[spy])
assert spy.seen[1:] == [
    ("test", {"verbose": 0, "epochs": 1, "steps": 7}),
    ("predict", {"verbose": 0, "epochs": 1, "steps": 1}),
], spy.seen

# --- metric state variables --------------------------------------------------------------
avg = keras.metrics.Mean()
avg.update_state([1.0, 2.0, 6.0])
total, count = avg.total, avg.count
assert total.dtype == "float32" and callable(total.assign)
assert total.path == "mean/total" and float(total.numpy()) == 9.0
assert float(count.numpy()) == 3.0
assert float(tf.add(total, 1.0)) == 10.0  # reads as a tensor in ops
avg.update_state([3.0])
assert float(total.numpy()) == 12.0 and float(count.numpy()) == 4.0
avg.count.assign(6.0)
assert abs(float(avg.result()) - 2.0) < 1e-6
avg.reset_state()
assert float(total.numpy()) == 0.0
summed = keras.metrics.Sum()
summed.update_state([4.0, 5.0])
assert float(summed.total.numpy()) == 9.0
acc = keras.metrics.BinaryAccuracy()
acc.update_state([[1], [0], [1]], [[0.8], [0.7], [0.2]])
assert (float(acc.total.numpy()), float(acc.count.numpy())) == (1.0, 3.0)


# --- the dropped-mask warning ------------------------------------------------------------
def mask_warnings(fn):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fn()
    return [str(w.message) for w in caught if "mask attached" in str(w.message)]


tokens = keras.Input((None,), dtype="int32")
embedded = keras.layers.Embedding(20, 4, mask_zero=True)(tokens)
said = mask_warnings(lambda: keras.layers.Conv1D(2, 2, name="conv_on_mask")(embedded))
assert said == [
    "Layer 'conv_on_mask' (of type Conv1D) was passed an input with a mask attached to it. "
    "However, this layer does not support masking and will therefore destroy the mask "
    "information. Downstream layers will not see the mask."
], said
assert mask_warnings(lambda: keras.layers.LSTM(3)(embedded)) == []
assert mask_warnings(lambda: keras.layers.Dense(3)(embedded)) == []
assert mask_warnings(lambda: keras.layers.MultiHeadAttention(2, 2)(embedded, embedded)) == []
assert len(mask_warnings(lambda: keras.layers.GlobalMaxPooling1D()(embedded))) == 1
assert mask_warnings(lambda: keras.layers.GlobalAveragePooling1D()(embedded)) == []


# --- the batch size a Sequential model records --------------------------------------------
def stack():
    model = keras.Sequential([keras.layers.Dense(4), keras.layers.Dense(2)])
    model.compile(optimizer="sgd", loss="mse")
    return model


rows = np.ones((10, 9), "float32")
called = stack()
called(rows)
assert called.input_shape == (10, 9) and called.output_shape == (10, 2)
built = stack()
built.build((6, 9))
assert built.input_shape == (6, 9)
fitted = stack()
fitted.fit(rows, np.zeros((10, 2)), batch_size=5, verbose=0)
assert fitted.input_shape == (5, 9)
partial = stack()
partial.fit(rows, np.zeros((10, 2)), verbose=0)  # one batch of 10 out of 32: unknown
assert partial.input_shape == (None, 9)
evaluated = stack()
evaluated.evaluate(rows, np.zeros((10, 2)), verbose=0)
assert evaluated.input_shape == (None, 9)
predicted = stack()
predicted.predict(rows, verbose=0)
assert predicted.input_shape == (10, 9)
declared = keras.Sequential([keras.Input((9,)), keras.layers.Dense(2)])
declared(rows)
assert declared.input_shape == (None, 9)
print("ok")
