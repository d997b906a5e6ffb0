"""The "Overfit and underfit" tutorial on a small HIGGS-like CSV: CsvDataset rows packed with
batch(10000).map(pack_row).unbatch(), cached train/validation splits, InverseTimeDecay,
a loss object used as a metric, EarlyStopping on its validation name, a TensorBoard
callback per model, and L2 / Dropout / combined regularization."""

import gzip
import os

import numpy as np
import tensorflow as tf
from tensorflow.keras import layers, regularizers

FEATURES = 8
rng = np.random.default_rng(0)
features = rng.normal(size=(1200, FEATURES)).round(4)
labels = (features[:, :3].sum(axis=1) + 0.5 * rng.normal(size=1200) > 0).astype(float)
with gzip.open("HIGGS.csv.gz", "wt") as f:
    for label, row in zip(labels, features):
        f.write(",".join([f"{label:.1f}"] + [f"{v:.4f}" for v in row]) + "\n")

ds = tf.data.experimental.CsvDataset(
    "HIGGS.csv.gz", [float()] * (FEATURES + 1), compression_type="GZIP"
)


def pack_row(*row):
    label = row[0]
    features = tf.stack(row[1:], 1)
    return features, label


packed_ds = ds.batch(10000).map(pack_row).unbatch()
assert packed_ds.element_spec == (
    tf.TensorSpec((FEATURES,), tf.float32),
    tf.TensorSpec((), tf.float32),
)
first_features, first_label = next(iter(packed_ds))
np.testing.assert_allclose(first_features.numpy(), features[0], rtol=1e-6)
assert float(first_label) == labels[0]

N_VALIDATION = 200
N_TRAIN = 1000
BUFFER_SIZE = 1000
BATCH_SIZE = 100
STEPS_PER_EPOCH = N_TRAIN // BATCH_SIZE

validate_ds = packed_ds.take(N_VALIDATION).cache()
train_ds = packed_ds.skip(N_VALIDATION).take(N_TRAIN).cache()
assert len(list(validate_ds)) == N_VALIDATION and len(list(train_ds)) == N_TRAIN
validate_ds = validate_ds.batch(BATCH_SIZE)
train_ds = train_ds.shuffle(BUFFER_SIZE, seed=0).repeat().batch(BATCH_SIZE)
assert int(train_ds.cardinality()) == tf.data.INFINITE_CARDINALITY

lr_schedule = tf.keras.optimizers.schedules.InverseTimeDecay(
    0.001, decay_steps=STEPS_PER_EPOCH * 1000, decay_rate=1, staircase=False
)
np.testing.assert_allclose(
    float(lr_schedule(STEPS_PER_EPOCH * 1000)), 0.0005, rtol=1e-6
)  # halved after 1000 epochs


def get_callbacks(name, patience=200):
    return [
        tf.keras.callbacks.EarlyStopping(monitor="val_binary_crossentropy", patience=patience),
        tf.keras.callbacks.TensorBoard(os.path.join("logs", name)),
    ]


def compile_and_fit(model, name, max_epochs=4, patience=200, optimizer=None):
    if optimizer is None:
        optimizer = tf.keras.optimizers.Adam(lr_schedule)
    model.compile(
        optimizer=optimizer,
        loss=tf.keras.losses.BinaryCrossentropy(from_logits=True),
        metrics=[
            # the tutorial's loss object as a metric (the labels are (batch,), the logits
            # (batch, 1): a loss object matches the ranks, keras.metrics.BinaryCrossentropy
            # refuses them on TensorFlow)
            tf.keras.losses.BinaryCrossentropy(from_logits=True, name="binary_crossentropy"),
            "accuracy",
        ],
    )
    return model.fit(
        train_ds,
        steps_per_epoch=STEPS_PER_EPOCH,
        epochs=max_epochs,
        validation_data=validate_ds,
        callbacks=get_callbacks(name, patience),
        verbose=0,
    )


