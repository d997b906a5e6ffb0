"""Keras guide "Training & evaluation with the built-in methods": custom losses and
metrics, add_loss, validation data, class and sample weights, multi-input/output models,
and the built-in callbacks."""

import csv
import os
import tempfile

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers, ops

rng = np.random.RandomState(0)
x_train = rng.rand(256, 20).astype("float32")
y_train = (x_train[:, :5].sum(1) * 2).astype("int64") % 4  # 4 classes
x_val, y_val = x_train[-64:], y_train[-64:]


def get_uncompiled_model():
    inputs = keras.Input(shape=(20,), name="digits")
    x = layers.Dense(32, activation="relu", name="dense_1")(inputs)
    outputs = layers.Dense(4, activation="softmax", name="predictions")(x)
    return keras.Model(inputs=inputs, outputs=outputs)


def get_compiled_model():
    model = get_uncompiled_model()
    model.compile(
        optimizer=keras.optimizers.RMSprop(learning_rate=1e-2),
        loss="sparse_categorical_crossentropy",
        metrics=["sparse_categorical_accuracy"],
    )
    return model


# fit / evaluate / predict with validation_data tuples
model = get_compiled_model()
history = model.fit(
    x_train, y_train, batch_size=32, epochs=3, validation_data=(x_val, y_val), verbose=0
)
assert set(history.history) == {
    "loss",
    "sparse_categorical_accuracy",
    "val_loss",
    "val_sparse_categorical_accuracy",
}, history.history.keys()
assert len(history.history["loss"]) == 3 and history.epoch == [0, 1, 2]
assert history.history["loss"][-1] < history.history["loss"][0]
results = model.evaluate(x_val, y_val, batch_size=64, verbose=0)
np.testing.assert_allclose(results[0], history.history["val_loss"][-1], rtol=1e-5)
probs = model.predict(x_val[:3], verbose=0)
assert probs.shape == (3, 4)
np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)


# a custom loss function and a Loss subclass
def custom_mean_squared_error(y_true, y_pred):
    return ops.mean(ops.square(y_true - y_pred), axis=-1)


class CustomMSE(keras.losses.Loss):
    def __init__(self, regularization_factor=0.1, name="custom_mse"):
        super().__init__(name=name)
        self.regularization_factor = regularization_factor

    def call(self, y_true, y_pred):
        mse = ops.mean(ops.square(y_true - y_pred), axis=-1)
        reg = ops.mean(ops.square(0.5 - y_pred), axis=-1)
        return mse + reg * self.regularization_factor


y_true = np.array([[0.0, 1.0], [1.0, 1.0]], "float32")
y_pred = np.array([[0.5, 0.5], [1.0, 0.0]], "float32")
# mse per row 0.25 and 0.5; (0.5 - y_pred)^2 per row 0.0 and 0.25
np.testing.assert_allclose(float(CustomMSE()(y_true, y_pred)), 0.375 + 0.1 * 0.125, rtol=1e-6)
y_train_one_hot = ops.one_hot(y_train, num_classes=4)
for loss in (custom_mean_squared_error, CustomMSE()):
    model = get_uncompiled_model()
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss=loss)
    h = model.fit(x_train, y_train_one_hot, batch_size=64, epochs=2, verbose=0)
    assert h.history["loss"][1] < h.history["loss"][0]


