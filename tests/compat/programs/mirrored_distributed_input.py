# Distributed input of a MirroredStrategy over two logical CPUs: element_spec as a
# tf.function input_signature, get_next_as_optional inside a tf.function loop, keeping
# track of which rows each replica got, and a generator-backed dataset.
import numpy as np
import tensorflow as tf

cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(
    cpu, [tf.config.LogicalDeviceConfiguration(), tf.config.LogicalDeviceConfiguration()]
)
strategy = tf.distribute.MirroredStrategy()
assert strategy.num_replicas_in_sync == 2


def parts(value):
    return [np.asarray(v).tolist() for v in strategy.experimental_local_results(value)]


# the element_spec of a distributed dataset as the signature of a compiled step
pairs = tf.data.Dataset.from_tensors(([2.0], [3.0])).repeat(12).batch(6)
dist_pairs = strategy.experimental_distribute_dataset(pairs)


@tf.function(input_signature=[dist_pairs.element_spec])
def affine(batch):
    return strategy.run(lambda b: b[1] - 0.5 * b[0], args=(batch,))


outputs = [affine(batch) for batch in dist_pairs]
assert len(outputs) == 2
for out in outputs:
    assert parts(out) == [[[2.0]] * 3, [[2.0]] * 3]
    assert float(strategy.reduce("SUM", out, axis=0)[0]) == 12.0

# stop a compiled loop early with get_next_as_optional
seen = tf.Variable(0, dtype=tf.int64)
iterator = iter(strategy.experimental_distribute_dataset(tf.data.Dataset.range(7).batch(4)))


@tf.function
def consume(it):
    for _ in tf.range(5):
        optional = it.get_next_as_optional()
        if not optional.has_value():
            break
        values = strategy.run(lambda x: tf.reduce_sum(x), args=(optional.get_value(),))
        seen.assign_add(strategy.reduce("SUM", values, axis=None))


consume(iterator)
assert int(seen.numpy()) == sum(range(7))

# index each row so the replicas' results can be put back in order
indexed = tf.data.Dataset.range(10).map(lambda i: (i, i * 3)).batch(4)
collected = {}
for index, value in strategy.experimental_distribute_dataset(indexed):
    idx, doubled = strategy.run(lambda i, v: (i, v * 2), args=(index, value))
    for ids, vals in zip(parts(idx), parts(doubled)):
        collected.update(zip(ids, vals))
assert collected == {i: i * 6 for i in range(10)}

# a dataset from a Python generator
rows = iter(np.arange(16, dtype=np.float32).reshape(8, 2))
from_gen = tf.data.Dataset.from_generator(
    lambda: rows, output_signature=tf.TensorSpec(shape=(2,), dtype=tf.float32)
).batch(4)
first = next(iter(strategy.experimental_distribute_dataset(from_gen)))
assert parts(first) == [[[0.0, 1.0], [2.0, 3.0]], [[4.0, 5.0], [6.0, 7.0]]]

# values from a function, fed back through run
ids = strategy.experimental_distribute_values_from_function(
    lambda ctx: tf.constant(ctx.replica_id_in_sync_group)
)
assert parts(strategy.run(lambda x: x + 10, args=(ids,))) == [10, 11]

print("mirrored_distributed_input OK")
