"""Distributed training guide: replica and cross-replica contexts, strategy.run with
all_reduce and merge_call, gather, local results, InputOptions."""

import tensorflow as tf

# outside any strategy: the default strategy's replica context
assert not tf.distribute.in_cross_replica_context()
default_context = tf.distribute.get_replica_context()
assert default_context.num_replicas_in_sync == 1
assert int(default_context.replica_id_in_sync_group) == 0

strategy = tf.distribute.MirroredStrategy()
replicas = strategy.num_replicas_in_sync
with strategy.scope():
    assert tf.distribute.in_cross_replica_context()
    assert tf.distribute.get_replica_context() is None
    weights = tf.Variable([1.0, 2.0])

    def replica_step(x):
        context = tf.distribute.get_replica_context()
        assert not tf.distribute.in_cross_replica_context()
        total = context.all_reduce(tf.distribute.ReduceOp.SUM, x * weights)
        return total, context.num_replicas_in_sync

    total, seen = strategy.run(replica_step, args=(tf.constant([3.0, 4.0]),))
    local = strategy.experimental_local_results(total)
    assert len(local) == replicas
    assert local[0].numpy().tolist() == [3.0 * replicas, 8.0 * replicas]
    assert (
        strategy.reduce(tf.distribute.ReduceOp.SUM, tf.constant(2.0), axis=None).numpy()
        == 2.0 * replicas
    )

options = tf.distribute.InputOptions(experimental_fetch_to_device=False)
dataset = strategy.experimental_distribute_dataset(tf.data.Dataset.range(8).batch(4), options)
batches = [strategy.experimental_local_results(batch)[0].numpy().tolist() for batch in dataset]
assert batches == [[0, 1, 2, 3], [4, 5, 6, 7]], batches  # one replica: the batches as they are
print("ok")
