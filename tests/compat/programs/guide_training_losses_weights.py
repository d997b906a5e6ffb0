"""Training & evaluation with built-in methods: loss reductions, a custom Loss class,
sample weights from a Dataset, class weights, and a multi-input multi-output model with
loss_weights and per-output metrics."""

import keras
import numpy as np
import tensorflow as tf
from keras import layers, ops

keras.utils.set_random_seed(8)
rng = np.random.RandomState(0)

y_true = np.array([[0.0, 1.0], [1.0, 1.0], [2.0, 0.0]], "float32")
y_pred = np.array([[0.5, 1.0], [1.0, 3.0], [2.0, 1.0]], "float32")
sw = np.array([1.0, 0.0, 2.0], "float32")
per_sample = np.mean((y_true - y_pred) ** 2, axis=-1)  # [0.125, 2.0, 0.5]

# Reductions of Keras 3 losses.
mse = keras.losses.MeanSquaredError
np.testing.assert_allclose(mse()(y_true, y_pred), per_sample.mean(), rtol=1e-6)
np.testing.assert_allclose(mse(reduction="sum")(y_true, y_pred), per_sample.sum(), rtol=1e-6)
np.testing.assert_allclose(mse(reduction=None)(y_true, y_pred), per_sample, rtol=1e-6)
np.testing.assert_allclose(mse(reduction="none")(y_true, y_pred), per_sample, rtol=1e-6)
np.testing.assert_allclose(
    mse()(y_true, y_pred, sample_weight=sw), (per_sample * sw).sum() / 3, rtol=1e-6
)
np.testing.assert_allclose(
    mse(reduction="mean_with_sample_weight")(y_true, y_pred, sample_weight=sw),
    (per_sample * sw).sum() / sw.sum(),
    rtol=1e-6,
)
assert mse(reduction="sum").get_config()["reduction"] == "sum"
bad = ""
try:
    mse(reduction="average")
except ValueError as err:
    bad = str(err)
assert "reduction" in bad, bad


# A custom Loss subclass with its own parameter; reductions apply to what call() returns.
class CustomMSE(keras.losses.Loss):
    def __init__(self, regularization_factor=0.1, name="custom_mse", **kwargs):
        super().__init__(name=name, **kwargs)
        self.regularization_factor = regularization_factor

    def call(self, y_true, y_pred):
        mse = ops.mean(ops.square(y_true - y_pred), axis=-1)
        reg = ops.mean(ops.square(0.5 - y_pred), axis=-1)
        return mse + reg * self.regularization_factor

    def get_config(self):
        return {**super().get_config(), "regularization_factor": self.regularization_factor}


reg = np.mean((0.5 - y_pred) ** 2, axis=-1)
custom = CustomMSE(regularization_factor=0.5)
np.testing.assert_allclose(custom(y_true, y_pred), np.mean(per_sample + 0.5 * reg), rtol=1e-6)
summed = CustomMSE(reduction="sum")
np.testing.assert_allclose(summed(y_true, y_pred), np.sum(per_sample + 0.1 * reg), rtol=1e-6)
cfg = custom.get_config()
assert cfg["name"] == "custom_mse" and cfg["regularization_factor"] == 0.5
assert cfg["reduction"] == "sum_over_batch_size"
assert CustomMSE.from_config(cfg).regularization_factor == 0.5

# Sample weights from a Dataset of (x, y, sample_weight).
x = rng.rand(40, 4).astype("float32")
labels = (x.sum(1) > 2).astype("int32")
weights = np.where(labels == 1, 3.0, 1.0).astype("float32")


def make_model():
    model = keras.Sequential([keras.Input((4,)), layers.Dense(2, kernel_initializer="zeros")])
    model.compile(
        optimizer=keras.optimizers.SGD(0.0),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        weighted_metrics=["sparse_categorical_accuracy"],
    )
    return model


model = make_model()
ds = tf.data.Dataset.from_tensor_slices((x, labels, weights)).batch(8)
with_ds = model.evaluate(ds, verbose=0, return_dict=True)
with_arrays = model.evaluate(
    x, labels, sample_weight=weights, batch_size=8, verbose=0, return_dict=True
)
np.testing.assert_allclose(with_ds["loss"], with_arrays["loss"], rtol=1e-6)
np.testing.assert_allclose(with_ds["loss"], np.log(2.0) * weights.mean(), rtol=1e-5)