# a Metric subclass, with add_variable / add_weight
class CategoricalTruePositives(keras.metrics.Metric):
    def __init__(self, name="categorical_true_positives", **kwargs):
        super().__init__(name=name, **kwargs)
        self.true_positives = self.add_variable(shape=(), name="ctp", initializer="zeros")
        self.seen = self.add_weight(name="seen", initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = ops.reshape(ops.argmax(y_pred, axis=1), (-1, 1))
        values = ops.cast(ops.reshape(y_true, (-1, 1)), "int32") == ops.cast(y_pred, "int32")
        values = ops.cast(values, "float32")
        if sample_weight is not None:
            values = ops.multiply(values, ops.cast(ops.reshape(sample_weight, (-1, 1)), "float32"))
        self.true_positives.assign_add(ops.sum(values))
        self.seen.assign_add(ops.cast(ops.shape(y_true)[0], "float32"))

    def result(self):
        return self.true_positives

    def reset_state(self):
        self.true_positives.assign(0.0)
        self.seen.assign(0.0)


metric = CategoricalTruePositives()
metric.update_state(
    np.array([1, 2, 0]), np.array([[0.1, 0.9, 0.0], [0.8, 0.1, 0.1], [0.6, 0.2, 0.2]])
)
assert float(metric.result()) == 2.0 and float(metric.seen) == 3.0
metric.reset_state()
assert float(metric.result()) == 0.0

model = get_uncompiled_model()
model.compile(
    optimizer=keras.optimizers.RMSprop(learning_rate=1e-2),
    loss=keras.losses.SparseCategoricalCrossentropy(),
    metrics=[CategoricalTruePositives()],
)
h = model.fit(x_train, y_train, batch_size=64, epochs=2, verbose=0)
tp = h.history["categorical_true_positives"]
assert all(0 <= v <= 256 and float(v).is_integer() for v in tp), tp
pred_classes = model.predict(x_train, verbose=0).argmax(1)
ev = model.evaluate(x_train, y_train, verbose=0, return_dict=True)
assert ev["categorical_true_positives"] == float((pred_classes == y_train).sum()), ev


# add_loss inside a layer: the layer's loss joins the total
class ActivityRegularizationLayer(layers.Layer):
    def call(self, inputs):
        self.add_loss(ops.sum(inputs) * 0.1)
        return inputs


inputs = keras.Input(shape=(20,))
x = layers.Dense(8, activation="relu", kernel_initializer="ones", bias_initializer="zeros")(inputs)
x = ActivityRegularizationLayer()(x)
outputs = layers.Dense(4, kernel_initializer="zeros")(x)
model = keras.Model(inputs=inputs, outputs=outputs)
model.compile(optimizer="sgd", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
ev = model.evaluate(x_train[:32], y_train[:32], batch_size=32, verbose=0)
want = np.log(4.0) + 0.1 * float(np.maximum(x_train[:32].sum(1, keepdims=True), 0).sum() * 8)
np.testing.assert_allclose(ev, want, rtol=1e-4)
model(x_train[:2])
assert len(model.losses) == 1

# class_weight equals the same weights given as sample_weight
class_weight = {0: 1.0, 1: 1.0, 2: 3.0, 3: 0.5}
losses = []
for kind in ("class", "sample"):
    keras.utils.set_random_seed(7)
    model = get_compiled_model()
    kwargs = (
        {"class_weight": class_weight}
        if kind == "class"
        else {"sample_weight": np.array([class_weight[int(c)] for c in y_train])}
    )
    losses.append(
        model.fit(
            x_train, y_train, batch_size=256, epochs=2, shuffle=False, verbose=0, **kwargs
        ).history["loss"]
    )
np.testing.assert_allclose(losses[0], losses[1], rtol=1e-5)

# sample weights in a tf.data.Dataset and in validation_data
sw = np.where(y_train == 2, 2.0, 1.0)
ds = tf.data.Dataset.from_tensor_slices((x_train, y_train, sw)).batch(64)
model = get_compiled_model()
h = model.fit(ds, epochs=1, validation_data=(x_val, y_val, sw[-64:]), verbose=0)
assert "val_loss" in h.history

# multi-input / multi-output with loss and metric dicts and loss_weights
image_input = keras.Input(shape=(8, 8, 3), name="img_input")
timeseries_input = keras.Input(shape=(None, 5), name="ts_input")
x1 = layers.Conv2D(3, 3)(image_input)
x1 = layers.GlobalMaxPooling2D()(x1)
x2 = layers.Conv1D(3, 3)(timeseries_input)
x2 = layers.GlobalMaxPooling1D()(x2)
x = layers.concatenate([x1, x2])
score_output = layers.Dense(1, name="score_output")(x)
class_output = layers.Dense(5, name="class_output", activation="softmax")(x)
model = keras.Model(inputs=[image_input, timeseries_input], outputs=[score_output, class_output])
model.compile(
    optimizer=keras.optimizers.RMSprop(1e-3),
    loss={
        "score_output": keras.losses.MeanSquaredError(),
        "class_output": keras.losses.CategoricalCrossentropy(),
    },
    metrics={
        "score_output": [keras.metrics.MeanAbsoluteError()],
        "class_output": [keras.metrics.CategoricalAccuracy()],
    },
    loss_weights={"score_output": 2.0, "class_output": 1.0},
)
img_data = rng.random_sample(size=(40, 8, 8, 3))
ts_data = rng.random_sample(size=(40, 10, 5))
score_targets = rng.random_sample(size=(40, 1))
class_targets = ops.one_hot(rng.randint(0, 5, 40), 5)
h = model.fit(
    {"img_input": img_data, "ts_input": ts_data},
    {"score_output": score_targets, "class_output": class_targets},
    batch_size=20,
    epochs=1,
    verbose=0,
)
assert set(h.history) == {
    "loss",
    "score_output_loss",
    "class_output_loss",
    "score_output_mean_absolute_error",
    "class_output_categorical_accuracy",
}, h.history.keys()
ev = model.evaluate(
    [img_data, ts_data], [score_targets, class_targets], batch_size=20, verbose=0, return_dict=True
)
np.testing.assert_allclose(
    ev["loss"], 2.0 * ev["score_output_loss"] + ev["class_output_loss"], rtol=1e-4
)
model.compile(optimizer="rmsprop", loss=[None, keras.losses.CategoricalCrossentropy()])
ev2 = model.evaluate(
    [img_data, ts_data], [score_targets, class_targets], batch_size=20, verbose=0, return_dict=True
)
np.testing.assert_allclose(ev2["loss"], ev["class_output_loss"], rtol=1e-4)

# callbacks
workdir = tempfile.mkdtemp()
keras.utils.set_random_seed(1)
model = get_compiled_model()
early = keras.callbacks.EarlyStopping(monitor="val_loss", min_delta=10.0, patience=2, verbose=1)
h = model.fit(
    x_train, y_train, epochs=20, batch_size=64, validation_split=0.25, callbacks=[early], verbose=0
)
# no improvement is ever large enough: stops after 1 + patience epochs
assert len(h.history["loss"]) == 3 and early.stopped_epoch == 2, (
    len(h.history["loss"]),
    early.stopped_epoch,
)

ckpt = keras.callbacks.ModelCheckpoint(
    filepath=os.path.join(workdir, "mymodel_{epoch}.keras"),
    save_best_only=True,
    monitor="val_loss",
    verbose=0,
)
h = model.fit(
    x_train,
    y_train,
    epochs=3,
    batch_size=64,
    validation_data=(x_val, y_val),
    callbacks=[ckpt],
    verbose=0,
)
val = h.history["val_loss"]
expect = [f"mymodel_{i + 1}.keras" for i in range(3) if val[i] < min(val[:i], default=np.inf)]
assert sorted(f for f in os.listdir(workdir) if f.startswith("mymodel")) == sorted(expect), (
    os.listdir(workdir),
    val,
)
best = keras.models.load_model(os.path.join(workdir, expect[-1]))
np.testing.assert_allclose(best.evaluate(x_val, y_val, verbose=0)[0], min(val), rtol=1e-5)

seen_epochs = []
model = get_compiled_model()
cbs = [
    keras.callbacks.LearningRateScheduler(lambda epoch, lr: lr if epoch < 1 else lr * 0.5),
    keras.callbacks.CSVLogger(os.path.join(workdir, "log.csv")),
    keras.callbacks.TerminateOnNaN(),
    keras.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: seen_epochs.append((epoch, sorted(logs)))
    ),
]
h = model.fit(x_train, y_train, epochs=3, batch_size=64, callbacks=cbs, verbose=0)
np.testing.assert_allclose(h.history["learning_rate"], [1e-2, 5e-3, 2.5e-3], rtol=1e-6)
np.testing.assert_allclose(float(model.optimizer.learning_rate), 2.5e-3, rtol=1e-6)
assert [e for e, _ in seen_epochs] == [0, 1, 2]
assert seen_epochs[0][1] == ["learning_rate", "loss", "sparse_categorical_accuracy"], seen_epochs
with open(os.path.join(workdir, "log.csv")) as f:
    rows = list(csv.DictReader(f))
assert [int(r["epoch"]) for r in rows] == [0, 1, 2]
np.testing.assert_allclose([float(r["loss"]) for r in rows], h.history["loss"], rtol=1e-6)

plateau = keras.callbacks.ReduceLROnPlateau(
    monitor="loss", factor=0.5, patience=0, min_delta=100.0, min_lr=1e-3
)
h = model.fit(x_train, y_train, epochs=3, batch_size=64, callbacks=[plateau], verbose=0)
# each epoch logs the rate it trained with; the callback lowers it after epochs 2 and 3
np.testing.assert_allclose(h.history["learning_rate"], [2.5e-3, 2.5e-3, 1.25e-3], rtol=1e-6)
np.testing.assert_allclose(float(model.optimizer.learning_rate), 1e-3, rtol=1e-6)


class NaNLayer(layers.Layer):
    def call(self, x):
        return x * float("nan")


nan_model = keras.Sequential([keras.Input((20,)), NaNLayer(), layers.Dense(1)])
nan_model.compile("sgd", "mse")
h = nan_model.fit(
    x_train,
    y_train.astype("float32"),
    epochs=3,
    batch_size=64,
    callbacks=[keras.callbacks.TerminateOnNaN()],
    verbose=0,
)
assert len(h.history["loss"]) == 1 and np.isnan(h.history["loss"][0])
print("guide_keras_training_eval OK")
