"""tf.distribute.DistributedValues: Variables made in a mirroring strategy's scope are
mirrored (as TF's MirroredVariable); other variables, Keras variables and one replica's
results are not."""

from __future__ import annotations

import gc

import gpuflow as tf
from gpuflow.distribute import values


def test_variables_in_a_mirrored_scope_are_distributed_values():
    strategy = tf.distribute.MirroredStrategy()
    with strategy.scope():
        mirrored = tf.Variable(1.0)
    assert isinstance(mirrored, tf.distribute.DistributedValues)
    assert isinstance(mirrored, tf.Variable)
    assert not isinstance(tf.Variable(1.0), tf.distribute.DistributedValues)
    assert strategy.experimental_local_results(mirrored) == (mirrored,)


def test_one_device_keras_variables_and_replica_results_are_not():
    with tf.distribute.OneDeviceStrategy("/cpu:0").scope():
        single = tf.Variable(1.0)
    assert not isinstance(single, tf.distribute.DistributedValues)
    strategy = tf.distribute.MirroredStrategy()
    with strategy.scope():
        layer = tf.keras.layers.Dense(2)
        layer.build((None, 3))
    assert not isinstance(layer.kernel, tf.distribute.DistributedValues)
    result = strategy.run(lambda: tf.constant(2.0))
    assert not isinstance(result, tf.distribute.DistributedValues)


def test_variable_creator_scopes_still_apply_and_the_registry_forgets_dead_variables():
    seen = []

    def creator(next_creator, **kwargs):
        seen.append(kwargs["name"])
        return next_creator(**kwargs)

    with tf.distribute.MirroredStrategy().scope(), tf.variable_creator_scope(creator):
        v = tf.Variable(3.0, name="w")
    assert seen == ["w"] and isinstance(v, tf.distribute.DistributedValues)
    key = id(v)
    assert key in values._mirrored
    del v
    gc.collect()
    assert key not in values._mirrored
