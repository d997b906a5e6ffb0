"""tf.compat.v1.summary: summary ops give serialized Summary protobufs in Session.run, and
FileWriter appends them to an event file that summary_iterator reads back."""

import os

import numpy as np
import pytest

import gpuflow as tf

v1 = tf.compat.v1


def test_scalar_histogram_merge_and_file_writer(tmp_path):
    with tf.Graph().as_default() as graph:
        x = v1.placeholder(tf.float32, [None, 2])
        with v1.name_scope("stats"):
            mean = v1.summary.scalar("mean", tf.reduce_mean(x))
            constant = v1.summary.scalar("one", 1.0, collections=[])
        assert mean.name == "stats/mean:0" and constant.name == "stats/one:0"
        v1.summary.histogram("values", x)
        merged = v1.summary.merge_all()
        assert mean.dtype == tf.string and merged.dtype == tf.string
        writer = v1.summary.FileWriter(str(tmp_path), graph)
        with v1.Session() as sess:
            feed = {x: np.array([[0.0, 1.0], [2.0, 3.0]], np.float32)}
            blob = sess.run(merged, feed)
            assert isinstance(blob, bytes)
            writer.add_summary(blob, 1)
            writer.add_summary(sess.run(mean, feed), 2)
        writer.close()
    assert writer.get_logdir() == str(tmp_path)
    (events,) = [f for f in os.listdir(tmp_path) if f.startswith("events")]
    values = [
        (e.step, v.tag, v.simple_value if v.HasField("simple_value") else v.histo.num)
        for e in v1.train.summary_iterator(os.path.join(tmp_path, events))
        for v in e.summary.value
    ]
    assert values == [(1, "stats/mean", 1.5), (1, "values", 4.0), (2, "stats/mean", 1.5)]
    parsed = v1.summary.Summary()
    parsed.ParseFromString(blob)
    assert [v.tag for v in parsed.value] == ["stats/mean", "values"]


def test_merge_all_without_summaries_is_none_and_file_writer_needs_a_graph(tmp_path):
    with tf.Graph().as_default():
        assert v1.summary.merge_all() is None
    with pytest.raises(RuntimeError, match="not compatible with eager execution"):
        v1.summary.FileWriter(str(tmp_path))


def test_tf_name_scope_names_graph_ops_and_summary_tags():
    with tf.Graph().as_default():
        x = v1.placeholder(tf.float32, [None], name="x")
        with tf.name_scope("stats") as scope:
            total = tf.reduce_sum(x, name="total")
            mean = v1.summary.scalar("mean", tf.reduce_mean(x))
            with v1.name_scope("inner"):
                doubled = tf.multiply(total, 2.0, name="twice")
        assert scope == "stats/"
        assert (total.name, doubled.name) == ("stats/total:0", "stats/inner/twice:0")
        with v1.Session() as sess:
            parsed = v1.summary.Summary.FromString(sess.run(mean, {x: [1.0, 3.0]}))
    assert parsed.value[0].tag == "stats/mean"
    with tf.name_scope("eager"):  # outside a graph: variable names only, as before
        assert tf.Variable(1.0, name="v").name == "eager/v:0"
