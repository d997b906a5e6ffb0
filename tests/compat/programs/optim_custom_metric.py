# A subclassed Metric (add_weight + assign_add, as in the Keras guide) and a metric
# function, used on their own and in compile()/fit()/evaluate().
import numpy as np
import tensorflow as tf


class BinaryTruePositives(tf.keras.metrics.Metric):
    def __init__(self, name="binary_true_positives", **kwargs):
        super().__init__(name=name, **kwargs)
        self.true_positives = self.add_weight(name="tp", initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = tf.cast(y_true, tf.bool)
        y_pred = tf.convert_to_tensor(y_pred) > 0.5
        values = tf.cast(tf.logical_and(y_true, y_pred), self.dtype)
        if sample_weight is not None:
            values = values * tf.cast(sample_weight, self.dtype)
        self.true_positives.assign_add(tf.reduce_sum(values))

    def result(self):
        return self.true_positives


def mean_prediction(y_true, y_pred):
    return tf.reduce_mean(y_pred, axis=-1)


m = BinaryTruePositives()
m.update_state([[1.0], [1.0], [0.0]], [[0.9], [0.2], [0.8]])
m.update_state([[1.0]], [[0.7]], sample_weight=[3.0])
np.testing.assert_allclose(m.result().numpy(), 4.0)
m.reset_state()
np.testing.assert_allclose(m.result().numpy(), 0.0)
assert m.dtype == "float32"

tf.random.set_seed(1)
rng = np.random.default_rng(1)
x = rng.normal(size=(128, 3)).astype("float32")
y = (x.sum(axis=1, keepdims=True) > 0).astype("float32")
model = tf.keras.Sequential([tf.keras.Input(shape=(3,)), tf.keras.layers.Dense(1, "sigmoid")])
model.compile(
    optimizer=tf.keras.optimizers.Adam(0.1),
    loss="binary_crossentropy",
    metrics=[BinaryTruePositives(), mean_prediction, "auc"],
)
history = model.fit(x, y, batch_size=16, epochs=20, verbose=0)
assert {"binary_true_positives", "mean_prediction", "auc"} <= set(history.history)
results = model.evaluate(x, y, verbose=0, return_dict=True)
positives = float(y.sum())
assert 0.8 * positives <= results["binary_true_positives"] <= positives, results
assert results["auc"] > 0.95, results
print("custom metric ok", results)
