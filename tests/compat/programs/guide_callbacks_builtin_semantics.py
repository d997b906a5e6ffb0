"""Built-in callbacks as the training guide uses them: exact EarlyStopping, ReduceLROnPlateau,
ModelCheckpoint file name templates, LearningRateScheduler, CSVLogger and TerminateOnNaN."""

import csv
import os

import keras
import numpy as np

keras.utils.set_random_seed(3)
rng = np.random.RandomState(0)
x = rng.rand(32, 4).astype("float32")
y = (x @ np.array([[1.0], [-2.0], [0.5], [1.5]], "float32")).astype("float32")


def make_model(lr=0.05):
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(lr), loss="mse", metrics=["mae"])
    return model


class ScriptedLoss(keras.callbacks.Callback):
    """Overrides the monitored value with a script, to test the callbacks' rules exactly."""

    def __init__(self, values, key="val_loss"):
        super().__init__()
        self.values, self.key = values, key
        self.weights_at_end = []

    def on_epoch_end(self, epoch, logs=None):
        logs[self.key] = self.values[epoch]
        self.weights_at_end.append(self.model.get_weights()[0].copy())


# EarlyStopping: patience counts epochs without improvement; restore_best_weights restores
# the weights of the best epoch.
script = ScriptedLoss([5.0, 3.0, 4.0, 3.5, 3.2, 1.0])
early = keras.callbacks.EarlyStopping(monitor="val_loss", patience=2, restore_best_weights=True)
model = make_model()
hist = model.fit(x, y, epochs=6, batch_size=8, verbose=0, callbacks=[script, early])
assert len(hist.history["loss"]) == 4, hist.history
assert early.stopped_epoch == 3
assert early.best == 3.0
np.testing.assert_array_equal(model.get_weights()[0], script.weights_at_end[1])

# min_delta: an improvement smaller than min_delta does not count.
script = ScriptedLoss([1.0, 0.95, 0.92, 0.91, 0.5])
early = keras.callbacks.EarlyStopping(monitor="val_loss", patience=2, min_delta=0.1)
hist = make_model().fit(x, y, epochs=5, batch_size=8, verbose=0, callbacks=[script, early])
assert len(hist.history["loss"]) == 3, hist.history

# mode="max" for an accuracy-like value; baseline must be beaten.
# (an improvement below the baseline does not reset the wait)
script = ScriptedLoss([0.1, 0.2, 0.2, 0.2, 0.2], key="val_acc")
early = keras.callbacks.EarlyStopping(monitor="val_acc", mode="max", baseline=0.5, patience=2)
hist = make_model().fit(x, y, epochs=5, batch_size=8, verbose=0, callbacks=[script, early])
assert len(hist.history["loss"]) == 3, hist.history
script = ScriptedLoss([0.1, 0.2, 0.2, 0.2, 0.2], key="val_acc")
early = keras.callbacks.EarlyStopping(monitor="val_acc", mode="max", patience=2)
hist = make_model().fit(x, y, epochs=5, batch_size=8, verbose=0, callbacks=[script, early])
assert len(hist.history["loss"]) == 4, hist.history

# ReduceLROnPlateau: after `patience` epochs without improvement, lr *= factor, then cooldown.
script = ScriptedLoss([1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0])
reduce = keras.callbacks.ReduceLROnPlateau(
    monitor="val_loss", factor=0.5, patience=1, cooldown=2, min_lr=0.01
)
lrs = []
record = keras.callbacks.LambdaCallback(
    on_epoch_end=lambda epoch, logs: lrs.append(float(model.optimizer.learning_rate))
)
model = make_model(lr=0.08)
hist = model.fit(x, y, epochs=7, batch_size=8, verbose=0, callbacks=[script, reduce, record])
np.testing.assert_allclose(lrs, [0.08, 0.04, 0.04, 0.02, 0.02, 0.01, 0.01], rtol=1e-6)
np.testing.assert_allclose(
    hist.history["learning_rate"], [0.08, 0.08, 0.04, 0.04, 0.02, 0.02, 0.01], rtol=1e-6
)


