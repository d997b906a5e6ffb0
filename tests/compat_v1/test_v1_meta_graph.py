"""tf.compat.v1.train.export_meta_graph / import_meta_graph and the .meta file Saver.save
writes: a graph's recorded ops built again in a new graph, restored from the checkpoint
(gpuflow's own file format: the ops are gpuflow calls, not TensorFlow kernels)."""

import os

import numpy as np
import pytest

import gpuflow as tf

v1 = tf.compat.v1


def _build_and_save(folder):
    x = v1.placeholder(tf.float32, [None, 3], name="x")
    with v1.variable_scope("layer"):
        w = v1.get_variable("w", [3, 2], initializer=v1.random_normal_initializer(seed=1))
        b = v1.get_variable("b", [2], initializer=v1.zeros_initializer())
    y = tf.nn.relu(tf.matmul(x, w) + b, name="y")
    z = tf.reduce_sum(y[:, 0] * 2.0, name="z")
    v1.add_to_collection("outputs", y)
    loss = tf.reduce_mean(tf.square(y - 1.0))
    train = v1.train.GradientDescentOptimizer(0.1).minimize(loss, name="train")
    saver = v1.train.Saver(max_to_keep=1)
    feed = {x: np.arange(6, dtype=np.float32).reshape(2, 3)}
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        saver.save(sess, os.path.join(folder, "m"), global_step=1)
        sess.run(train, feed)
        expected = sess.run([y, z], feed)
        path = saver.save(sess, os.path.join(folder, "m"), global_step=2)
    return path, feed[x], expected


def test_saver_writes_a_meta_graph_that_import_meta_graph_rebuilds(tmp_path):
    with tf.Graph().as_default():
        path, feed, expected = _build_and_save(str(tmp_path))
    assert sorted(os.listdir(tmp_path)) == [
        "checkpoint", "m-2.data-00000-of-00001", "m-2.index", "m-2.meta"
    ]  # fmt: skip
    with tf.Graph().as_default() as graph:
        saver = v1.train.import_meta_graph(path + ".meta")
        assert [v.name for v in v1.global_variables()] == ["layer/w:0", "layer/b:0"]
        x, y = graph.get_tensor_by_name("x:0"), graph.get_tensor_by_name("y:0")
        assert y.shape.as_list() == [None, 2] and y.dtype == tf.float32
        assert v1.get_collection("outputs")[0].name == "y:0"
        with v1.Session() as sess:
            with pytest.raises(tf.errors.FailedPreconditionError):
                sess.run(y, {x: feed})
            saver.restore(sess, path)
            got = sess.run([y, "z:0"], {x: feed})
    np.testing.assert_allclose(got[0], expected[0], rtol=1e-6)
    np.testing.assert_allclose(got[1], expected[1], rtol=1e-6)


def test_export_meta_graph_says_what_it_left_out(tmp_path):
    with tf.Graph().as_default():
        a = v1.placeholder(tf.float32, [2], name="a")
        tf.identity(a * 3.0 + tf.constant([1.0, 0.0]), name="out")
        meta = v1.train.export_meta_graph(str(tmp_path / "small.meta"))
        counter = tf.Variable(0.0, name="counter")
        bump = counter.assign_add(a[0], name="bump")  # runs Python: not written
        tf.identity(bump * 2.0, name="after_bump")
        second = v1.train.export_meta_graph()
    assert meta["skipped"] == [] and second["skipped"] == ["bump", "mul_1", "after_bump"]
    with tf.Graph().as_default():
        assert v1.train.import_meta_graph(str(tmp_path / "small.meta")) is None  # no variables
        with v1.Session() as sess:
            assert sess.run("out:0", {"a:0": [1.0, 2.0]}).tolist() == [4.0, 6.0]
    with tf.Graph().as_default() as graph:
        assert isinstance(v1.train.import_meta_graph(second), v1.train.Saver)
        with pytest.raises(KeyError):
            graph.get_tensor_by_name("after_bump:0")


def test_import_meta_graph_errors(tmp_path):
    with tf.Graph().as_default():
        with pytest.raises(tf.errors.NotFoundError):
            v1.train.import_meta_graph(str(tmp_path / "missing.meta"))
        (tmp_path / "other.meta").write_bytes(b"\x08\x01protobuf")
        with pytest.raises(ValueError, match="not a meta graph gpuflow wrote"):
            v1.train.import_meta_graph(str(tmp_path / "other.meta"))
    with pytest.raises(RuntimeError, match="eager execution"):
        v1.train.import_meta_graph(str(tmp_path / "other.meta"))


def test_saver_makes_the_last_folder_of_the_prefix_only(tmp_path):
    with tf.Graph().as_default():
        v = tf.Variable(1.0)
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            saver = v1.train.Saver()
            saver.save(sess, str(tmp_path / "new" / "m"))
            assert sorted(os.listdir(tmp_path / "new")) == [
                "checkpoint", "m.data-00000-of-00001", "m.index", "m.meta"
            ]  # fmt: skip
            with pytest.raises(ValueError, match="Parent directory of .* doesn't exist"):
                saver.save(sess, str(tmp_path / "a" / "b" / "m"))
    assert v is not None
