"""tf.function patterns of custom training loops: a loop over a dataset inside the
function, a guarded tf.cond whose other branch would fail, a loop that may run no step,
and ops whose output size depends on the values."""

import warnings

import numpy as np
import tensorflow as tf

warnings.simplefilter("ignore", RuntimeWarning)  # gpuflow notes where it runs eagerly

# -- a loop over a dataset inside the function, with a Variable accumulator ------------
features = np.arange(8, dtype=np.float32).reshape(4, 2)
targets = np.array([1.0, 0.0, 2.0, 1.0], dtype=np.float32)
weights = tf.Variable([0.5, -0.25])
seen = tf.Variable(0)


@tf.function
def sum_of_errors(dataset):
    total = tf.constant(0.0)
    for x, y in dataset:
        prediction = tf.reduce_sum(x * weights, axis=-1)
        total += tf.reduce_sum(tf.abs(prediction - y))
        seen.assign_add(tf.shape(x)[0])
    return total


batches = tf.data.Dataset.from_tensor_slices((features, targets)).batch(2)
expected = float(np.abs(features @ np.array([0.5, -0.25], np.float32) - targets).sum())
assert abs(float(sum_of_errors(batches)) - expected) < 1e-5
assert int(seen.numpy()) == 4
more = tf.data.Dataset.from_tensor_slices((features[:2], targets[:2])).batch(1)
expected_more = float(np.abs(features[:2] @ np.array([0.5, -0.25], np.float32) - targets[:2]).sum())
assert abs(float(sum_of_errors(more)) - expected_more) < 1e-5
assert int(seen.numpy()) == 6
assert sum_of_errors.experimental_get_tracing_count() == 1

# -- the custom training loop: a compiled step called from a loop over the dataset --------
model = tf.keras.Sequential([tf.keras.Input((2,)), tf.keras.layers.Dense(1)])
optimizer = tf.keras.optimizers.SGD(0.002)


@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(model(x, training=True)[:, 0] - y))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss


@tf.function
def train_epoch(dataset):
    for x, y in dataset:
        train_step(x, y)


def mse():
    return float(tf.reduce_mean(tf.square(model(features)[:, 0] - targets)))


start = mse()
for _ in range(3):
    train_epoch(batches)
assert mse() < start
assert int(optimizer.iterations.numpy()) == 6  # 2 batches a pass, 3 passes
assert train_step.experimental_get_tracing_count() == 1
assert train_epoch.experimental_get_tracing_count() == 1

# -- a guarded gather: the branch not taken would be out of range -----------------------
table = tf.constant([10.0, 20.0, 30.0])


@tf.function
def lookup(i):
    return tf.cond(i < tf.shape(table)[0], lambda: tf.gather(table, i), lambda: tf.constant(-1.0))


assert float(lookup(tf.constant(7))) == -1.0
assert float(lookup(tf.constant(2))) == 30.0
assert float(lookup(tf.constant(3))) == -1.0


@tf.function
def lookup_if(i):
    if i < 3:
        value = tf.gather(table, i) + 1.0
    else:
        value = tf.constant(0.0)
    return value


assert float(lookup_if(tf.constant(4))) == 0.0
assert float(lookup_if(tf.constant(0))) == 11.0


@tf.function
def always_gather(i):
    return tf.cond(i >= 0, lambda: tf.gather(table, i), lambda: tf.constant(0.0))


try:
    always_gather(tf.constant(5))
except tf.errors.InvalidArgumentError:
    pass
else:
    raise AssertionError("the taken branch's error must be raised")

# -- a loop that runs no step, with a name first assigned inside it -------------------------


@tf.function
def last_cube(n):
    for k in tf.range(n):
        cube = k * k * k
    return cube


assert int(last_cube(tf.constant(3))) == 8
try:
    last_cube(tf.constant(0))
except tf.errors.InvalidArgumentError as exc:
    assert "loop must iterate at least once" in str(exc) and "cube" in str(exc)
else:
    raise AssertionError("a loop that ran no step must not initialize cube")


@tf.function
def total_of_cubes(n):
    total = tf.constant(0)
    for k in tf.range(n):
        cube = k * k * k
        total += cube
    return total


assert int(total_of_cubes(tf.constant(0))) == 0
assert int(total_of_cubes(tf.constant(3))) == 9

# -- outputs whose size depends on the values -------------------------------------------


@tf.function
def distinct_and_counts(x):
    values, index = tf.unique(x)
    return values, index, tf.math.bincount(index), tf.boolean_mask(x, x > 2)


for data, want in (
    ([4, 4, 1, 3], ([4, 1, 3], [0, 0, 1, 2], [2, 1, 1], [4, 4, 3])),
    ([2, 9, 2, 2, 5], ([2, 9, 5], [0, 1, 0, 0, 2], [3, 1, 1], [9, 5])),
):
    got = distinct_and_counts(tf.constant(data))
    assert [t.numpy().tolist() for t in got] == [list(w) for w in want], got
    assert got[0].dtype == tf.int32 and got[1].dtype == tf.int32

print("gl_function_loops: ok")