# class_weight gives the same weights as sample_weight.
m1, m2 = make_model(), make_model()
m1.compile(
    optimizer=keras.optimizers.SGD(0.1),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
)
m2.compile(
    optimizer=keras.optimizers.SGD(0.1),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
)
h1 = m1.fit(
    x, labels, class_weight={0: 1.0, 1: 3.0}, batch_size=40, epochs=2, shuffle=False, verbose=0
)
h2 = m2.fit(x, labels, sample_weight=weights, batch_size=40, epochs=2, shuffle=False, verbose=0)
np.testing.assert_allclose(h1.history["loss"], h2.history["loss"], rtol=1e-6)
np.testing.assert_allclose(m1.get_weights()[0], m2.get_weights()[0], rtol=1e-6)

# Multi-input, multi-output with loss_weights and per-output metrics.
image_input = keras.Input(shape=(8, 8, 1), name="img_input")
timeseries_input = keras.Input(shape=(None, 3), name="ts_input")
x1 = layers.Conv2D(2, 3)(image_input)
x1 = layers.GlobalMaxPooling2D()(x1)
x2 = layers.Conv1D(2, 3)(timeseries_input)
x2 = layers.GlobalMaxPooling1D()(x2)
h = layers.concatenate([x1, x2])
score_output = layers.Dense(1, name="score_output")(h)
class_output = layers.Dense(5, name="class_output")(h)
model = keras.Model(inputs=[image_input, timeseries_input], outputs=[score_output, class_output])
model.compile(
    optimizer=keras.optimizers.RMSprop(1e-3),
    loss={
        "score_output": keras.losses.MeanSquaredError(),
        "class_output": keras.losses.CategoricalCrossentropy(from_logits=True),
    },
    metrics={
        "score_output": [keras.metrics.MeanAbsoluteError()],
        "class_output": [keras.metrics.CategoricalAccuracy()],
    },
    loss_weights={"score_output": 2.0, "class_output": 1.0},
)
img_data = rng.random_sample(size=(16, 8, 8, 1)).astype("float32")
ts_data = rng.random_sample(size=(16, 6, 3)).astype("float32")
score_targets = rng.random_sample(size=(16, 1)).astype("float32")
class_targets = np.eye(5, dtype="float32")[rng.randint(0, 5, 16)]
res = model.evaluate(
    {"img_input": img_data, "ts_input": ts_data},
    {"score_output": score_targets, "class_output": class_targets},
    batch_size=16,
    verbose=0,
    return_dict=True,
)
assert set(res) == {
    "loss",
    "score_output_loss",
    "class_output_loss",
    "score_output_mean_absolute_error",
    "class_output_categorical_accuracy",
}, sorted(res)
np.testing.assert_allclose(
    res["loss"], 2.0 * res["score_output_loss"] + res["class_output_loss"], rtol=1e-5
)
score_pred, class_pred = model.predict([img_data, ts_data], verbose=0)
np.testing.assert_allclose(
    res["score_output_loss"], np.mean((score_pred - score_targets) ** 2), rtol=1e-4
)
np.testing.assert_allclose(
    res["score_output_mean_absolute_error"], np.mean(np.abs(score_pred - score_targets)), rtol=1e-4
)
hist = model.fit(
    [img_data, ts_data], [score_targets, class_targets], batch_size=8, epochs=1, verbose=0
)
assert "class_output_loss" in hist.history

# A loss of None for an output leaves it out of training.
model.compile(
    optimizer="rmsprop", loss=[None, keras.losses.CategoricalCrossentropy(from_logits=True)]
)
res2 = model.evaluate(
    [img_data, ts_data], [score_targets, class_targets], verbose=0, return_dict=True
)
_, logits = model.predict([img_data, ts_data], verbose=0)
log_softmax = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
expected_ce = -np.mean(np.sum(class_targets * log_softmax, axis=-1))
np.testing.assert_allclose(res2["loss"], expected_ce, rtol=1e-4)

print("guide_training_losses_weights: OK")
