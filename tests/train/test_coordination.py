"""tf.train.get_checkpoint_state, checkpoints_iterator, ClusterSpec, Coordinator."""

import os
import threading

import pytest

import gpuflow as tf


def test_checkpoint_state_and_iterator(tmp_path):
    ckpt = tf.train.Checkpoint(v=tf.Variable(1.0))
    manager = tf.train.CheckpointManager(ckpt, str(tmp_path), max_to_keep=2)
    for _ in range(3):
        manager.save()
    state = tf.train.get_checkpoint_state(str(tmp_path))
    assert os.path.basename(state.model_checkpoint_path) == "ckpt-3"
    assert [os.path.basename(p) for p in state.all_model_checkpoint_paths] == ["ckpt-2", "ckpt-3"]
    assert tf.train.get_checkpoint_state(str(tmp_path / "empty")) is None
    seen = list(tf.train.checkpoints_iterator(str(tmp_path), timeout=0.5))
    assert [os.path.basename(p) for p in seen] == ["ckpt-3"]


def test_checkpoints_iterator_sees_a_later_save(tmp_path):
    ckpt = tf.train.Checkpoint(v=tf.Variable(1.0))
    manager = tf.train.CheckpointManager(ckpt, str(tmp_path), max_to_keep=3)
    manager.save()
    calls = []

    def timeout_fn():  # first timeout: save one more and keep waiting; then stop
        calls.append(1)
        if len(calls) == 1:
            manager.save()
            return False
        return True

    seen = list(tf.train.checkpoints_iterator(str(tmp_path), timeout=0.3, timeout_fn=timeout_fn))
    assert [os.path.basename(p) for p in seen] == ["ckpt-1", "ckpt-2"]


def test_cluster_spec():
    spec = tf.train.ClusterSpec({"worker": ["w0:2222", "w1:2222"], "ps": {1: "ps1:2222"}})
    assert sorted(spec.jobs) == ["ps", "worker"]
    assert spec.num_tasks("worker") == 2 and spec.task_address("worker", 1) == "w1:2222"
    assert spec.as_dict() == {"worker": ["w0:2222", "w1:2222"], "ps": {1: "ps1:2222"}}
    assert spec.job_tasks("ps") == [None, "ps1:2222"]
    assert tf.train.ClusterSpec(spec) == spec
    with pytest.raises(ValueError, match="no such job 'chief'"):
        spec.num_tasks("chief")


def test_coordinator_stops_threads_and_reraises():
    coord = tf.train.Coordinator()

    def work(i):
        with coord.stop_on_exception():
            while not coord.should_stop():
                if i == 1:
                    raise ValueError("boom")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    with pytest.raises(ValueError, match="boom"):
        coord.join(threads)
    assert coord.should_stop() and coord.joined
    clean = tf.train.Coordinator()
    clean.request_stop(StopIteration())  # a clean stop: nothing re-raised
    clean.join([])
