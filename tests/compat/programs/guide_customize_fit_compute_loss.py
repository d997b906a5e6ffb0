"""Customizing what happens in fit(), Keras 3 style: compute_loss / compute_metrics,
the metrics property, custom test_step and predict_step, and state reset between epochs."""

import keras
import numpy as np
import tensorflow as tf
from keras import ops

keras.utils.set_random_seed(11)
rng = np.random.RandomState(0)
x = rng.rand(64, 3).astype("float32")
y = (x @ np.array([[1.0], [2.0], [-1.0]], "float32") + 0.5).astype("float32")


class CustomModel(keras.Model):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self.mae_metric = keras.metrics.MeanAbsoluteError(name="mae")
        self.steps_seen = keras.Variable(0, dtype="int32", trainable=False, name="steps")

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = keras.losses.mean_squared_error(y, y_pred)
            loss = ops.mean(loss)
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply(grads, self.trainable_variables)
        self.loss_tracker.update_state(loss)
        self.mae_metric.update_state(y, y_pred)
        self.steps_seen.assign_add(1)
        return {"loss": self.loss_tracker.result(), "mae": self.mae_metric.result()}

    def test_step(self, data):
        x, y = data
        y_pred = self(x, training=False)
        self.loss_tracker.update_state(ops.mean(keras.losses.mean_squared_error(y, y_pred)))
        self.mae_metric.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}

    def predict_step(self, data):
        x = data[0] if isinstance(data, tuple) else data
        return {"value": self(x, training=False), "doubled": 2.0 * self(x, training=False)}

    @property
    def metrics(self):
        # Listed here so that reset_state() is called on them at the start of each epoch.
        return [self.loss_tracker, self.mae_metric]


inputs = keras.Input(shape=(3,))
outputs = keras.layers.Dense(1)(inputs)
model = CustomModel(inputs, outputs)
model.compile(optimizer=keras.optimizers.SGD(0.1))  # no loss/metrics: train_step has them
assert [m.name for m in model.metrics] == ["loss", "mae"]

epoch_losses = []
hist = model.fit(x, y, epochs=3, batch_size=16, verbose=0)
assert set(hist.history) == {"loss", "mae"}, hist.history
assert hist.history["loss"][2] < hist.history["loss"][0]
assert int(model.steps_seen.numpy()) == 12

# The metrics are reset at each epoch start: an epoch's mean matches a fresh evaluation
# of that epoch only, so evaluate gives the value for the data it is given.
result = model.evaluate(x, y, batch_size=16, verbose=0, return_dict=True)
pred = model.predict(x, batch_size=16, verbose=0)
assert set(pred) == {"value", "doubled"}
np.testing.assert_allclose(pred["doubled"], 2 * pred["value"], rtol=1e-6)
mse = float(np.mean((pred["value"] - y) ** 2))
np.testing.assert_allclose(result["loss"], mse, rtol=1e-4)
np.testing.assert_allclose(result["mae"], np.mean(np.abs(pred["value"] - y)), rtol=1e-4)


# Keras 3: override compute_loss() and keep the default train_step.
class LossModel(keras.Model):
    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        loss = ops.mean(ops.abs(y - y_pred))  # an L1 loss, ignoring compile(loss=...)
        loss += ops.sum(self.losses) if self.losses else 0.0
        return loss


inputs = keras.Input(shape=(3,))
outputs = keras.layers.Dense(1, kernel_initializer="zeros")(inputs)
lm = LossModel(inputs, outputs)
lm.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse", metrics=["mse"])
res = lm.evaluate(x, y, batch_size=64, verbose=0, return_dict=True)
np.testing.assert_allclose(res["loss"], np.mean(np.abs(y)), rtol=1e-5)
np.testing.assert_allclose(res["mse"], np.mean(y**2), rtol=1e-5)


# Keras 3: override compute_metrics() to log something of your own.
class MetricsModel(keras.Model):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_pred = keras.metrics.Mean(name="mean_pred")

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        logs = super().compute_metrics(x, y, y_pred, sample_weight)
        self.max_pred.update_state(ops.mean(y_pred))
        logs["mean_pred"] = self.max_pred.result()
        return logs


inputs = keras.Input(shape=(3,))
outputs = keras.layers.Dense(1, kernel_initializer="ones", bias_initializer="zeros")(inputs)
mm = MetricsModel(inputs, outputs)
mm.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse", metrics=["mae"])
res = mm.evaluate(x, y, batch_size=64, verbose=0, return_dict=True)
assert set(res) == {"loss", "mae", "mean_pred"}, res
np.testing.assert_allclose(res["mean_pred"], x.sum(1).mean(), rtol=1e-5)
np.testing.assert_allclose(res["mae"], np.mean(np.abs(x.sum(1, keepdims=True) - y)), rtol=1e-5)
assert "mean_pred" in [m.name for m in mm.metrics]

# reset_metrics() clears every metric's state.
mm.reset_metrics()
assert float(mm.max_pred.result()) == 0.0


# A sample_weight given to fit reaches compute_loss.
class WeightedModel(keras.Model):
    seen = []

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        WeightedModel.seen.append(sample_weight is not None)
        return super().compute_loss(x, y, y_pred, sample_weight, training=training)


inputs = keras.Input(shape=(3,))
wm = WeightedModel(inputs, keras.layers.Dense(1, kernel_initializer="zeros")(inputs))
wm.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")
sw = np.where(np.arange(64) < 32, 1.0, 0.0).astype("float32")
res = wm.evaluate(x, y, sample_weight=sw, batch_size=64, verbose=0)
assert WeightedModel.seen == [True]
np.testing.assert_allclose(res, np.sum(sw * (y[:, 0] ** 2)) / 64.0, rtol=1e-5)

print("guide_customize_fit_compute_loss: OK")
