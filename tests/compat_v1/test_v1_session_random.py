"""A seeded random op of a TF 1 graph belongs to the session that runs it (TensorFlow 2.21:
a new Session replays the same sequence); a graph's seed is its own."""

import numpy as np

import gpuflow as tf

v1 = tf.compat.v1


def test_a_new_session_replays_seeded_ops():
    with tf.Graph().as_default() as g:
        v1.set_random_seed(1)
        assert g.seed == 1
        by_graph_seed = tf.random.uniform([3])
        by_op_seed = v1.random_normal([2], seed=5)
        with v1.Session() as first:
            a = [first.run(by_graph_seed) for _ in range(2)]
            b = first.run(by_op_seed)
        with v1.Session() as second:
            c = [second.run(by_graph_seed) for _ in range(2)]
            d = second.run(by_op_seed)
    assert not np.array_equal(a[0], a[1])
    np.testing.assert_array_equal(a, c)
    np.testing.assert_array_equal(b, d)


def test_two_ops_with_one_seed_draw_the_same_values():
    with tf.Graph().as_default():
        one, two = tf.random.uniform([4], seed=3), tf.random.uniform([4], seed=3)
        with v1.Session() as sess:
            a, b = sess.run([one, two])
    np.testing.assert_array_equal(a, b)


def test_a_graph_entered_from_eager_code_has_no_seed():
    tf.random.set_seed(0)

    def draw():
        with tf.Graph().as_default() as g:
            assert g.seed is None
            r = tf.random.uniform([5])
            with v1.Session() as sess:
                return sess.run(r)

    assert not np.array_equal(draw(), draw())
