"""tf.distribute.OneDeviceStrategy: one replica, scope places on its device, run/reduce,
fit inside the scope."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf


def test_one_device_on_cpu_trains_and_reduces():
    strategy = tf.distribute.OneDeviceStrategy("/cpu:0")
    assert strategy.num_replicas_in_sync == 1
    with strategy.scope():
        assert tf.distribute.get_strategy() is strategy
        model = tf.keras.Sequential([tf.keras.layers.Input((3,)), tf.keras.layers.Dense(2)])
        model.compile("sgd", "mse")
    assert "CPU:0" in model.weights[0].device
    history = model.fit(np.ones((8, 3)), np.ones((8, 2)), epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    assert float(strategy.run(lambda x: x * 2, args=(tf.constant(1.5),))) == 3.0
    total = strategy.reduce(tf.distribute.ReduceOp.SUM, tf.constant([1.0, 2.0]), axis=0)
    assert float(total) == 3.0
    batches = strategy.experimental_distribute_dataset(tf.data.Dataset.range(4).batch(2))
    assert [b.numpy().tolist() for b in batches] == [[0, 1], [2, 3]]


def test_device_must_be_a_name():
    with pytest.raises(TypeError, match="device must be a device name"):
        tf.distribute.OneDeviceStrategy(0)