tf.keras.utils.set_random_seed(0)
tiny_model = tf.keras.Sequential(
    [tf.keras.Input(shape=(FEATURES,)), layers.Dense(16, activation="elu"), layers.Dense(1)]
)
size_histories = {"Tiny": compile_and_fit(tiny_model, "sizes/Tiny")}
history = size_histories["Tiny"].history
assert sorted(history) == [
    "accuracy",
    "binary_crossentropy",
    "loss",
    "val_accuracy",
    "val_binary_crossentropy",
    "val_loss",
]
assert len(history["loss"]) == 4
# the loss has no regularization here: it is the metric's binary crossentropy
np.testing.assert_allclose(history["loss"], history["binary_crossentropy"], rtol=1e-4)
assert history["val_loss"][-1] < history["val_loss"][0]
assert os.path.isdir(os.path.join("logs", "sizes", "Tiny", "train"))
assert os.path.isdir(os.path.join("logs", "sizes", "Tiny", "validation"))
assert any(
    "tfevents" in name for name in os.listdir(os.path.join("logs", "sizes", "Tiny", "train"))
)

# EarlyStopping: no improvement of 10 on the validation metric stops after 2 epochs.
stopper = tf.keras.callbacks.EarlyStopping(
    monitor="val_binary_crossentropy", patience=1, min_delta=10
)
model = tf.keras.Sequential([tf.keras.Input(shape=(FEATURES,)), layers.Dense(1)])
model.compile(
    optimizer="adam",
    loss=tf.keras.losses.BinaryCrossentropy(from_logits=True),
    metrics=[tf.keras.losses.BinaryCrossentropy(from_logits=True, name="binary_crossentropy")],
)
history = model.fit(
    train_ds,
    steps_per_epoch=STEPS_PER_EPOCH,
    epochs=10,
    validation_data=validate_ds,
    callbacks=[stopper],
    verbose=0,
)
assert len(history.history["loss"]) == 2 and stopper.stopped_epoch == 1

# L2: the penalty is part of the loss, not of the metric.
l2_model = tf.keras.Sequential(
    [
        tf.keras.Input(shape=(FEATURES,)),
        layers.Dense(32, activation="elu", kernel_regularizer=regularizers.l2(0.001)),
        layers.Dense(32, activation="elu", kernel_regularizer=regularizers.l2(0.001)),
        layers.Dense(1),
    ]
)
regularization_histories = {"l2": compile_and_fit(l2_model, "regularizers/l2")}
history = regularization_histories["l2"].history
assert all(a > b for a, b in zip(history["loss"], history["binary_crossentropy"]))
penalty = sum(float(v) for v in l2_model.losses)
expected = 0.001 * sum(float(tf.reduce_sum(w**2)) for w in l2_model.trainable_weights[:4:2])
np.testing.assert_allclose(penalty, expected, rtol=1e-4)
assert len(l2_model.losses) == 2

# Dropout only in training: inference is deterministic, training calls differ.
dropout_model = tf.keras.Sequential(
    [
        tf.keras.Input(shape=(FEATURES,)),
        layers.Dense(32, activation="elu"),
        layers.Dropout(0.5),
        layers.Dense(1),
    ]
)
regularization_histories["dropout"] = compile_and_fit(dropout_model, "regularizers/dropout")
batch = first_features[tf.newaxis]
np.testing.assert_array_equal(dropout_model(batch).numpy(), dropout_model(batch).numpy())
outs = {float(dropout_model(tf.tile(batch, [64, 1]), training=True)[i, 0]) for i in range(64)}
assert len(outs) > 1

combined_model = tf.keras.Sequential(
    [
        tf.keras.Input(shape=(FEATURES,)),
        layers.Dense(32, kernel_regularizer=regularizers.l2(0.0001), activation="elu"),
        layers.Dropout(0.5),
        layers.Dense(1),
    ]
)
regularization_histories["combined"] = compile_and_fit(combined_model, "regularizers/combined")
assert sorted(regularization_histories) == ["combined", "dropout", "l2"]
for name, h in regularization_histories.items():
    assert len(h.history["val_binary_crossentropy"]) == 4, name
    assert np.isfinite(h.history["val_loss"]).all()
print("ok")
