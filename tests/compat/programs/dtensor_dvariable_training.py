"""A linear model whose weights are DVariables, trained with a batch-sharded DTensor input
over a four-device CPU mesh: the loss and weights match the same steps on plain tensors,
gradients carry the variable's layout, and a variable's layout cannot change."""

import numpy as np
import tensorflow as tf
from tensorflow.experimental import dtensor

cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 4)
mesh = dtensor.create_mesh([("batch", 4)], devices=[f"CPU:{i}" for i in range(4)])
U = dtensor.UNSHARDED
replicated2 = dtensor.Layout.replicated(mesh, rank=2)
batch2 = dtensor.Layout.batch_sharded(mesh, "batch", rank=2)

rng = np.random.default_rng(7)
features = rng.normal(size=(16, 3)).astype("float32")
targets = features @ np.array([[1.0], [-2.0], [0.5]], dtype="float32") + 0.25
start = rng.normal(size=(3, 1)).astype("float32")

kernel = dtensor.DVariable(dtensor.copy_to_mesh(tf.constant(start), replicated2))
bias = dtensor.DVariable(
    dtensor.call_with_layout(tf.zeros, dtensor.Layout.replicated(mesh, rank=1), shape=[1])
)
assert dtensor.fetch_layout(kernel) == replicated2
assert dtensor.fetch_layout(bias).sharding_specs == [U]

x = dtensor.relayout(dtensor.copy_to_mesh(tf.constant(features), replicated2), batch2)
y = dtensor.relayout(dtensor.copy_to_mesh(tf.constant(targets), replicated2), batch2)
assert [p.shape for p in dtensor.unpack(x)] == [(4, 3)] * 4
# the same batch packed from per-device pieces (as a data pipeline feeds each device)
packed = dtensor.pack(tf.split(tf.constant(features), mesh.num_local_devices()), batch2)
assert dtensor.fetch_layout(packed) == batch2
for mine, theirs in zip(dtensor.unpack(packed), dtensor.unpack(x)):
    np.testing.assert_array_equal(mine.numpy(), theirs.numpy())


@tf.function
def train_step(w, b, xs, ys):
    with tf.GradientTape() as tape:
        predictions = tf.matmul(xs, w) + b
        loss = tf.reduce_mean(tf.square(predictions - ys))
    grad_w, grad_b = tape.gradient(loss, [w, b])
    w.assign_sub(0.1 * grad_w)
    b.assign_sub(0.1 * grad_b)
    return loss, grad_w, predictions


plain_w, plain_b = tf.Variable(start), tf.Variable(tf.zeros([1]))
losses = []
for step in range(4):
    loss, grad_w, predictions = train_step(kernel, bias, x, y)
    plain_loss, _, _ = train_step(plain_w, plain_b, tf.constant(features), tf.constant(targets))
    np.testing.assert_allclose(float(loss.numpy()), float(plain_loss.numpy()), rtol=1e-5)
    losses.append(float(loss.numpy()))

assert dtensor.fetch_layout(loss).sharding_specs == []
assert dtensor.is_dtensor(grad_w) and dtensor.fetch_layout(grad_w) == replicated2
assert dtensor.fetch_layout(predictions) == batch2  # the batch sharding carries through
np.testing.assert_allclose(kernel.numpy(), plain_w.numpy(), rtol=1e-5)
np.testing.assert_allclose(bias.numpy(), plain_b.numpy(), rtol=1e-5)
assert losses[-1] < losses[0]

# a DVariable's layout is fixed
other_mesh = dtensor.create_mesh([("a", 2), ("b", 2)], devices=[f"CPU:{i}" for i in range(4)])
elsewhere = dtensor.call_with_layout(
    tf.ones, dtensor.Layout.replicated(other_mesh, rank=2), shape=(3, 1)
)
try:
    kernel.assign(elsewhere)
    raise AssertionError("assigning a value of another layout must fail")
except tf.errors.OpError:  # TF: UnknownError from its layout pass; gpuflow: InvalidArgument
    pass
kernel.assign(dtensor.call_with_layout(tf.ones, replicated2, shape=(3, 1)))
np.testing.assert_array_equal(kernel.numpy(), np.ones((3, 1)))
assert dtensor.fetch_layout(kernel) == replicated2
print("dtensor DVariable training: ok")
