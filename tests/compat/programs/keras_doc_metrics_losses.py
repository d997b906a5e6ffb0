"""Examples from the Keras 3 docstrings of keras.metrics / losses / activations / callbacks:
integer predictions in the regression metrics, SparseTopKCategoricalAccuracy with sorted
ids, SparseCategoricalCrossentropy's ignore_class, relu's negative_slope, and round() of an
optimizer's learning rate."""

import numpy as np
import tensorflow as tf

keras = tf.keras

# keras.metrics.MeanSquaredError / MeanAbsoluteError / ... update with integer lists
for cls, want in [
    (keras.metrics.MeanSquaredError, 0.25),
    (keras.metrics.MeanAbsoluteError, 0.25),
    (keras.metrics.MeanSquaredLogarithmicError, 0.12011322),
]:
    m = cls()
    m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
    np.testing.assert_allclose(float(m.result()), want, rtol=1e-5)
    m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]], sample_weight=[1, 0])
    assert float(m.result()) > 0
per_sample = keras.losses.mse([[0, 1], [0, 0]], [[1, 1], [0, 0]])
np.testing.assert_allclose(np.asarray(per_sample), [0.5, 0.0])
assert per_sample.dtype == tf.float32

# SparseTopKCategoricalAccuracy: scores, then score-sorted class ids
m = keras.metrics.SparseTopKCategoricalAccuracy(k=1)
m.update_state([2, 1], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
assert float(m.result()) == 0.5
m.reset_state()
m.update_state([2, 1], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]], sample_weight=[0.7, 0.3])
np.testing.assert_allclose(float(m.result()), 0.3, rtol=1e-6)
m = keras.metrics.SparseTopKCategoricalAccuracy(k=1, from_sorted_ids=True)
m.update_state([2, 1], [[1, 0, 3], [1, 2, 3]])
assert float(m.result()) == 0.5
m = keras.metrics.SparseTopKCategoricalAccuracy(k=2, from_sorted_ids=True)
m.update_state([2, 1, 3], [[1, 2, 3], [0, 2, 3], [3, 0, 1]])
np.testing.assert_allclose(float(m.result()), 2 / 3, rtol=1e-6)
assert m.get_config()["from_sorted_ids"] is True
assert "from_sorted_ids" not in keras.metrics.SparseTopKCategoricalAccuracy().get_config()

# SparseCategoricalCrossentropy(ignore_class=...): those entries count for nothing
y_true = np.array([[0, 1, -1], [2, -1, 1]])
logits = np.array(
    [
        [[2.0, 1.0, 0.1], [0.5, 2.5, 0.3], [1.0, 1.0, 1.0]],
        [[0.2, 0.3, 3.0], [1.0, 0.0, 0.0], [0.1, 2.0, 0.5]],
    ],
    "float32",
)
per_entry = keras.losses.sparse_categorical_crossentropy(
    y_true, logits, from_logits=True, ignore_class=-1
)
np.testing.assert_allclose(
    np.asarray(per_entry), [[0.41703, 0.22005, 0.0], [0.12046, 0.0, 0.316779]], atol=1e-5
)
loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=-1)
np.testing.assert_allclose(float(loss(y_true, logits)), 0.26858, atol=1e-5)
assert float(loss(np.full((2, 3), -1), logits)) == 0.0
assert loss.get_config()["ignore_class"] == -1
metric = keras.metrics.SparseCategoricalCrossentropy(from_logits=True, ignore_class=-1)
metric.update_state(y_true, logits)
np.testing.assert_allclose(float(metric.result()), 0.179053, atol=1e-5)

# keras.activations.relu
x = [-10, -5, 0.0, 5, 10]
np.testing.assert_allclose(np.asarray(keras.activations.relu(x)), [0, 0, 0, 5, 10])
np.testing.assert_allclose(
    np.asarray(keras.activations.relu(x, negative_slope=0.5)), [-5, -2.5, 0, 5, 10]
)
np.testing.assert_allclose(np.asarray(keras.activations.relu(x, max_value=5.0)), [0, 0, 0, 5, 5])
np.testing.assert_allclose(np.asarray(keras.activations.relu(x, threshold=5.0)), [0, 0, 0, 0, 10])
layer = keras.layers.ReLU(negative_slope=0.1)
np.testing.assert_allclose(np.asarray(layer(np.array(x, "float32"))), [-1, -0.5, 0, 5, 10])


# keras.callbacks.LearningRateScheduler: round() of the optimizer's learning rate
def scheduler(epoch, lr):
    return lr if epoch < 2 else lr * 0.5


model = keras.Sequential([keras.Input((20,)), keras.layers.Dense(10)])
model.compile(keras.optimizers.SGD(), loss="mse")
np.testing.assert_allclose(float(round(model.optimizer.learning_rate, 5)), 0.01, rtol=1e-6)
history = model.fit(
    np.arange(100).reshape(5, 20),
    np.zeros((5, 10)),
    epochs=4,
    callbacks=[keras.callbacks.LearningRateScheduler(scheduler)],
    verbose=0,
)
assert len(history.history["loss"]) == 4
np.testing.assert_allclose(float(round(model.optimizer.learning_rate, 5)), 0.0025, rtol=1e-5)
print("ok")
