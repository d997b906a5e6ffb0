"""Keras 3 stateless training with the TensorFlow backend (after the guide "Writing a
training loop from scratch", JAX-style): a model called through stateless_call on tensors,
gradients taken with tf.GradientTape with respect to those tensors, a plain SGD update on
them, a metric kept with stateless_update_state / stateless_result / stateless_reset_state,
the Dropout seed-generator state carried in the non-trainable state, and the values written
back at the end (optimizer.stateless_apply is refused by the TensorFlow backend). Also:
keras.name_scope paths, keras.SymbolicScope, metric state variable names, and
keras.metrics.get."""

import keras
import numpy as np
import tensorflow as tf
from keras import layers

keras.utils.set_random_seed(11)
rng = np.random.RandomState(0)
x = rng.normal(size=(64, 4)).astype("float32")
w_true = np.array([[1.5], [-2.0], [0.5], [1.0]], "float32")
y = (x @ w_true + 0.3).astype("float32")

# Weights built inside keras.name_scope carry the scope in their paths.
with keras.name_scope("regressor"):
    model = keras.Sequential(
        [
            keras.Input((4,)),
            layers.Dense(8, activation="relu", name="hidden"),
            layers.Dropout(0.1, seed=5, name="drop"),
            layers.Dense(1, name="out"),
        ],
        name="mlp",
    )
paths = [v.path for v in model.trainable_variables]
assert paths == [
    "regressor/mlp/hidden/kernel",
    "regressor/mlp/hidden/bias",
    "regressor/mlp/out/kernel",
    "regressor/mlp/out/bias",
], paths
assert model.trainable_variables[0].name == "kernel"

# Dropout owns a SeedGenerator: its state is non-trainable state, not a weight.
seed_state = model.get_layer("drop").seed_generator.state
assert [v.name for v in model.non_trainable_variables] == ["seed_generator_state"]
assert len(model.weights) == 4 and len(model.variables) == 5
assert seed_state.numpy().tolist() == [5, 0]

trainable = [tf.convert_to_tensor(v.numpy()) for v in model.trainable_variables]
non_trainable = [tf.convert_to_tensor(v.numpy()) for v in model.non_trainable_variables]
loss_fn = keras.losses.MeanSquaredError()


mae = keras.metrics.MeanAbsoluteError()
mae_state = [v.numpy() for v in mae.variables]


def compute_loss_and_updates(trainable, non_trainable, xb, yb):
    y_pred, non_trainable = model.stateless_call(trainable, non_trainable, xb, training=True)
    return loss_fn(yb, y_pred), (y_pred, non_trainable)


def train_step(state, xb, yb, lr=0.05):
    trainable, non_trainable, metric_state = state
    with tf.GradientTape() as tape:
        tape.watch(trainable)
        loss, (y_pred, non_trainable) = compute_loss_and_updates(trainable, non_trainable, xb, yb)
    grads = tape.gradient(loss, trainable)
    assert all(g is not None for g in grads)
    trainable = [v - lr * g for v, g in zip(trainable, grads)]
    metric_state = mae.stateless_update_state(metric_state, yb, y_pred)
    return loss, (trainable, non_trainable, metric_state)


state = (trainable, non_trainable, mae_state)
first_loss = None
for step in range(60):
    idx = slice((step % 4) * 16, (step % 4 + 1) * 16)
    loss, state = train_step(state, x[idx], y[idx])
    first_loss = float(loss) if first_loss is None else first_loss
    if step == 3:  # one epoch: read the metric, then start it again
        first_mae = float(mae.stateless_result(state[2]))
        state = (state[0], state[1], mae.stateless_reset_state())
trainable, non_trainable, mae_state = state
# The metric object itself saw nothing; its stateless state counted 56 batches of 16.
assert float(mae.result()) == 0.0 and float(mae_state[1]) == 56 * 16
assert float(mae.stateless_result(mae_state)) < first_mae
# The model's own variables did not move; the returned state counted 60 dropout draws.
assert seed_state.numpy().tolist() == [5, 0]
assert np.asarray(non_trainable[0]).tolist() == [5, 60]
for variable, value in zip(model.trainable_variables, trainable):
    variable.assign(value)
for variable, value in zip(model.non_trainable_variables, non_trainable):
    variable.assign(value)
assert seed_state.numpy().tolist() == [5, 60]
final = float(loss_fn(y, model(x)))
assert final < 0.25 * first_loss, (first_loss, final)

# The same gradients as a tape over the model's own variables.
probe = [tf.convert_to_tensor(v.numpy()) for v in model.trainable_variables]
with tf.GradientTape() as tape:
    tape.watch(probe)
    y_pred, _ = model.stateless_call(probe, non_trainable, x)
    loss_a = loss_fn(y, y_pred)
grads_a = tape.gradient(loss_a, probe)
with tf.GradientTape() as tape:
    loss_b = loss_fn(y, model(x))
grads_b = tape.gradient(loss_b, model.trainable_variables)
for a, b in zip(grads_a, grads_b):
    np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-6)

# The TensorFlow backend has no stateless optimizer apply.
optimizer = keras.optimizers.SGD(0.05)
optimizer.build(model.trainable_variables)
try:
    optimizer.stateless_apply([v.numpy() for v in optimizer.variables], grads_a, trainable)
except ValueError as err:
    assert "not supported with the TensorFlow backend" in str(err)
else:
    raise AssertionError("expected a ValueError")

# keras.SymbolicScope marks the symbolic stage; outside it nothing is symbolic.
with keras.SymbolicScope() as scope:
    assert isinstance(scope, keras.SymbolicScope)

# Metric state variables and keras.metrics.get.
auc = keras.metrics.AUC(num_thresholds=3, name="auc_demo")
auc.update_state([0, 1, 1, 0], [0.2, 0.8, 0.6, 0.4])
names = [v.name for v in auc.variables]
assert names == ["true_positives", "false_positives", "true_negatives", "false_negatives"]
assert [v.path for v in auc.variables][0] == "auc_demo/true_positives"
np.testing.assert_allclose(auc.variables[0].numpy(), [2.0, 2.0, 0.0])
assert abs(float(auc.result()) - 1.0) < 1e-6
mae = keras.metrics.get("mae")
assert isinstance(mae, keras.metrics.MeanAbsoluteError) and mae.name == "mean_absolute_error"
assert isinstance(keras.metrics.get("auc"), keras.metrics.AUC)
try:
    keras.metrics.get("no_such_metric")
except ValueError as err:
    assert "Could not interpret metric identifier" in str(err)
else:
    raise AssertionError("expected a ValueError")
print("ok", round(first_loss, 4), round(final, 4))
