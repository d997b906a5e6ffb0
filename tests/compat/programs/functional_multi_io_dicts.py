"""Keras guide "Training & evaluation with built-in methods": a model with two inputs and
two outputs, losses, metrics and loss weights given as dicts keyed by output name, trained
from NumPy dicts and from a tf.data pipeline of dicts (imports as in the guide)."""

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(1)
image_input = keras.Input(shape=(8, 8, 3), name="img_input")
timeseries_input = keras.Input(shape=(None, 4), name="ts_input")
x1 = layers.Conv2D(3, 3)(image_input)
x1 = layers.GlobalMaxPooling2D()(x1)
x2 = layers.Conv1D(3, 3)(timeseries_input)
x2 = layers.GlobalMaxPooling1D()(x2)
x = layers.concatenate([x1, x2])
score_output = layers.Dense(1, name="score_output")(x)
class_output = layers.Dense(5, name="class_output")(x)
model = keras.Model(inputs=[image_input, timeseries_input], outputs=[score_output, class_output])
model.compile(
    optimizer=keras.optimizers.RMSprop(1e-3),
    loss={
        "score_output": keras.losses.MeanSquaredError(),
        "class_output": keras.losses.CategoricalCrossentropy(),
    },
    metrics={
        "score_output": [
            keras.metrics.MeanAbsolutePercentageError(),
            keras.metrics.MeanAbsoluteError(),
        ],
        "class_output": [keras.metrics.CategoricalAccuracy()],
    },
    loss_weights={"score_output": 2.0, "class_output": 1.0},
)
rng = np.random.default_rng(0)
img_data = rng.random((64, 8, 8, 3)).astype("float32")
ts_data = rng.random((64, 10, 4)).astype("float32")
score_targets = rng.random((64, 1)).astype("float32") + 1.0
class_targets = keras.utils.to_categorical(rng.integers(0, 5, 64), 5)

history = model.fit(
    {"img_input": img_data, "ts_input": ts_data},
    {"score_output": score_targets, "class_output": class_targets},
    batch_size=16,
    epochs=2,
    verbose=0,
)
keys = set(history.history)
assert {"loss", "score_output_mean_absolute_error", "class_output_categorical_accuracy"} <= keys, (
    keys
)

train_dataset = (
    tf.data.Dataset.from_tensor_slices(
        (
            {"img_input": img_data, "ts_input": ts_data},
            {"score_output": score_targets, "class_output": class_targets},
        )
    )
    .shuffle(buffer_size=64, seed=0)
    .batch(16)
)
history = model.fit(train_dataset, epochs=2, verbose=0)
assert all(np.isfinite(v[-1]) for v in history.history.values())

results = model.evaluate(train_dataset, verbose=0, return_dict=True)
score_pred, class_pred = model.predict({"img_input": img_data, "ts_input": ts_data}, verbose=0)
assert score_pred.shape == (64, 1) and class_pred.shape == (64, 5)
np.testing.assert_allclose(
    results["score_output_mean_absolute_error"],
    np.abs(score_pred - score_targets).mean(),
    rtol=1e-4,
)
np.testing.assert_allclose(
    results["class_output_categorical_accuracy"],
    np.mean(class_pred.argmax(1) == class_targets.argmax(1)),
    rtol=1e-6,
)
print("multi io ok", results)
