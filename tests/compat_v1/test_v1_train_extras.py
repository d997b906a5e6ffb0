"""Smaller tf.compat.v1 names: the protobuf classes, checkpoint file helpers,
train.global_step / assert_global_step, SessionCreator."""

import os

import pytest

import gpuflow as tf

v1 = tf.compat.v1


def test_protobuf_classes_are_tensorflows_messages():
    summary = v1.Summary(value=[v1.Summary.Value(tag="loss", simple_value=0.5)])
    parsed = v1.Summary.FromString(summary.SerializeToString())
    assert parsed.value[0].tag == "loss" and parsed.value[0].simple_value == 0.5
    event = v1.Event(step=3, summary=summary)
    assert event.step == 3 and isinstance(v1.GraphDef(), v1.GraphDef)
    assert v1.TensorInfo(name="x:0").name == "x:0" and v1.RunOptions().trace_level == 0


def test_checkpoint_file_helpers_and_global_step(tmp_path):
    with tf.Graph().as_default():
        step = v1.train.get_or_create_global_step()
        v1.train.assert_global_step(step)
        with pytest.raises(TypeError, match="integer type"):
            v1.train.assert_global_step(tf.Variable(1.0))
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            assert v1.train.global_step(sess, step) == 0
            prefix = v1.train.Saver().save(sess, str(tmp_path / "m"))
    assert v1.train.checkpoint_exists(prefix)
    assert len(v1.train.get_checkpoint_mtimes([prefix, str(tmp_path / "none")])) == 1
    v1.train.remove_checkpoint(prefix)
    assert not v1.train.checkpoint_exists(prefix)
    assert sorted(os.listdir(tmp_path)) == ["checkpoint"]
    with pytest.raises(NotImplementedError):
        v1.train.SessionCreator().create_session()
