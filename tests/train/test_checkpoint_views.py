"""tf.train.TrackableView, tf.train.CheckpointView and tf.train.experimental.PythonState."""

from __future__ import annotations

import io

import numpy as np
import pytest

import gpuflow as tf


class Net(tf.Module):
    def __init__(self, leaf_name="leaf"):
        super().__init__()
        self.a_var = tf.Variable(5.0)
        setattr(self, leaf_name, tf.Module())
        getattr(self, leaf_name).w = tf.Variable([1.0, 2.0])


class NumpyState(tf.train.experimental.PythonState):
    def __init__(self, array):
        self.array = array

    def serialize(self):
        buffer = io.BytesIO()
        np.save(buffer, self.array, allow_pickle=False)
        return buffer.getvalue()

    def deserialize(self, string_value):
        self.array = np.load(io.BytesIO(string_value), allow_pickle=False)


def test_trackable_view_children_and_descendants():
    net = Net()
    view = tf.train.TrackableView(net)
    assert view.root is net
    assert view.children(net) == {"a_var": net.a_var, "leaf": net.leaf}
    assert tf.train.TrackableView.children(net.leaf) == {"w": net.leaf.w}
    found = view.descendants()
    assert found[0] is net and len(found) == 4
    assert {id(o) for o in found} == {id(net), id(net.a_var), id(net.leaf), id(net.leaf.w)}


def test_trackable_view_refuses_untrackable_roots():
    with pytest.raises(ValueError, match="expected a Trackable"):
        tf.train.TrackableView(3)


def test_checkpoint_view_children_descendants_and_match(tmp_path):
    net = Net()
    path = tf.train.Checkpoint(net=net, step=tf.Variable(3)).save(str(tmp_path / "ck"))
    view = tf.train.CheckpointView(path)
    assert view.children(0) == {"net": 1, "step": 2, "save_counter": 3}
    assert view.descendants() == list(range(7))
    other = Net()
    matched = view.match(tf.train.Checkpoint(net=other))
    assert matched[1] is other and 2 not in matched and 3 not in matched
    assert any(o is other.leaf.w for o in matched.values())
    with pytest.raises(IndexError, match="node_id 9"):
        view.children(9)


def test_checkpoint_view_diff_lists_both_sides(tmp_path):
    path = tf.train.Checkpoint(net=Net()).save(str(tmp_path / "ck"))
    view = tf.train.CheckpointView(path)
    renamed = Net(leaf_name="leaf2")
    matched, only_saved, only_live = view.diff(tf.train.Checkpoint(net=renamed))
    assert any(o is renamed.a_var for o in matched.values())
    leaf_node = view.children(1)["leaf"]
    assert leaf_node in only_saved and view.children(leaf_node)["w"] in only_saved
    assert {id(o) for o in only_live} == {id(renamed.leaf2), id(renamed.leaf2.w)}


def test_checkpoint_view_of_a_missing_checkpoint(tmp_path):
    with pytest.raises(tf.errors.NotFoundError, match="CheckpointView"):
        tf.train.CheckpointView(str(tmp_path / "none-1"))


def test_python_state_round_trips_through_a_checkpoint(tmp_path):
    state = NumpyState(np.arange(6.0).reshape(2, 3))
    ckpt = tf.train.Checkpoint(state=state)
    path = ckpt.save(str(tmp_path / "ck"))
    state.array = np.zeros(1)
    ckpt.restore(path).assert_consumed()
    np.testing.assert_array_equal(state.array, np.arange(6.0).reshape(2, 3))
    fresh = NumpyState(None)
    tf.train.Checkpoint(state=fresh).restore(path).assert_consumed()
    np.testing.assert_array_equal(fresh.array, state.array)


def test_python_state_str_and_bad_serialize(tmp_path):
    class Count(tf.train.experimental.PythonState):
        def __init__(self, value):
            self.value = value

        def serialize(self):
            return self.value

        def deserialize(self, string_value):
            self.value = string_value

    ckpt = tf.train.Checkpoint(c=Count("7"))
    path = ckpt.write(str(tmp_path / "ck"))
    ckpt.c.value = "0"
    ckpt.read(path).assert_consumed()
    assert ckpt.c.value == b"7"  # deserialize receives bytes, as in TensorFlow
    with pytest.raises(TypeError, match="serialize must return bytes or str, received int"):
        tf.train.Checkpoint(c=Count(7)).write(str(tmp_path / "bad"))


def test_python_state_needs_both_methods():
    class Half(tf.train.experimental.PythonState):
        def serialize(self):
            return b""

    with pytest.raises(TypeError):
        Half()
