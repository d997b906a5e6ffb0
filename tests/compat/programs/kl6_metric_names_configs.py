"""Metric names, metric / lookup / loss-scaling configs and LossScaleOptimizer steps as
Keras 3 gives them (checked against TensorFlow 2.21 + Keras 3)."""

import keras
import numpy as np

keras.backend.clear_session()

# Metrics created without a name are numbered as layers are; fixed default names stay.
p1, p2 = keras.metrics.Precision(), keras.metrics.Precision()
assert (p1.name, p2.name) == ("precision", "precision_1"), (p1.name, p2.name)
assert [v.path for v in p2.variables] == [
    "precision_1/true_positives",
    "precision_1/false_positives",
]
assert keras.metrics.AUC().name == "auc" and keras.metrics.AUC(curve="PR").name == "auc_1"
assert keras.metrics.Mean().name == keras.metrics.Mean().name == "mean"
assert keras.metrics.Recall(name="r").name == "r"

# ... and History keys follow those names.
x = np.linspace(-1, 1, 24, dtype="float32").reshape(8, 3)
y = (x.sum(axis=1, keepdims=True) > 0).astype("float32")
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, activation="sigmoid")])
model.compile(
    "sgd", "binary_crossentropy", metrics=[keras.metrics.Recall(), keras.metrics.Recall()]
)
history = model.fit(x, y, epochs=1, verbose=0, validation_data=(x, y))
assert sorted(history.history) == [
    "loss",
    "recall",
    "recall_1",
    "val_loss",
    "val_recall",
    "val_recall_1",
], sorted(history.history)

# MeanMetricWrapper: default name, and its function in the config.
keras.backend.clear_session()
wrapper = keras.metrics.MeanMetricWrapper(keras.losses.mean_absolute_error)
assert wrapper.name == "mean_metric_wrapper"
config = wrapper.get_config()
assert config["fn"]["class_name"] == "function" and config["fn"]["config"] == "mean_absolute_error"
copy = keras.metrics.MeanMetricWrapper.from_config(config)
copy.update_state(np.array([[0.0, 1.0], [1.0, 1.0]]), np.array([[0.5, 0.0], [1.0, 0.0]]))
assert abs(float(copy.result()) - 0.625) < 1e-6
assert "fn" not in keras.metrics.MeanAbsoluteError().get_config()

# IntegerLookup's config has Keras 3's keys.
lookup = keras.layers.IntegerLookup(vocabulary=[3, 5, 7])
config = lookup.get_config()
assert config["vocabulary_size"] == 4 and config["sparse"] is False
assert config["pad_to_max_tokens"] is False and config["idf_weights"] is None
again = keras.layers.IntegerLookup.from_config(config)
np.testing.assert_array_equal(np.asarray(again(np.array([5, 9, 7]))), [2, 0, 3])

# LossScaleOptimizer: a non-finite step is skipped and is no step.
opt = keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(0.5), dynamic_growth_steps=2)
var = keras.Variable(np.array([1.0, 2.0], "float32"))
opt.apply_gradients([(np.array([np.inf, 1.0], "float32"), var)])
np.testing.assert_array_equal(var.numpy(), [1.0, 2.0])
assert int(opt.iterations) == 0 and float(opt.dynamic_scale) == 2.0**14
scale = float(opt.dynamic_scale)
opt.apply_gradients([(np.array([1.0, 1.0], "float32") * scale, var)])
np.testing.assert_allclose(var.numpy(), [0.5, 1.5])
assert int(opt.iterations) == 1 and int(opt.inner_optimizer.iterations) == 1
assert set(opt.get_config()) == {"name", "inner_optimizer", "initial_scale", "dynamic_growth_steps"}
print("kl6_metric_names_configs: ok")
