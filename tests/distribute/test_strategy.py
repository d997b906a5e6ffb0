"""The strategy API in one process, and the pieces that need no peers."""

from __future__ import annotations

import threading

import numpy as np
import pytest

import gpuflow as tf
from gpuflow.distribute import bucketing, nccl
from gpuflow.distribute.communicator import LocalCommunicator
from gpuflow.distribute.strategy import Strategy


def test_scope_is_per_thread_and_nested():
    strategy = tf.distribute.MirroredStrategy(["/cpu:0"])
    assert not tf.distribute.has_strategy()
    assert tf.distribute.get_strategy().num_replicas_in_sync == 1
    seen = {}
    with strategy.scope():
        assert tf.distribute.get_strategy() is strategy and tf.distribute.has_strategy()
        thread = threading.Thread(target=lambda: seen.update(other=tf.distribute.has_strategy()))
        thread.start()
        thread.join()
        inner = Strategy()
        with inner.scope():
            assert tf.distribute.get_strategy() is inner
        assert tf.distribute.get_strategy() is strategy
    assert seen == {"other": False}
    assert not tf.distribute.has_strategy()


def test_one_worker_api():
    strategy = tf.distribute.MultiWorkerMirroredStrategy()
    assert strategy.num_replicas_in_sync == 1
    resolver = strategy.cluster_resolver
    assert resolver.task_id == 0 and resolver.task_type == "worker"
    out = strategy.run(lambda a, b: a * b, args=(tf.constant([1.0, 2.0]), 3.0))
    np.testing.assert_allclose(strategy.reduce("SUM", out, axis=None).numpy(), [3.0, 6.0])
    np.testing.assert_allclose(
        strategy.reduce(tf.distribute.ReduceOp.MEAN, out, axis=0).numpy(), 4.5
    )
    np.testing.assert_allclose(strategy.reduce("sum", out, axis=0).numpy(), 9.0)
    with pytest.raises(ValueError, match="reduce_op must be"):
        strategy.reduce("MAX", out)
    with pytest.raises(ValueError, match="axis 3 is out of range"):
        strategy.reduce("SUM", out, axis=3)
    with pytest.raises(TypeError, match="fn must be callable"):
        strategy.run(3)


def test_model_made_under_scope_keeps_the_strategy():
    strategy = tf.distribute.MirroredStrategy()
    with strategy.scope():
        model = tf.keras.Sequential([tf.keras.layers.Dense(2)])
    assert model.distribute_strategy is strategy
    assert (
        tf.keras.Sequential([tf.keras.layers.Dense(2)]).distribute_strategy
        is tf.distribute.get_strategy()
    )


def test_mirrored_strategy_devices_as_tf():
    assert tf.distribute.MirroredStrategy(["/gpu:0", "/gpu:1"]).num_replicas_in_sync == 2
    assert tf.distribute.MirroredStrategy([]).num_replicas_in_sync == 1  # as None
    with pytest.raises(AssertionError, match="No duplicates"):
        tf.distribute.MirroredStrategy(["cpu:0", "/device:CPU:0"])
    with pytest.raises(TypeError, match="list of device names"):
        tf.distribute.MirroredStrategy("/gpu:0")


class _TwoWorkers(LocalCommunicator):
    """Rank ``rank`` of two workers whose peer always sends what this one sends."""

    size = 2

    def __init__(self, rank):
        self.rank = rank
        self.sent = []

    def iallreduce_sum(self, array):
        return super().iallreduce_sum(2 * np.asarray(array))

    def broadcast(self, array, root=0):
        self.sent.append(np.array(array))
        return np.arange(128) if self.rank else array


def test_local_rows_split_a_global_batch_disjointly():
    rows = [Strategy(_TwoWorkers(r)).local_rows(7) for r in (0, 1)]
    assert rows == [slice(0, 4), slice(4, 7)]
    with pytest.raises(ValueError, match="batch of 1 rows cannot be split over 2 workers"):
        Strategy(_TwoWorkers(0)).local_rows(1)


def test_distribute_dataset_shards_or_says_why():
    class Sharded:
        def shard(self, num_shards, index):
            return ("shard", num_shards, index)

    strategy = Strategy(_TwoWorkers(1))
    assert strategy.experimental_distribute_dataset(Sharded()) == ("shard", 2, 1)
    with pytest.raises(TypeError, match="list has no shard"):
        strategy.experimental_distribute_dataset([1, 2])


def test_buckets_fill_in_reverse_order_per_dtype():
    sizes = [(10, np.float64), (10, np.float64), (10, np.float32), (100, np.float64)]
    assert bucketing.plan_buckets(sizes, bucket_bytes=160) == [[3], [2], [1, 0]]
    with pytest.raises(ValueError, match="bucket_bytes must be positive"):
        bucketing.plan_buckets(sizes, 0)


def test_bucketed_allreduce_weights_and_restores_shapes():
    device = tf.backend.get_device("cpu")
    grads = [np.ones((2, 3)), None, np.arange(4.0)]
    out = bucketing.allreduce_gradients(_TwoWorkers(0), grads, device, 0.25, bucket_bytes=40)
    np.testing.assert_array_equal(out[0], np.full((2, 3), 0.5))
    assert out[1] is None
    np.testing.assert_array_equal(out[2], np.arange(4.0) * 0.5)


def test_nccl_unique_id_comes_from_rank_0():
    made = []

    def make_id():
        made.append(1)
        return tuple(range(128))

    root, other = _TwoWorkers(0), _TwoWorkers(1)
    assert nccl.exchange_unique_id(root, make_id) == tuple(range(128))
    assert nccl.exchange_unique_id(other, make_id) == tuple(range(128))
    assert made == [1]  # only rank 0 asks NCCL for an id


def test_all_workers_true_is_one_decision():
    assert Strategy().all_workers_true(True) and not Strategy().all_workers_true(False)
    # the fake peer mirrors this worker: a False here is a False everywhere
    assert not Strategy(_TwoWorkers(0)).all_workers_true(False)
    assert Strategy(_TwoWorkers(0)).all_workers_true(True)


def test_default_strategy_reduce_passes_values_through_as_tf():
    default = tf.distribute.get_strategy()
    assert type(default).__name__ == "_DefaultDistributionStrategy"
    assert default.reduce("SUM", 1.0, axis=None) == 1.0
    assert type(default.reduce("SUM", 1.0, axis=None)) is float
    assert default.reduce("MEAN", [1.0, 2.0], axis=None) == [1.0, 2.0]
    assert default.extended.reduce_to("SUM", 2, "/cpu:0") == 2
    summed = default.reduce("SUM", tf.constant([1.0, 2.0]), axis=0)
    assert isinstance(summed, tf.Tensor) and float(summed) == 3.0
    with pytest.raises(ValueError):
        default.reduce("MAX", 1.0, axis=None)
    # a real strategy still gives a tensor
    one = tf.distribute.MirroredStrategy(["/cpu:0"]).reduce("SUM", 1.0, axis=None)
    assert isinstance(one, tf.Tensor) and float(one) == 1.0
