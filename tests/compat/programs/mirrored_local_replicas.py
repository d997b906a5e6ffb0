# MirroredStrategy over two logical CPUs of one process: replica ids, PerReplica results,
# reduce/gather, datasets split per replica, values from a function, a custom training
# loop in tf.function and Keras fit that match one replica on the same global batch, and
# per-replica random streams of a generator made in the scope, and replica updates of
# mirrored variables.
import numpy as np
import tensorflow as tf

cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(
    cpu, [tf.config.LogicalDeviceConfiguration(), tf.config.LogicalDeviceConfiguration()]
)
assert len(tf.config.list_logical_devices("CPU")) == 2

two = tf.distribute.MirroredStrategy(["cpu:0", "cpu:1"])
one = tf.distribute.MirroredStrategy(["cpu:0"])
assert two.num_replicas_in_sync == 2 and one.num_replicas_in_sync == 1
assert tf.distribute.MirroredStrategy().num_replicas_in_sync == 2  # every logical CPU
assert tf.distribute.MirroredStrategy([]).num_replicas_in_sync == 2
assert tf.distribute.MirroredStrategy(["/gpu:0", "/gpu:1"]).num_replicas_in_sync == 2
try:
    tf.distribute.MirroredStrategy(["cpu:0", "cpu:0"])
    raise SystemExit("duplicate devices were accepted")
except AssertionError:
    pass


def local(strategy, value):
    return [np.asarray(v).tolist() for v in strategy.experimental_local_results(value)]


# replica contexts and PerReplica values
ids = two.run(lambda: tf.distribute.get_replica_context().replica_id_in_sync_group)
assert isinstance(ids, tf.distribute.DistributedValues)
assert local(two, ids) == [0, 1]
per_replica = two.experimental_distribute_values_from_function(
    lambda ctx: tf.constant([1.0, 2.0]) * float(ctx.replica_id_in_sync_group + 1)
)
assert local(two, per_replica) == [[1.0, 2.0], [2.0, 4.0]]
tripled = two.run(lambda v: v * 3.0, args=(per_replica,))
assert local(two, tripled) == [[3.0, 6.0], [6.0, 12.0]]
np.testing.assert_allclose(two.reduce("SUM", per_replica, axis=None), [3.0, 6.0])
np.testing.assert_allclose(two.reduce("MEAN", per_replica, axis=None), [1.5, 3.0])
assert float(two.reduce(tf.distribute.ReduceOp.SUM, per_replica, axis=0)) == 9.0
assert float(two.reduce(tf.distribute.ReduceOp.MEAN, per_replica, axis=0)) == 2.25
assert two.gather(per_replica, axis=0).numpy().tolist() == [1.0, 2.0, 2.0, 4.0]
on_each = two.extended.reduce_to("SUM", per_replica, destinations=per_replica)
assert local(two, on_each) == [[3.0, 6.0], [3.0, 6.0]]
constant = tf.constant(5)
assert len(two.experimental_local_results(constant)) == 1

# each global batch split over the replicas, a short last batch included
ranges = two.experimental_distribute_dataset(tf.data.Dataset.range(7).batch(3))
assert [local(two, b) for b in ranges] == [[[0, 1], [2]], [[3, 4], [5]], [[6], []]]


def per_replica_batches(ctx):
    assert (ctx.num_input_pipelines, ctx.num_replicas_in_sync) == (1, 2)
    return tf.data.Dataset.range(6).batch(ctx.get_per_replica_batch_size(6))


from_fn = two.distribute_datasets_from_function(per_replica_batches)
assert [local(two, b) for b in from_fn] == [[[0, 1, 2], [3, 4, 5]]]

# a custom training loop: two replicas give one replica's result on the same global batch
rng = np.random.default_rng(7)
features = rng.normal(size=(12, 3)).astype("float32")
targets = rng.normal(size=(12, 1)).astype("float32")


def custom_loop(strategy):
    with strategy.scope():
        model = tf.keras.Sequential(
            [tf.keras.Input((3,)), tf.keras.layers.Dense(1, kernel_initializer="ones")]
        )
        optimizer = tf.keras.optimizers.SGD(0.1)
    batches = strategy.experimental_distribute_dataset(
        tf.data.Dataset.from_tensor_slices((features, targets)).batch(6)
    )

    def replica_step(batch):
        x, y = batch
        with tf.GradientTape() as tape:
            loss = tf.nn.compute_average_loss(tf.reduce_sum((model(x) - y) ** 2, axis=1))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    @tf.function
    def step(batch):
        return strategy.reduce("SUM", strategy.run(replica_step, args=(batch,)), axis=None)

    losses = [float(step(b)) for b in batches]
    return losses, model.get_weights()[0], int(optimizer.iterations.numpy())


loop_one, loop_two = custom_loop(one), custom_loop(two)
np.testing.assert_allclose(loop_one[0], loop_two[0], rtol=1e-5)
np.testing.assert_allclose(loop_one[1], loop_two[1], rtol=1e-5)
assert loop_one[2] == loop_two[2] == 2

# Keras fit under the scope
fitted = []
for strategy in (one, two):
    with strategy.scope():
        net = tf.keras.Sequential(
            [tf.keras.Input((3,)), tf.keras.layers.Dense(1, kernel_initializer="ones")]
        )
        net.compile(optimizer=tf.keras.optimizers.SGD(0.05), loss="mse")
    hist = net.fit(features, targets, batch_size=6, epochs=2, shuffle=False, verbose=0)
    fitted.append((hist.history["loss"], net.get_weights()[0]))
np.testing.assert_allclose(fitted[0][0], fitted[1][0], rtol=1e-5)
np.testing.assert_allclose(fitted[0][1], fitted[1][1], rtol=1e-5)

# a generator made in the scope: a stream per replica, the state mirrored
with two.scope():
    gen = tf.random.Generator.from_seed(3)
draw1 = local(two, two.run(lambda: gen.normal([])))
draw2 = local(two, two.run(lambda: gen.normal([])))
assert draw1[0] != draw1[1]


def two_draws():
    g = tf.random.Generator.from_seed(3)
    return tf.stack([g.normal([]), g.normal([])])


np.testing.assert_allclose(local(two, two.run(two_draws)), np.transpose([draw1, draw2]), rtol=1e-6)

# replica updates of variables made in the scope combine by their aggregation
with two.scope():
    counter = tf.Variable(0.0, aggregation=tf.VariableAggregation.SUM)
    average = tf.Variable(0.0, aggregation=tf.VariableAggregation.MEAN)


def replica_number():
    return tf.cast(tf.distribute.get_replica_context().replica_id_in_sync_group, tf.float32)


two.run(lambda: counter.assign_add(replica_number() + 1.0))
two.run(lambda: average.assign(replica_number() * 4.0))
assert float(counter.numpy()) == 3.0 and float(average.numpy()) == 2.0
assert len(two.experimental_local_results(counter)) == 2

print("mirrored_local_replicas OK")
