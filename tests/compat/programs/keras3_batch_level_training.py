"""Batch-level training and evaluation (Keras Model API): train_on_batch, test_on_batch and
predict_on_batch with return_dict, reset_metrics between epochs of a hand-written loop,
class_weight and sample_weight on single batches, and compile(steps_per_execution=...)
giving the same fit() as one step per execution."""

import keras
import numpy as np
from keras import layers

keras.utils.set_random_seed(21)
rng = np.random.RandomState(21)
x = rng.normal(size=(96, 6)).astype("float32")
y = (x[:, 0] - x[:, 2] > 0).astype("float32")[:, None]


def make_model():
    keras.utils.set_random_seed(3)
    model = keras.Sequential(
        [keras.Input((6,)), layers.Dense(8, activation="relu"), layers.Dense(1, "sigmoid")]
    )
    model.compile(
        optimizer=keras.optimizers.SGD(0.2),
        loss="binary_crossentropy",
        metrics=[keras.metrics.BinaryAccuracy(name="acc")],
    )
    return model


model = make_model()
# A hand-written epoch loop over batches: train_on_batch accumulates the metrics until
# reset_metrics(); with return_dict=True it returns the running logs.
history = []
for epoch in range(8):
    model.reset_metrics()
    for start in range(0, 96, 32):
        logs = model.train_on_batch(x[start : start + 32], y[start : start + 32], return_dict=True)
    assert set(logs) == {"loss", "acc"}, logs
    history.append(logs)
assert history[-1]["loss"] < history[0]["loss"]
assert history[-1]["acc"] > 0.8, history[-1]

# Without return_dict: a list in metrics_names order (loss first).
result = model.train_on_batch(x[:32], y[:32])
assert isinstance(result, list) and len(result) == 2, result

# test_on_batch does not update the weights; predict_on_batch gives NumPy outputs.
before = [w.copy() for w in model.get_weights()]
test_logs = model.test_on_batch(x, y, return_dict=True)
for a, b in zip(before, model.get_weights()):
    np.testing.assert_array_equal(a, b)
probs = model.predict_on_batch(x)
assert isinstance(probs, np.ndarray) and probs.shape == (96, 1)
bce = keras.losses.BinaryCrossentropy()(y, probs)
np.testing.assert_allclose(test_logs["loss"], float(bce), rtol=1e-5)
np.testing.assert_allclose(test_logs["acc"], np.mean((probs > 0.5) == y), rtol=1e-6)

# A weight of zero leaves a sample out of the loss; class_weight is per-class weighting.
weights = np.where(y[:, 0] == 1, 1.0, 0.0).astype("float32")
only_pos = model.test_on_batch(x, y, sample_weight=weights, return_dict=True)
per_sample = keras.losses.binary_crossentropy(y, probs).numpy()
expected = float(np.sum(per_sample * weights) / len(weights))
np.testing.assert_allclose(only_pos["loss"], expected, rtol=1e-5)
m1, m2 = make_model(), make_model()
l1 = m1.train_on_batch(x, y, class_weight={0: 0.0, 1: 2.0}, return_dict=True)["loss"]
l2 = m2.train_on_batch(x, y, sample_weight=2.0 * weights, return_dict=True)["loss"]
np.testing.assert_allclose(l1, l2, rtol=1e-5)
for a, b in zip(m1.get_weights(), m2.get_weights()):
    np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)

# steps_per_execution runs several batches per call and trains the same.
reference = make_model()
reference.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
grouped = make_model()
grouped.compile(
    optimizer=keras.optimizers.SGD(0.2),
    loss="binary_crossentropy",
    metrics=[keras.metrics.BinaryAccuracy(name="acc")],
    steps_per_execution=3,
)
hist = grouped.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
assert len(hist.history["loss"]) == 2
for a, b in zip(reference.get_weights(), grouped.get_weights()):
    np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
print("ok", round(history[0]["loss"], 4), round(history[-1]["loss"], 4))
