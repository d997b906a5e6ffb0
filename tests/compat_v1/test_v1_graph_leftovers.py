"""TF 1 graph leftovers: a fixed-size constant against an unknown dimension, Python
functions (py_func, numpy_function, py_function) as nodes run by Session.run (checked
against TensorFlow 2.21 running the same graphs)."""

import numpy as np
import pytest

import gpuflow as tf

v1 = tf.compat.v1


@pytest.fixture
def graph():
    with tf.Graph().as_default() as g:
        yield g


def test_fixed_size_constant_against_an_unknown_dimension(graph):
    x = v1.placeholder(tf.float32, [None])
    y = x * tf.constant([1.0, 2.0, 1.0, 1.0])
    assert y.shape.as_list() == [4]
    rows = v1.placeholder(tf.float32, [None, None])
    z = rows + tf.constant([1.0, 2.0, 3.0])
    assert z.shape.as_list() == [None, 3]
    total = tf.reduce_sum(z, axis=1)
    assert total.shape.as_list() == [None]
    with v1.Session() as sess:
        assert sess.run(y, {x: [1.0, 1.0, 2.0, 3.0]}).tolist() == [1.0, 2.0, 2.0, 3.0]
        out = sess.run(total, {rows: np.ones((2, 3), np.float32)})
        assert out.tolist() == [9.0, 9.0]
    with pytest.raises(ValueError):  # a fixed size that does not match stays an error
        v1.placeholder(tf.float32, [None, 3]) * tf.constant([1.0, 2.0, 1.0, 1.0])


def test_python_functions_run_at_session_run(graph):
    calls = []

    def double(v):
        calls.append(v.shape)
        return v * 2

    x = v1.placeholder(tf.float32, [None])
    a = v1.py_func(double, [x], tf.float32)
    b = tf.numpy_function(lambda v: (v + 1).astype(np.float32), [x], tf.float32)
    c = tf.py_function(lambda v: v * 3, [x], tf.float32)
    pair = tf.py_function(lambda v: (v, tf.size(v)), [x], [tf.float32, tf.int32])
    assert calls == []  # not called while the graph is built
    assert a.shape.rank is None and a.dtype == tf.float32 and a.op.type == "PyFunc"
    assert c.op.type == "EagerPyFunc" and str(c) == 'Tensor("EagerPyFunc:0", dtype=float32)'
    assert [t.dtype for t in pair] == [tf.float32, tf.int32]
    with v1.Session() as sess:
        out = sess.run([a, b, c, a + 1.0], {x: [1.0, 2.0]})
        assert [o.tolist() for o in out] == [[2.0, 4.0], [2.0, 3.0], [3.0, 6.0], [3.0, 5.0]]
        assert sess.run(pair[1], {x: [1.0, 2.0, 3.0]}) == 3
    assert calls == [(2,)]


def test_variables_are_per_session(graph, tmp_path):
    w = tf.Variable(1.0, name="w")
    init = v1.global_variables_initializer()
    first = v1.Session()
    first.run(init)
    first.run(w.assign(5.0))
    second = v1.Session()
    with pytest.raises(tf.errors.FailedPreconditionError):
        second.run(w)  # its own, uninitialized
    second.run(init)
    assert second.run(w) == 1.0 and first.run(w) == 5.0
    second.run(w.assign_add(2.0))
    assert (first.run(w), second.run(w)) == (5.0, 3.0)
    path = v1.train.Saver().save(first, str(tmp_path / "model"))
    first.close()
    with v1.Session() as third:  # restored, not initialized
        v1.train.Saver().restore(third, path)
        assert third.run(w) == 5.0
    assert second.run(w) == 3.0


def test_constant_is_a_graph_constant_with_eager_execution_disabled():
    v1.disable_eager_execution()
    try:
        with tf.Graph().as_default():
            with tf.name_scope("s"):
                c = tf.constant([1.0, 2.0], name="c")
                d = tf.constant(3.0)
            assert c.name == "s/c:0" and d.name == "s/Const:0" and c.op.type == "Const"
            assert c.shape.as_list() == [2] and c.dtype == tf.float32
            with pytest.raises(NotImplementedError):
                np.asarray(c)  # a graph tensor has no value before Session.run
            with v1.Session() as sess:
                assert sess.run(c * d).tolist() == [3.0, 6.0]
    finally:
        v1.enable_eager_execution()
    assert tf.constant(1.0).numpy() == 1.0  # eager again
