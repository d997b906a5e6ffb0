"""The multi-worker guide's cluster description (TF_CONFIG) and strategy options, in one
process: the resolver reads the cluster, strategies take communication options and
cross-device ops, and a model trains under them."""

import json
import os

import numpy as np
import tensorflow as tf

tf_config = {
    "cluster": {"worker": ["localhost:12345", "localhost:23456"]},
    "task": {"type": "worker", "index": 1},
}
os.environ["TF_CONFIG"] = json.dumps(tf_config)
resolver = tf.distribute.cluster_resolver.TFConfigClusterResolver()
assert resolver.task_type == "worker" and resolver.task_id == 1
assert resolver.cluster_spec().as_dict() == tf_config["cluster"]
assert resolver.cluster_spec().num_tasks("worker") == 2
assert resolver.master() == "localhost:23456"
del os.environ["TF_CONFIG"]  # one process here: no cluster to wait for


def is_chief(task_type, task_id):
    return task_type is None or task_type == "chief" or (task_type == "worker" and task_id == 0)


options = tf.distribute.experimental.CommunicationOptions(
    implementation=tf.distribute.experimental.CommunicationImplementation.RING
)
assert options.implementation == tf.distribute.experimental.CommunicationImplementation.RING
strategy = tf.distribute.MultiWorkerMirroredStrategy(communication_options=options)
assert strategy.num_replicas_in_sync == 1
assert is_chief(strategy.cluster_resolver.task_type, strategy.cluster_resolver.task_id)

x = np.random.default_rng(0).normal(size=(256, 4)).astype("float32")
y = (x @ np.array([1.0, -2.0, 0.5, 3.0], "float32")).reshape(-1, 1)

for strategy in (
    tf.distribute.MirroredStrategy(cross_device_ops=tf.distribute.HierarchicalCopyAllReduce()),
    tf.distribute.MirroredStrategy(cross_device_ops=tf.distribute.ReductionToOneDevice()),
):
    with strategy.scope():
        model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(1)])
        model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="mse")
    history = model.fit(x, y, batch_size=32, epochs=20, verbose=0)
    assert history.history["loss"][-1] < 1e-3, history.history["loss"][-1]

value = tf.distribute.MirroredStrategy().run(lambda: tf.constant([1.0, 2.0]))
reduced = tf.distribute.NcclAllReduce().reduce(
    tf.distribute.ReduceOp.SUM, value, destinations=value
)
np.testing.assert_allclose(reduced.numpy(), [1.0, 2.0])
try:
    tf.distribute.NcclAllReduce(num_packs=-1)
    raise AssertionError("num_packs=-1 accepted")
except ValueError as e:
    assert "num_packs" in str(e)
print("ok")
