"""Keras guide "Writing your own callbacks": every hook in order with its logs keys,
stop_training, reading and setting the learning rate, EarlyStoppingAtMinLoss with
get_weights/set_weights, and a CallbackList driving a custom training loop."""

import numpy as np
import tensorflow as tf
from tensorflow import keras

rng = np.random.RandomState(0)
x_train = rng.rand(200, 8).astype("float32")
y_train = (x_train @ rng.rand(8, 1)).astype("float32")


def get_model(lr=0.1):
    keras.utils.set_random_seed(3)
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1)])
    model.compile(
        optimizer=keras.optimizers.RMSprop(learning_rate=lr),
        loss="mean_squared_error",
        metrics=["mean_absolute_error"],
    )
    return model


calls = []


class CustomCallback(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        calls.append(("train_begin", sorted(logs)))

    def on_train_end(self, logs=None):
        calls.append(("train_end", sorted(logs)))

    def on_epoch_begin(self, epoch, logs=None):
        calls.append(("epoch_begin", epoch, sorted(logs)))

    def on_epoch_end(self, epoch, logs=None):
        calls.append(("epoch_end", epoch, sorted(logs)))

    def on_test_begin(self, logs=None):
        calls.append(("test_begin", sorted(logs)))

    def on_test_end(self, logs=None):
        calls.append(("test_end", sorted(logs)))

    def on_predict_begin(self, logs=None):
        calls.append(("predict_begin", sorted(logs)))

    def on_predict_end(self, logs=None):
        calls.append(("predict_end", sorted(logs)))

    def on_train_batch_begin(self, batch, logs=None):
        calls.append(("train_batch_begin", batch, sorted(logs)))

    def on_train_batch_end(self, batch, logs=None):
        calls.append(("train_batch_end", batch, sorted(logs)))

    def on_test_batch_begin(self, batch, logs=None):
        calls.append(("test_batch_begin", batch, sorted(logs)))

    def on_test_batch_end(self, batch, logs=None):
        calls.append(("test_batch_end", batch, sorted(logs)))

    def on_predict_batch_begin(self, batch, logs=None):
        calls.append(("predict_batch_begin", batch, sorted(logs)))

    def on_predict_batch_end(self, batch, logs=None):
        calls.append(("predict_batch_end", batch, sorted(logs)))


M = ["loss", "mean_absolute_error"]
model = get_model()
model.fit(
    x_train[:100],
    y_train[:100],
    batch_size=50,
    epochs=1,
    verbose=0,
    validation_data=(x_train[100:150], y_train[100:150]),
    callbacks=[CustomCallback()],
)
assert calls == [
    ("train_begin", []),
    ("epoch_begin", 0, []),
    ("train_batch_begin", 0, []),
    ("train_batch_end", 0, M),
    ("train_batch_begin", 1, []),
    ("train_batch_end", 1, M),
    ("test_begin", []),
    ("test_batch_begin", 0, []),
    ("test_batch_end", 0, M),
    ("test_end", M),
    ("epoch_end", 0, M + ["val_loss", "val_mean_absolute_error"]),
    ("train_end", M + ["val_loss", "val_mean_absolute_error"]),
], calls
calls.clear()
model.evaluate(x_train[:100], y_train[:100], batch_size=50, verbose=0, callbacks=[CustomCallback()])
assert [c[0] for c in calls] == ["test_begin"] + ["test_batch_begin", "test_batch_end"] * 2 + [
    "test_end"
]
calls.clear()
model.predict(x_train[:100], batch_size=50, verbose=0, callbacks=[CustomCallback()])
assert calls == [
    ("predict_begin", []),
    ("predict_batch_begin", 0, []),
    ("predict_batch_end", 0, ["outputs"]),
    ("predict_batch_begin", 1, []),
    ("predict_batch_end", 1, ["outputs"]),
    ("predict_end", []),
], calls


# batch logs hold running averages: the last batch's equal the epoch's
class LossRecorder(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        self.batch_losses, self.epoch_losses = [], []

    def on_train_batch_end(self, batch, logs=None):
        self.batch_losses.append(logs["loss"])

    def on_epoch_end(self, epoch, logs=None):
        self.epoch_losses.append(logs["loss"])


rec = LossRecorder()
model = get_model()
model.fit(x_train, y_train, batch_size=50, epochs=2, verbose=0, callbacks=[rec])
assert len(rec.batch_losses) == 8 and len(rec.epoch_losses) == 2
np.testing.assert_allclose(rec.batch_losses[3], rec.epoch_losses[0], rtol=1e-6)
np.testing.assert_allclose(rec.batch_losses[7], rec.epoch_losses[1], rtol=1e-6)


# stop_training from a batch hook ends the epoch and the run
class StopAtBatch(keras.callbacks.Callback):
    def on_train_batch_end(self, batch, logs=None):
        if batch == 1:
            self.model.stop_training = True


model = get_model()
h = model.fit(x_train, y_train, batch_size=50, epochs=5, verbose=0, callbacks=[StopAtBatch()])
assert h.epoch == [0], h.epoch
assert int(model.optimizer.iterations.numpy()) == 2


class EarlyStoppingAtMinLoss(keras.callbacks.Callback):
    def __init__(self, patience=0):
        super().__init__()
        self.patience = patience
        self.best_weights = None

    def on_train_begin(self, logs=None):
        self.wait = 0
        self.stopped_epoch = 0
        self.best = np.inf

    def on_epoch_end(self, epoch, logs=None):
        current = logs.get("loss")
        if np.less(current, self.best):
            self.best = current
            self.wait = 0
            self.best_weights = self.model.get_weights()
            self.best_epoch = epoch
        else:
            self.wait += 1
            if self.wait >= self.patience:
                self.stopped_epoch = epoch
                self.model.stop_training = True
                self.model.set_weights(self.best_weights)


# a learning rate far too large: the loss grows, training stops, best weights come back
model = get_model(lr=5.0)
stopper = EarlyStoppingAtMinLoss(patience=1)
h = model.fit(x_train, y_train, batch_size=200, epochs=30, verbose=0, callbacks=[stopper])
losses = h.history["loss"]
assert stopper.stopped_epoch == len(losses) - 1 < 29, losses
assert stopper.best == min(losses)
for got, want in zip(model.get_weights(), stopper.best_weights):
    np.testing.assert_array_equal(got, want)


class CustomLearningRateScheduler(keras.callbacks.Callback):
    def __init__(self, schedule):
        super().__init__()
        self.schedule = schedule

    def on_epoch_begin(self, epoch, logs=None):
        if not hasattr(self.model.optimizer, "learning_rate"):
            raise ValueError('Optimizer must have a "learning_rate" attribute.')
        lr = float(self.model.optimizer.learning_rate.numpy())
        self.model.optimizer.learning_rate = self.schedule(epoch, lr)


LR_SCHEDULE = [(1, 0.05), (3, 0.01)]


def lr_schedule(epoch, lr):
    for start, rate in LR_SCHEDULE:
        if epoch == start:
            return rate
    return lr


class HalveWithAssign(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        lr = self.model.optimizer.learning_rate
        lr.assign(lr * 0.5)


rates = []
record = keras.callbacks.LambdaCallback(
    on_epoch_end=lambda epoch, logs: rates.append(float(model.optimizer.learning_rate.numpy()))
)
model = get_model()
model.fit(
    x_train,
    y_train,
    batch_size=100,
    epochs=4,
    verbose=0,
    callbacks=[CustomLearningRateScheduler(lr_schedule), record],
)
np.testing.assert_allclose(rates, [0.1, 0.05, 0.05, 0.01], rtol=1e-6)
rates.clear()
model.fit(
    x_train, y_train, batch_size=100, epochs=2, verbose=0, callbacks=[record, HalveWithAssign()]
)
np.testing.assert_allclose(rates, [0.01, 0.005], rtol=1e-6)
np.testing.assert_allclose(
    float(keras.backend.get_value(model.optimizer.learning_rate)), 0.0025, rtol=1e-6
)

# a custom loop driving the callbacks through a CallbackList
model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1)])
optimizer = keras.optimizers.SGD(0.05)
loss_fn = keras.losses.MeanSquaredError()
rec = LossRecorder()
callbacks = keras.callbacks.CallbackList(
    [rec], add_history=True, model=model, epochs=2, steps=4, verbose=0
)
dataset = tf.data.Dataset.from_tensor_slices((x_train, y_train)).batch(50)
logs = {}
callbacks.on_train_begin(logs=logs)
for epoch in range(2):
    callbacks.on_epoch_begin(epoch, logs)
    for step, (xb, yb) in enumerate(dataset):
        callbacks.on_train_batch_begin(step, logs)
        with tf.GradientTape() as tape:
            loss = loss_fn(yb, model(xb, training=True))
        grads = tape.gradient(loss, model.trainable_weights)
        optimizer.apply_gradients(zip(grads, model.trainable_weights))
        logs = {"loss": float(loss)}
        callbacks.on_train_batch_end(step, logs)
    callbacks.on_epoch_end(epoch, logs)
callbacks.on_train_end(logs)
history = [cb for cb in callbacks.callbacks if isinstance(cb, keras.callbacks.History)][0]
assert rec.model is model and rec.params["epochs"] == 2
assert len(rec.batch_losses) == 8 and history.epoch == [0, 1]
assert history.history["loss"] == [rec.batch_losses[3], rec.batch_losses[7]]
print("guide_keras_custom_callbacks OK")
