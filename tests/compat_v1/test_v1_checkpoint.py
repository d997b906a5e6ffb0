"""tf.train.Checkpoint and tf.compat.v1.train.Saver of TF 1 graph variables, saved beside a
Session and restored into a new graph (results as TensorFlow 2.21 gives them)."""

import os

import pytest

import gpuflow as tf

v1 = tf.compat.v1


def _saved(tmp_path):
    with tf.Graph().as_default():
        w = v1.get_variable("w", initializer=tf.constant([1.0, 2.0]))
        b = tf.Variable(3.0, name="b")
        ckpt = v1.train.Checkpoint(w=w, b=b)
        saver = v1.train.Saver()
        with v1.Session() as sess:
            with pytest.raises(tf.errors.FailedPreconditionError):
                ckpt.save(os.path.join(tmp_path, "early"))  # w is not initialized yet
            sess.run(v1.global_variables_initializer())
            sess.run(w.assign_add([1.0, 1.0]))
            by_name = saver.save(sess, os.path.join(tmp_path, "model"), global_step=3)
            by_object = ckpt.save(os.path.join(tmp_path, "obj"), session=sess)
    return by_name, by_object


def test_saver_and_checkpoint_files_of_a_graph(tmp_path):
    by_name, by_object = _saved(tmp_path)
    assert os.path.basename(by_name) == "model-3"
    assert os.path.basename(by_object) == "obj-2"  # the failed save counted, as in TF
    assert tf.train.latest_checkpoint(str(tmp_path)) == by_object
    assert sorted(n for n, _ in tf.train.list_variables(by_name)) == ["b", "w"]
    reader = tf.train.load_checkpoint(by_object)
    assert reader.get_tensor("w/.ATTRIBUTES/VARIABLE_VALUE").tolist() == [2.0, 3.0]
    assert reader.has_tensor("_CHECKPOINTABLE_OBJECT_GRAPH")
    assert not tf.train.load_checkpoint(by_name).has_tensor("_CHECKPOINTABLE_OBJECT_GRAPH")


def test_saver_restores_into_a_new_graph(tmp_path):
    by_name, _ = _saved(tmp_path)
    with tf.Graph().as_default():
        w = v1.get_variable("w", shape=[2])
        b = tf.Variable(0.0, name="b")
        with v1.Session() as sess:
            v1.train.Saver().restore(sess, by_name)
            got_w, got_b = sess.run([w, b])
    assert got_w.tolist() == [2.0, 3.0] and got_b == 3.0


def test_checkpoint_restore_runs_again_after_an_initializer(tmp_path):
    _, by_object = _saved(tmp_path)
    with tf.Graph().as_default():
        w = v1.get_variable("w", initializer=tf.constant([0.0, 0.0]))
        extra = v1.get_variable("extra", initializer=tf.constant(7.0))
        status = tf.train.Checkpoint(w=w, extra=extra).restore(by_object)
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            assert sess.run(w).tolist() == [0.0, 0.0]
            status.run_restore_ops()
            assert sess.run(w).tolist() == [2.0, 3.0]
        fresh = v1.get_variable("fresh", initializer=tf.constant(1.5))
        status2 = tf.train.Checkpoint(w=w, fresh=fresh).restore(by_object).expect_partial()
        with v1.Session() as sess:
            status2.initialize_or_restore(sess)
            assert sess.run(fresh) == 1.5 and sess.run(w).tolist() == [2.0, 3.0]
        with pytest.raises(AssertionError):
            status.assert_consumed()  # b has no object here, extra no saved value
        status.expect_partial()