# LearningRateScheduler: the schedule gets (epoch, lr); the lr is logged.
def scheduler(epoch, lr):
    return lr if epoch < 2 else lr * 0.5


model = make_model(lr=0.1)
hist = model.fit(
    x,
    y,
    epochs=4,
    batch_size=8,
    verbose=0,
    callbacks=[keras.callbacks.LearningRateScheduler(scheduler)],
)
np.testing.assert_allclose(hist.history["learning_rate"], [0.1, 0.1, 0.05, 0.025], rtol=1e-6)
np.testing.assert_allclose(float(model.optimizer.learning_rate), 0.025, rtol=1e-6)

# ModelCheckpoint with file name templates.
model = make_model()
ckpt = keras.callbacks.ModelCheckpoint(
    filepath="mymodel_{epoch:02d}-{val_loss:.3f}.keras", monitor="val_loss", verbose=0
)
hist = model.fit(x, y, epochs=2, batch_size=8, validation_split=0.25, verbose=0, callbacks=[ckpt])
names = sorted(n for n in os.listdir(".") if n.startswith("mymodel_"))
expected = [f"mymodel_{e + 1:02d}-{v:.3f}.keras" for e, v in enumerate(hist.history["val_loss"])]
assert names == sorted(expected), (names, expected)
restored = keras.models.load_model(expected[-1])
np.testing.assert_allclose(restored.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)

# save_best_only with weights files: only improvements are written.
script = ScriptedLoss([3.0, 2.0, 2.5, 1.0])
ckpt = keras.callbacks.ModelCheckpoint(
    "w_{epoch}.weights.h5", save_weights_only=True, save_best_only=True, monitor="val_loss"
)
model = make_model()
model.fit(x, y, epochs=4, batch_size=8, verbose=0, callbacks=[script, ckpt])
assert sorted(n for n in os.listdir(".") if n.startswith("w_")) == [
    "w_1.weights.h5",
    "w_2.weights.h5",
    "w_4.weights.h5",
]
assert ckpt.best == 1.0
fresh = make_model()
fresh.load_weights("w_2.weights.h5")
np.testing.assert_array_equal(fresh.get_weights()[0], script.weights_at_end[1])

# A weights-only checkpoint must not name a whole-model file.
bad = False
try:
    keras.callbacks.ModelCheckpoint("model.keras", save_weights_only=True)
except ValueError as err:
    bad = "weights.h5" in str(err)
assert bad

# CSVLogger: one row per epoch with every logged metric.
model = make_model()
model.fit(
    x,
    y,
    epochs=3,
    batch_size=8,
    validation_split=0.25,
    verbose=0,
    callbacks=[keras.callbacks.CSVLogger("training.log")],
)
with open("training.log") as f:
    rows = list(csv.DictReader(f))
assert [r["epoch"] for r in rows] == ["0", "1", "2"]
assert set(rows[0]) == {"epoch", "loss", "mae", "val_loss", "val_mae"}, rows[0]
# append=True continues the file.
model.fit(
    x,
    y,
    epochs=1,
    batch_size=8,
    verbose=0,
    callbacks=[keras.callbacks.CSVLogger("training.log", append=True)],
)
with open("training.log") as f:
    assert len(f.read().strip().splitlines()) == 5

# TerminateOnNaN stops at the first batch whose loss is NaN.
# (a square root of a negative input gives NaN in the second batch)
x_neg = x.copy()
x_neg[9] = -1.0
seen = []
model = keras.Sequential(
    [keras.Input((4,)), keras.layers.Lambda(lambda t: keras.ops.sqrt(t)), keras.layers.Dense(1)]
)
model.compile(optimizer="sgd", loss="mse")
hist = model.fit(
    x_neg,
    y,
    epochs=3,
    batch_size=8,
    shuffle=False,
    verbose=0,
    callbacks=[
        keras.callbacks.TerminateOnNaN(),
        keras.callbacks.LambdaCallback(on_train_batch_end=lambda b, logs: seen.append(b)),
    ],
)
assert model.stop_training
assert seen == [0, 1], seen

print("guide_callbacks_builtin_semantics: OK")
