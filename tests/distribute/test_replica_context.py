"""tf.distribute replica / cross-replica contexts in one process (as TensorFlow)."""

import pytest

import gpuflow as tf


def test_default_replica_context_outside_any_scope():
    assert not tf.distribute.in_cross_replica_context()
    ctx = tf.distribute.get_replica_context()
    assert ctx is not None and ctx.num_replicas_in_sync == 1
    assert int(ctx.replica_id_in_sync_group) == 0
    assert tf.distribute.get_cross_replica_context() is None


def test_scope_is_cross_replica_and_run_is_a_replica():
    strategy = tf.distribute.MirroredStrategy()
    with strategy.scope():
        assert tf.distribute.in_cross_replica_context()
        assert tf.distribute.get_replica_context() is None
        assert tf.distribute.get_cross_replica_context() is strategy

        def replica_fn(x):
            ctx = tf.distribute.get_replica_context()
            assert not tf.distribute.in_cross_replica_context()
            merged = ctx.merge_call(lambda s, v: s.reduce("SUM", v, axis=None), args=(x,))
            return ctx.all_reduce(tf.distribute.ReduceOp.MEAN, x), merged

        mean, merged = strategy.run(replica_fn, args=(tf.constant([1.0, 3.0]),))
        assert mean.numpy().tolist() == [1.0, 3.0] and merged.numpy().tolist() == [1.0, 3.0]
        assert strategy.experimental_local_results(mean)[0] is mean
        assert strategy.gather(tf.constant([[1.0], [2.0]]), axis=0).numpy().tolist() == [
            [1.0],
            [2.0],
        ]
        with pytest.raises(ValueError, match="gather: axis 2 is out of range"):
            strategy.gather(tf.constant([[1.0]]), axis=2)


def test_experimental_set_strategy_and_input_options():
    strategy = tf.distribute.MirroredStrategy()
    tf.distribute.experimental_set_strategy(strategy)
    try:
        assert tf.distribute.has_strategy() and tf.distribute.get_strategy() is strategy
    finally:
        tf.distribute.experimental_set_strategy(None)
    assert not tf.distribute.has_strategy()
    options = tf.distribute.InputOptions(experimental_fetch_to_device=False)
    ds = strategy.experimental_distribute_dataset(tf.data.Dataset.range(4).batch(2), options)
    assert [b.numpy().tolist() for b in ds] == [[0, 1], [2, 3]]
    assert options.experimental_replication_mode is tf.distribute.InputReplicationMode.PER_WORKER
