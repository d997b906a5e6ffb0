"""TF_CONFIG, the cluster resolvers and the cross-device ops objects (one process)."""

import json

import numpy as np
import pytest

import gpuflow as gf

CLUSTER = {"chief": ["h:1"], "worker": ["h:2", "h:3"]}


@pytest.fixture
def tf_config(monkeypatch):
    def set_config(config):
        monkeypatch.setenv("TF_CONFIG", json.dumps(config))

    return set_config


def test_tf_config_resolver_reads_cluster_and_task(tf_config):
    tf_config({"cluster": CLUSTER, "task": {"type": "worker", "index": 1}, "rpc_layer": "grpc"})
    r = gf.distribute.cluster_resolver.TFConfigClusterResolver()
    assert (r.task_type, r.task_id, r.rpc_layer) == ("worker", 1, "grpc")
    assert r.cluster_spec().as_dict() == CLUSTER
    assert r.master() == "grpc://h:3"
    assert r.master("chief", 0, rpc_layer="") == "h:1"
    assert r.num_workers == 3 and not r.is_chief


def test_tf_config_resolver_arguments_override_the_file(tf_config):
    tf_config({"cluster": CLUSTER, "task": {"type": "worker", "index": 1}})
    r = gf.distribute.cluster_resolver.TFConfigClusterResolver(task_type="chief", task_id=0)
    assert (r.task_type, r.task_id, r.is_chief) == ("chief", 0, True)


def test_tf_config_resolver_without_tf_config(monkeypatch):
    monkeypatch.delenv("TF_CONFIG", raising=False)
    r = gf.distribute.cluster_resolver.TFConfigClusterResolver()
    assert r.task_type is None and r.task_id is None
    assert r.cluster_spec().as_dict() == {} and r.master() == ""


def test_bad_tf_config_names_the_variable(monkeypatch):
    monkeypatch.setenv("TF_CONFIG", "{not json")
    with pytest.raises(ValueError, match="TF_CONFIG is not valid JSON"):
        gf.distribute.cluster_resolver.TFConfigClusterResolver()


def test_simple_cluster_resolver():
    spec = gf.train.ClusterSpec({"worker": ["a:1", "b:2"]})
    r = gf.distribute.cluster_resolver.SimpleClusterResolver(
        spec, master="a:1", task_type="worker", task_id=0, num_accelerators={"GPU": 2}
    )
    assert r.cluster_spec() == spec and r.master() == "a:1" and r.is_chief
    assert r.num_accelerators() == {"GPU": 2} and r.num_workers == 2


def test_multi_worker_strategy_refuses_a_larger_tf_config_cluster(tf_config):
    # started without mpiexec, each worker would otherwise train alone without saying so
    tf_config({"cluster": {"worker": ["h:1", "h:2"]}, "task": {"type": "worker", "index": 0}})
    with pytest.raises(ValueError, match=r"TF_CONFIG describes 2 workers.*mpiexec -n 2"):
        gf.distribute.MultiWorkerMirroredStrategy()


def test_multi_worker_strategy_with_a_one_worker_tf_config(tf_config):
    tf_config({"cluster": {"worker": ["localhost:1"]}, "task": {"type": "worker", "index": 0}})
    ring = gf.distribute.experimental.CommunicationImplementation.RING
    options = gf.distribute.experimental.CommunicationOptions(implementation=ring)
    assert options.implementation is ring
    strategy = gf.distribute.MultiWorkerMirroredStrategy(communication_options=options)
    assert strategy.num_replicas_in_sync == 1
    assert strategy.cluster_resolver.task_type == "worker"
    assert strategy.cluster_resolver.task_id == 0
    # the multi-worker custom-loop tutorial reads the spec to find the chief
    spec = strategy.cluster_resolver.cluster_spec()
    assert spec.as_dict() == {"worker": ["localhost:1"]} and "chief" not in spec.as_dict()
    assert strategy.cluster_resolver.master() == ""


def test_multi_worker_strategy_cluster_spec_without_tf_config(monkeypatch):
    monkeypatch.delenv("TF_CONFIG", raising=False)
    resolver = gf.distribute.MultiWorkerMirroredStrategy().cluster_resolver
    assert resolver.cluster_spec().as_dict() == {}  # TF's, for a single worker
    spec = gf.distribute.cluster_resolver.ClusterResolver(task_id=1, num_workers=3).cluster_spec()
    assert spec.num_tasks("worker") == 3 and spec.jobs == ["worker"]


def test_collective_communication_is_the_old_name():
    experimental = gf.distribute.experimental
    assert experimental.CollectiveCommunication is experimental.CommunicationImplementation
    options = experimental.CommunicationOptions(implementation="nccl")
    assert options.implementation is experimental.CommunicationImplementation.NCCL


@pytest.mark.parametrize(
    "ops",
    [
        gf.distribute.NcclAllReduce(),
        gf.distribute.HierarchicalCopyAllReduce(num_packs=2),
        gf.distribute.ReductionToOneDevice(),
    ],
)
def test_cross_device_ops_in_a_mirrored_strategy(ops):
    strategy = gf.distribute.MirroredStrategy(cross_device_ops=ops)
    with strategy.scope():
        value = strategy.run(lambda: gf.constant([1.0, 2.0]))
    for op in (gf.distribute.ReduceOp.SUM, "MEAN"):
        np.testing.assert_array_equal(ops.reduce(op, value, destinations=value), [1.0, 2.0])
    (reduced,) = ops.batch_reduce("SUM", [(value, value)])
    np.testing.assert_array_equal(reduced, [1.0, 2.0])
    assert isinstance(ops, gf.distribute.CrossDeviceOps)


def test_cross_device_ops_errors():
    with pytest.raises(ValueError, match="NCCL all-reduce requires num_packs >= 0, but -1"):
        gf.distribute.NcclAllReduce(num_packs=-1)
    with pytest.raises(ValueError, match="NcclAllReduce.reduce: reduce_op must be"):
        gf.distribute.NcclAllReduce().reduce("MAX", gf.constant(1.0))
    with pytest.raises(TypeError, match="accumulation_fn must be callable"):
        gf.distribute.ReductionToOneDevice(accumulation_fn=3)


def test_master_rpc_layer_rules_as_tf(tf_config):
    # TFConfigClusterResolver: rpc_layer="" means none; SimpleClusterResolver falls back
    tf_config({"cluster": CLUSTER, "task": {"type": "worker", "index": 1}, "rpc_layer": "grpc"})
    r = gf.distribute.cluster_resolver.TFConfigClusterResolver()
    assert r.master(rpc_layer="x") == "x://h:3"
    s = gf.distribute.cluster_resolver.SimpleClusterResolver(
        r.cluster_spec(), master="a:1", rpc_layer="grpc"
    )
    assert s.master() == "grpc://a:1" and s.master(rpc_layer="") == "grpc://a:1"
    assert s.master("chief", 0) == "grpc://h:1"
