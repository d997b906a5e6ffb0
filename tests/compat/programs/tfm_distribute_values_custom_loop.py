# The "Custom training with tf.distribute.Strategy" guide on one machine: variables made
# in a MirroredStrategy scope are mirrored (tf.distribute.DistributedValues), the
# per-replica results of strategy.run are reduced, and a small custom loop trains.
import numpy as np
import tensorflow as tf

strategy = tf.distribute.MirroredStrategy(["/cpu:0"])
assert strategy.num_replicas_in_sync == 1

with strategy.scope():
    w = tf.Variable([[0.0], [0.0]], name="w")
    b = tf.Variable([0.0], name="b")
    optimizer = tf.keras.optimizers.SGD(learning_rate=0.2)
assert isinstance(w, tf.distribute.DistributedValues) and isinstance(b, tf.Variable)
assert not isinstance(tf.Variable(1.0), tf.distribute.DistributedValues)
local = strategy.experimental_local_results(w)
assert len(local) == 1
np.testing.assert_allclose(local[0].numpy(), [[0.0], [0.0]])

features = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [2.0, 1.0]], dtype=np.float32)
labels = features @ np.array([[2.0], [-1.0]], dtype=np.float32) + 0.5
dataset = tf.data.Dataset.from_tensor_slices((features, labels)).batch(4)
dist_dataset = strategy.experimental_distribute_dataset(dataset)


@tf.function
def train_step(batch):
    def step_fn(x, y):
        with tf.GradientTape() as tape:
            pred = tf.matmul(x, w) + b
            per_example = tf.reduce_sum((pred - y) ** 2, axis=1)
            loss = tf.nn.compute_average_loss(per_example, global_batch_size=4)
        grads = tape.gradient(loss, [w, b])
        optimizer.apply_gradients(zip(grads, [w, b]))
        return loss

    per_replica = strategy.run(step_fn, args=batch)
    return strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica, axis=None)


losses = []
for _ in range(300):
    for batch in dist_dataset:
        losses.append(float(train_step(batch)))
assert losses[-1] < 1e-4 < losses[0], (losses[0], losses[-1])
np.testing.assert_allclose(w.numpy(), [[2.0], [-1.0]], atol=0.02)
np.testing.assert_allclose(b.numpy(), [0.5], atol=0.02)
print("distribute values custom loop: ok")
