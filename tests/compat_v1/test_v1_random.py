"""Random ops in a TF 1 graph draw new numbers on each Session.run (TensorFlow 2.21 does),
and set_random_seed makes the same graph draw the same numbers again."""

import numpy as np

import gpuflow as tf

v1 = tf.compat.v1


def _draws(runs=2, seed=None):
    with tf.Graph().as_default():
        if seed is not None:
            v1.set_random_seed(seed)
        x = v1.placeholder(tf.float32, [None, 3])
        ops = [
            tf.random.normal([4]),
            tf.random.uniform([4], seed=3),
            v1.random_normal([2, 2]),
            v1.random_uniform([3], maxval=10, dtype=tf.int32),
            tf.random.truncated_normal([4]),
            tf.random.shuffle(tf.range(20)),
            tf.nn.dropout(tf.ones([64]), rate=0.5),
            v1.nn.dropout(tf.ones([64]), keep_prob=0.5),
            tf.random.normal(tf.shape(x)),  # a shape known only when x is fed
        ]
        with v1.Session() as sess:
            return [sess.run(ops, {x: np.zeros((2, 3))}) for _ in range(runs)]


def test_each_run_draws_new_values():
    first, second = _draws()
    assert first[8].shape == (2, 3) and first[3].dtype == np.int32
    assert sorted(first[5].tolist()) == list(range(20))
    assert set(np.unique(first[6])) <= {0.0, 2.0}
    changed = [not np.array_equal(a, b) for a, b in zip(first, second)]
    assert all(changed[:3] + changed[4:]), changed
    assert any(not np.array_equal(a[3], b[3]) for a, b in zip(_draws(4), _draws(4)))


def test_set_random_seed_repeats_a_graphs_draws():
    one, two = _draws(seed=7), _draws(seed=7)
    for run_one, run_two in zip(one, two):
        for a, b in zip(run_one, run_two):
            np.testing.assert_array_equal(a, b)
    assert not np.array_equal(one[0][0], _draws(seed=8)[0][0])


def test_values_inside_one_run_agree_and_variables_keep_their_draw():
    with tf.Graph().as_default():
        noise = tf.random.normal([3])
        zero = noise + noise - 2.0 * noise
        w = tf.Variable(tf.random.uniform([3]))
        with v1.Session() as sess:
            np.testing.assert_allclose(sess.run(zero), np.zeros(3), atol=1e-6)
            sess.run(v1.global_variables_initializer())
            np.testing.assert_array_equal(sess.run(w), sess.run(w))


def test_eager_and_function_draws_are_unchanged():
    a = tf.random.normal([2])
    assert tf.executing_eagerly() and isinstance(a, tf.Tensor) and a.numpy().shape == (2,)

    @tf.function
    def draw():
        return tf.random.uniform([3])

    assert not np.array_equal(draw().numpy(), draw().numpy())


def test_dataset_functions_draw_values_in_graph_mode():
    with tf.Graph().as_default():
        ds = tf.data.Dataset.from_tensor_slices(np.arange(6, dtype=np.float32))
        ds = ds.map(lambda x: x + tf.random.uniform([])).batch(3).prefetch(2)
        nxt = v1.data.make_one_shot_iterator(ds).get_next()
        with v1.Session() as sess:
            first, second = sess.run(nxt), sess.run(nxt)
    offsets = np.concatenate([first, second]) - np.arange(6)
    assert first.shape == (3,) and np.all((offsets >= 0) & (offsets < 1))
