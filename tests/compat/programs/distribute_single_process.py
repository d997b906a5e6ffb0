"""MirroredStrategy / MultiWorkerMirroredStrategy in one process: scope, compile, fit,
strategy.run + reduce (TF's distributed training guide, single worker)."""

import numpy as np
import tensorflow as tf
from tensorflow import keras

rng = np.random.default_rng(0)
x = rng.normal(size=(256, 8)).astype("float32")
y = (x[:, :1] * 2.0 - x[:, 1:2]).astype("float32")

for strategy in (
    tf.distribute.MirroredStrategy(["/cpu:0"]),
    tf.distribute.MultiWorkerMirroredStrategy(),
):
    assert strategy.num_replicas_in_sync == 1
    assert strategy.cluster_resolver is None or strategy.cluster_resolver.task_id in (0, None)
    with strategy.scope():
        assert tf.distribute.has_strategy()
        assert tf.distribute.get_strategy() is strategy
        model = keras.Sequential(
            [keras.Input((8,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(1)]
        )
        model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    assert not tf.distribute.has_strategy()
    history = model.fit(x, y, batch_size=32, epochs=5, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]

    def replica_fn(values):
        return values * 2.0

    per_replica = strategy.run(replica_fn, args=(tf.constant([1.0, 2.0, 3.0]),))
    total = strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica, axis=None)
    mean = strategy.reduce("MEAN", per_replica, axis=0)
    np.testing.assert_allclose(np.asarray(total), [2.0, 4.0, 6.0])
    np.testing.assert_allclose(float(mean), 4.0)

print("distribute_single_process: ok")
