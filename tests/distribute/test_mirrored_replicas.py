"""MirroredStrategy over several devices of one process: replicas run one after another
in their replica contexts; PerReplica values, local reductions, distributed datasets,
mirrored generator state and optimizer gradients summed over the replicas. Expected
values were checked on TensorFlow 2.21 with two logical CPUs."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf
from gpuflow.config import devices as config_devices
from gpuflow.config import settings
from gpuflow.distribute.per_replica import PerReplica


@pytest.fixture
def two_cpus():
    cpu = tf.config.list_physical_devices("CPU")[0]
    before = config_devices._logical_configs.get(cpu.name)
    tf.config.set_logical_device_configuration(
        cpu, [tf.config.LogicalDeviceConfiguration(), tf.config.LogicalDeviceConfiguration()]
    )
    yield tf.distribute.MirroredStrategy(["cpu:0", "cpu:1"])
    settings.set_logical_cpus(1)
    if before is None:
        config_devices._logical_configs.pop(cpu.name, None)
    else:
        config_devices._logical_configs[cpu.name] = before


def _local(strategy, value):
    return [v.numpy().tolist() for v in strategy.experimental_local_results(value)]


def test_logical_cpus_are_listed_and_the_default_devices_use_them(two_cpus):
    names = [d.name for d in tf.config.list_logical_devices("CPU")]
    assert names == ["/device:CPU:0", "/device:CPU:1"]
    assert tf.distribute.MirroredStrategy().num_replicas_in_sync == 2
    assert tf.distribute.MirroredStrategy([]).num_replicas_in_sync == 2  # TF: [] as None
    logical = tf.config.list_logical_devices("CPU")
    assert tf.distribute.MirroredStrategy(logical).num_replicas_in_sync == 2
    with tf.device("cpu:1"):  # a logical CPU: no soft-placement fallback
        assert float(tf.constant(1.0) + 1.0) == 2.0


def test_run_gives_each_replica_its_id_and_its_part_of_per_replica_arguments(two_cpus):
    strategy = two_cpus
    ids = strategy.run(lambda: tf.distribute.get_replica_context().replica_id_in_sync_group)
    assert isinstance(ids, PerReplica) and isinstance(ids, tf.distribute.DistributedValues)
    assert _local(strategy, ids) == [0, 1]
    values = strategy.experimental_distribute_values_from_function(
        lambda ctx: tf.constant([ctx.replica_id_in_sync_group * 10.0, ctx.num_replicas_in_sync])
    )
    doubled = strategy.run(lambda v, scale: v * scale, args=(values,), kwargs={"scale": 2.0})
    assert _local(strategy, doubled) == [[0.0, 4.0], [20.0, 4.0]]
    inside = strategy.run(lambda: tf.distribute.get_strategy())  # TF: the running one
    assert inside is strategy and not tf.distribute.has_strategy()
    shared = tf.constant(3.0)
    assert strategy.run(lambda: shared) is shared  # the same object on every replica
    assert strategy.experimental_local_results(shared) == (shared,)
    pair = strategy.run(lambda v: (v, v + 1), args=(values,))
    assert isinstance(pair, tuple) and all(isinstance(p, PerReplica) for p in pair)
    assert "PerReplica:{\n  0: tf.Tensor(" in str(doubled)


def test_reduce_and_gather_combine_the_replicas_locally(two_cpus):
    strategy = two_cpus
    values = strategy.experimental_distribute_values_from_function(
        lambda ctx: tf.constant([1.0, 2.0]) * (ctx.replica_id_in_sync_group + 1)
    )
    np.testing.assert_allclose(strategy.reduce("SUM", values, axis=None).numpy(), [3.0, 6.0])
    np.testing.assert_allclose(strategy.reduce("MEAN", values, axis=None).numpy(), [1.5, 3.0])
    assert float(strategy.reduce(tf.distribute.ReduceOp.SUM, values, axis=0)) == 9.0
    assert float(strategy.reduce(tf.distribute.ReduceOp.MEAN, values, axis=0)) == 2.25
    # a value that is not per replica counts as every replica's
    assert float(strategy.reduce("SUM", tf.constant(2.0), axis=None)) == 4.0
    assert strategy.gather(values, axis=0).numpy().tolist() == [1.0, 2.0, 2.0, 4.0]
    with pytest.raises(ValueError, match="axis 1 is out of range"):
        strategy.reduce("SUM", values, axis=1)
    with pytest.raises(NotImplementedError, match="strategy.reduce"):
        strategy.run(lambda: tf.distribute.get_replica_context().all_reduce("SUM", 1.0))


def test_distributed_dataset_splits_each_global_batch_as_tf(two_cpus):
    strategy = two_cpus
    for batch, expected in [
        (4, [[[0, 1], [2, 3]], [[4, 5], [6, 7]], [[8], []]]),
        (5, [[[0, 1, 2], [3, 4]], [[5, 6], [7, 8]]]),
    ]:
        dist = strategy.experimental_distribute_dataset(tf.data.Dataset.range(9).batch(batch))
        assert [_local(strategy, x) for x in dist] == expected
    dist = strategy.experimental_distribute_dataset(tf.data.Dataset.range(4).batch(2))
    assert "PerReplicaSpec(TensorSpec(shape=(None,), dtype=tf.int64" in repr(dist.element_spec)
    iterator = iter(dist)
    assert _local(strategy, iterator.get_next()) == [[0], [1]]
    assert iterator.get_next_as_optional().has_value()
    assert not iterator.get_next_as_optional().has_value()

    seen = []

    def dataset_fn(ctx):
        seen.append((ctx.num_input_pipelines, ctx.input_pipeline_id, ctx.num_replicas_in_sync))
        return tf.data.Dataset.range(8).batch(ctx.get_per_replica_batch_size(4))

    dist = strategy.distribute_datasets_from_function(dataset_fn)
    assert [_local(strategy, x) for x in dist] == [[[0, 1], [2, 3]], [[4, 5], [6, 7]]]
    assert seen == [(1, 0, 2)]


def test_run_inside_a_function_with_an_input_signature(two_cpus):
    strategy = two_cpus
    dist = strategy.experimental_distribute_dataset(
        tf.data.Dataset.from_tensors(([1.0], [2.0])).repeat(8).batch(4)
    )

    @tf.function(input_signature=[dist.element_spec])
    def step(inputs):
        return strategy.run(lambda pair: pair[1] - 0.5 * pair[0], args=(inputs,))

    for element in dist:
        out = step(element)
        assert [v.shape for v in strategy.experimental_local_results(out)] == [(2, 1), (2, 1)]
        assert float(strategy.reduce("SUM", out, axis=0)[0]) == 6.0


def _train(strategy, x, y, steps, compiled):
    with strategy.scope():
        model = tf.keras.Sequential(
            [tf.keras.Input((3,)), tf.keras.layers.Dense(2, kernel_initializer="ones")]
        )
        optimizer = tf.keras.optimizers.SGD(0.1)
    dist = strategy.experimental_distribute_dataset(
        tf.data.Dataset.from_tensor_slices((x, y)).batch(4)
    )

    def replica_step(inputs):
        xb, yb = inputs
        with tf.GradientTape() as tape:
            per_example = tf.reduce_sum((model(xb) - yb) ** 2, axis=1)
            loss = tf.nn.compute_average_loss(per_example)
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    def step(inputs):
        return strategy.reduce("SUM", strategy.run(replica_step, args=(inputs,)), axis=None)

    step = tf.function(step) if compiled else step
    losses = [float(step(b)) for b in list(dist)[:steps]]
    return losses, model.get_weights(), int(optimizer.iterations.numpy())


@pytest.mark.parametrize("compiled", [False, True])
def test_custom_loop_with_two_replicas_matches_one_replica(two_cpus, compiled):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(8, 3)).astype("float32")
    y = rng.normal(size=(8, 2)).astype("float32")
    one = _train(tf.distribute.MirroredStrategy(["cpu:0"]), x, y, 2, compiled)
    two = _train(two_cpus, x, y, 2, compiled)
    np.testing.assert_allclose(one[0], two[0], rtol=1e-5)
    for a, b in zip(one[1], two[1]):
        np.testing.assert_allclose(a, b, rtol=1e-5)
    assert one[2] == two[2] == 2  # one update per step, not one per replica


def test_replicas_must_apply_gradients_alike(two_cpus):
    strategy = two_cpus
    with strategy.scope():
        v = tf.Variable(1.0)
        optimizer = tf.keras.optimizers.SGD(1.0)

    def only_first():
        if int(tf.distribute.get_replica_context().replica_id_in_sync_group) == 0:
            optimizer.apply_gradients([(tf.constant(1.0), v)])

    with pytest.raises(RuntimeError, match="different number of times"):
        strategy.run(only_first)


def test_fit_with_two_replicas_matches_one_replica(two_cpus):
    rng = np.random.default_rng(2)
    x = rng.normal(size=(16, 3)).astype("float32")
    y = rng.normal(size=(16, 1)).astype("float32")
    results = []
    for strategy in (tf.distribute.MirroredStrategy(["cpu:0"]), two_cpus):
        with strategy.scope():
            model = tf.keras.Sequential(
                [tf.keras.Input((3,)), tf.keras.layers.Dense(1, kernel_initializer="ones")]
            )
            model.compile(optimizer=tf.keras.optimizers.SGD(0.05), loss="mse")
        history = model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
        results.append((history.history["loss"], model.get_weights()[0]))
    np.testing.assert_allclose(results[0][0], results[1][0], rtol=1e-6)
    np.testing.assert_allclose(results[0][1], results[1][1], rtol=1e-6)


def test_average_and_regularization_losses_scale_by_the_replicas(two_cpus):
    strategy = two_cpus
    out = strategy.run(lambda: tf.nn.compute_average_loss(tf.constant([1.0, 3.0])))
    assert _local(strategy, out) == [1.0, 1.0]  # 4 / (2 rows x 2 replicas)
    out = strategy.run(lambda: tf.nn.scale_regularization_loss(tf.constant(3.0)))
    assert _local(strategy, out) == [1.5, 1.5]
    with strategy.scope(), pytest.raises(RuntimeError, match="cross replica context"):
        tf.nn.compute_average_loss(tf.constant([1.0]))


def test_generators_made_under_the_strategy_give_each_replica_its_stream(two_cpus):
    strategy = two_cpus
    with strategy.scope():
        g = tf.random.Generator.from_seed(1)
    first = _local(strategy, strategy.run(lambda: g.normal([])))
    second = _local(strategy, strategy.run(lambda: g.normal([])))
    assert first[0] != first[1] and second[0] != second[1]

    def fresh():  # made inside each replica with one seed: the same streams as above
        h = tf.random.Generator.from_seed(1)
        return tf.stack([h.normal([]), h.normal([])])

    both = _local(strategy, strategy.run(fresh))
    np.testing.assert_allclose(both, np.transpose([first, second]), rtol=1e-6)
    outside = tf.random.Generator.from_seed(1)  # no strategy: one stream, drawn in turn
    drawn = _local(strategy, strategy.run(lambda: outside.normal([])))
    plain = tf.random.Generator.from_seed(1)
    np.testing.assert_allclose(drawn, [float(plain.normal([])), float(plain.normal([]))])


def test_central_storage_strategy_runs_one_replica_without_gpus():
    strategy = tf.distribute.experimental.CentralStorageStrategy()
    assert strategy.num_replicas_in_sync == 1
    assert float(strategy.run(lambda: tf.constant(2.0) * 2)) == 4.0


@pytest.mark.parametrize(
    "aggregation, expected",
    [  # start 1.0; replica r adds r + 1, then assigns r + 5 (TF 2.21's results)
        (None, (2.0, 5.0)),
        ("SUM", (4.0, 11.0)),
        ("MEAN", (2.5, 5.5)),
        ("ONLY_FIRST_REPLICA", (2.0, 5.0)),
    ],
)
def test_replica_updates_of_mirrored_variables_combine_by_aggregation(
    two_cpus, aggregation, expected
):
    strategy = two_cpus
    kwargs = {} if aggregation is None else {"aggregation": aggregation}
    with strategy.scope():
        v = tf.Variable(1.0, **kwargs)

    def replica_id():
        return tf.cast(tf.distribute.get_replica_context().replica_id_in_sync_group, tf.float32)

    seen = strategy.run(lambda: v.assign_add(replica_id() + 1.0).read_value())
    assert float(v.numpy()) == expected[0]
    assert _local(strategy, seen)[1] == expected[0]  # the last replica reads the result
    strategy.run(lambda: v.assign(replica_id() + 5.0))
    assert float(v.numpy()) == expected[1]
    v.assign(10.0)  # cross-replica: as it is
    assert float(v.numpy()) == 10.0


def test_replica_updates_in_a_function_and_of_plain_variables(two_cpus):
    strategy = two_cpus
    with strategy.scope():
        total = tf.Variable(0.0, aggregation=tf.VariableAggregation.SUM)
    plain = tf.Variable(0.0)  # not mirrored: each replica's update, in turn

    @tf.function
    def step():
        return strategy.run(lambda: (total.assign_add(1.0), plain.assign_add(1.0)))

    step()
    step()
    assert float(total.numpy()) == 4.0 and float(plain.numpy()) == 4.0

    def only_first():
        if int(tf.distribute.get_replica_context().replica_id_in_sync_group) == 0:
            total.assign_add(1.0)

    with pytest.raises(RuntimeError, match="updated by some replicas"):
        strategy.run(only_first)


def test_extended_reduce_to_update_and_call_for_each_replica(two_cpus):
    strategy = two_cpus
    per_replica = strategy.experimental_distribute_values_from_function(
        lambda ctx: tf.constant(float(ctx.replica_id_in_sync_group + 1))
    )
    extended = strategy.extended
    total = extended.reduce_to("SUM", per_replica, destinations=per_replica)
    assert repr(total).startswith("Mirrored:{") and _local(strategy, total) == [3.0, 3.0]
    pairs = [(per_replica, per_replica), (per_replica, per_replica)]
    means = extended.batch_reduce_to("MEAN", pairs)
    assert [_local(strategy, m) for m in means] == [[1.5, 1.5], [1.5, 1.5]]
    with strategy.scope():
        v = tf.Variable(1.0)
    extended.update(v, lambda var, delta: var.assign_add(delta), args=(2.0,))
    assert float(v.numpy()) == 3.0
    ids = extended.call_for_each_replica(
        lambda: tf.distribute.get_replica_context().replica_id_in_sync_group
    )
    assert _local(strategy, ids) == [0, 1]


def test_devices_from_any_iterable_and_run_options(two_cpus):
    strategy = tf.distribute.MirroredStrategy(name for name in ["cpu:0", "cpu:1"])
    assert strategy.num_replicas_in_sync == 2
    with pytest.raises(TypeError, match="LogicalDevice"):
        tf.distribute.MirroredStrategy([0])
    options = tf.distribute.RunOptions()
    for s in (strategy, tf.distribute.MirroredStrategy(["cpu:0"]), tf.distribute.get_strategy()):
        out = s.run(lambda x: x + 1.0, args=(tf.constant(1.0),), options=options)
        expected = [2.0] * s.num_replicas_in_sync
        assert [float(v) for v in s.experimental_local_results(out)] == expected
