"""tf.train.CheckpointManager, latest_checkpoint, list_variables, load_checkpoint."""

from __future__ import annotations

import os

import numpy as np
import pytest

import gpuflow as tf


def test_manager_numbers_prunes_and_lists(tmp_path):
    v = tf.Variable(0.0)
    manager = tf.train.CheckpointManager(tf.train.Checkpoint(v=v), str(tmp_path), max_to_keep=2)
    assert manager.latest_checkpoint is None and manager.checkpoints == []
    paths = []
    for step in range(4):
        v.assign(float(step))
        paths.append(manager.save())
    assert paths == [os.path.join(str(tmp_path), f"ckpt-{i}") for i in (1, 2, 3, 4)]
    assert manager.checkpoints == paths[2:]
    assert manager.latest_checkpoint == paths[-1]
    assert not os.path.exists(paths[0] + ".index") and os.path.exists(paths[2] + ".index")
    assert tf.train.latest_checkpoint(str(tmp_path)) == paths[-1]
    # A new manager on the same directory picks up the kept checkpoints.
    again = tf.train.CheckpointManager(tf.train.Checkpoint(v=v), str(tmp_path), max_to_keep=2)
    assert again.checkpoints == paths[2:]


def test_manager_checkpoint_number_and_name(tmp_path):
    ckpt = tf.train.Checkpoint(v=tf.Variable(1.0))
    manager = tf.train.CheckpointManager(
        ckpt, str(tmp_path / "d"), max_to_keep=None, checkpoint_name="model"
    )
    assert manager.save(checkpoint_number=100).endswith("model-100")
    assert manager.save(checkpoint_number=tf.constant(7)).endswith("model-7")
    assert len(manager.checkpoints) == 2


def test_manager_keep_every_n_hours_preserves(tmp_path, monkeypatch):
    import gpuflow.train.manager as manager_module

    clock = [1000.0]
    monkeypatch.setattr(manager_module.time, "time", lambda: clock[0])
    manager = tf.train.CheckpointManager(
        tf.train.Checkpoint(v=tf.Variable(1.0)),
        str(tmp_path),
        max_to_keep=1,
        keep_checkpoint_every_n_hours=1,
    )
    first = manager.save()
    clock[0] += 2 * 3600
    second = manager.save()
    clock[0] += 60
    third = manager.save()
    # ckpt-1 was saved when the manager started (the last preserved time): deleted;
    # ckpt-2 came 2 hours later: preserved on disk, no longer managed.
    assert not os.path.exists(first + ".index")
    assert os.path.exists(second + ".index")
    assert manager.checkpoints == [third]


def test_manager_restore_or_initialize_and_interval(tmp_path):
    calls = []
    step = tf.Variable(0, dtype="int64")
    manager = tf.train.CheckpointManager(
        tf.train.Checkpoint(step=step),
        str(tmp_path),
        max_to_keep=3,
        step_counter=step,
        checkpoint_interval=5,
        init_fn=lambda: calls.append(1),
    )
    assert manager.restore_or_initialize() is None and calls == [1]
    saved = []
    for i in range(12):
        step.assign(i)
        saved.append(manager.save())
    assert [p is not None for p in saved].count(True) == 3  # steps 0, 5, 10
    # numbered by the save count, not the step (TensorFlow 2.21)
    assert [p[-6:] for p in saved if p] == ["ckpt-1", "ckpt-2", "ckpt-3"]
    assert manager.latest_checkpoint.endswith("ckpt-3")
    step.assign(0)
    assert manager.restore_or_initialize().endswith("ckpt-3") and int(step.numpy()) == 10
    step.assign(11)  # check_interval=False saves early, but never twice at one step
    assert manager.save(check_interval=False).endswith("ckpt-4")
    assert manager.save(check_interval=False) is None
    with pytest.raises(ValueError, match="max_to_keep"):
        tf.train.CheckpointManager(tf.train.Checkpoint(), str(tmp_path), max_to_keep=0)


def test_reader_and_list_variables(tmp_path):
    w = tf.Variable(np.arange(6, dtype="float32").reshape(2, 3))
    path = tf.train.Checkpoint(w=w, n=tf.Variable(np.int64(5))).save(str(tmp_path / "r"))
    reader = tf.train.load_checkpoint(str(tmp_path))
    np.testing.assert_array_equal(reader.get_tensor("w/.ATTRIBUTES/VARIABLE_VALUE"), w.numpy())
    assert reader.get_tensor("n/.ATTRIBUTES/VARIABLE_VALUE") == 5
    assert reader.has_tensor("w/.ATTRIBUTES/VARIABLE_VALUE")
    assert reader.get_variable_to_shape_map()["w/.ATTRIBUTES/VARIABLE_VALUE"] == [2, 3]
    assert reader.get_variable_to_dtype_map()["w/.ATTRIBUTES/VARIABLE_VALUE"] == tf.float32
    names = [name for name, _ in tf.train.list_variables(path)]
    assert names == sorted(names) and "save_counter/.ATTRIBUTES/VARIABLE_VALUE" in names
    with pytest.raises(tf.errors.NotFoundError, match="Key nope not found"):
        reader.get_tensor("nope")
    with pytest.raises(tf.errors.NotFoundError, match="no checkpoint in directory"):
        tf.train.list_variables(_empty(tmp_path))


def _empty(tmp_path):
    d = tmp_path / "empty"
    d.mkdir()
    return str(d)
