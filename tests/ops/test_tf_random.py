"""tf.random: TensorFlow's global-and-op seed rule, stateless ops, Generator, categorical,
shuffle, truncated_normal; values in range and with the right moments on every device."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf


def test_global_seed_makes_programs_repeat(device):
    def program():
        return [
            tf.random.uniform([3], device=device).numpy(),
            tf.random.normal([2], device=device).numpy(),
            tf.random.uniform([2], seed=5, device=device).numpy(),
            tf.random.uniform([2], seed=5, device=device).numpy(),
        ]

    tf.random.set_seed(42)
    first = program()
    tf.random.set_seed(42)
    second = program()
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    # An op-seeded op draws new numbers on each call, and restarts at set_seed (TF's rule).
    assert not np.array_equal(first[2], first[3])
    tf.random.set_seed(7)
    assert not np.array_equal(tf.random.uniform([3], device=device).numpy(), first[0])


def test_op_seed_alone_repeats_across_programs():
    # No global seed set in this process path: the op seed pairs with TF's default.
    from gpuflow import random as gr

    saved = gr._state.global_seed
    gr._state.global_seed = None
    gr._state.streams.clear()
    try:
        a = tf.random.normal([3], seed=11).numpy()
        gr._state.streams.clear()
        b = tf.random.normal([3], seed=11).numpy()
    finally:
        gr._state.global_seed = saved
    np.testing.assert_array_equal(a, b)


def test_distributions(device, float_dtype):
    tf.random.set_seed(0)
    u = tf.random.uniform([4000], minval=-2, maxval=3, dtype=float_dtype, device=device).numpy()
    assert u.dtype == float_dtype and u.min() >= -2 and u.max() < 3
    assert abs(u.mean() - 0.5) < 0.1
    n = tf.random.normal([4000], mean=1.0, stddev=2.0, dtype=float_dtype, device=device).numpy()
    assert abs(n.mean() - 1.0) < 0.15 and abs(n.std() - 2.0) < 0.15
    t = tf.random.truncated_normal([4000], stddev=1.0, dtype=float_dtype, device=device).numpy()
    assert np.abs(t).max() <= 2.0 + 1e-3
    i = tf.random.uniform([1000], minval=3, maxval=7, dtype=tf.int32, device=device).numpy()
    assert set(np.unique(i)) == {3, 4, 5, 6} and i.dtype == np.int32


def test_stateless_ops_depend_only_on_the_seed():
    a = tf.random.stateless_uniform([5], seed=[1, 2])
    tf.random.uniform([3])  # stateful draws in between change nothing
    np.testing.assert_array_equal(a.numpy(), tf.random.stateless_uniform([5], seed=[1, 2]).numpy())
    assert not np.array_equal(a.numpy(), tf.random.stateless_uniform([5], seed=[1, 3]).numpy())
    n = tf.random.stateless_normal([3], seed=(4, 5), dtype=tf.float64)
    assert n.dtype == tf.float64
    ints = tf.random.stateless_uniform([50], seed=[0, 0], minval=0, maxval=3, dtype=tf.int32)
    assert set(np.unique(ints.numpy())) <= {0, 1, 2}
    with pytest.raises(ValueError, match="random.stateless_uniform: seed must be two integers"):
        tf.random.stateless_uniform([2], seed=3)


def test_generator():
    g1, g2 = tf.random.Generator.from_seed(1), tf.random.Generator.from_seed(1)
    np.testing.assert_array_equal(g1.normal([4]).numpy(), g2.normal([4]).numpy())
    a, b = g1.uniform([3]).numpy(), g1.uniform([3]).numpy()
    assert not np.array_equal(a, b) and a.min() >= 0 and a.max() < 1
    assert g1.uniform([2], maxval=10, dtype=tf.int64).dtype == tf.int64
    assert np.abs(g1.truncated_normal([100]).numpy()).max() <= 2.0
    assert len(g1.split(3)) == 3 and g1.make_seeds(2).shape == (2, 2)
    with pytest.raises(TypeError, match="Generator.from_seed: seed must be an integer"):
        tf.random.Generator.from_seed(1.5)


def test_categorical_and_shuffle():
    tf.random.set_seed(3)
    logits = tf.math.log(tf.constant([[0.7, 0.2, 0.1], [0.0, 0.0, 1.0]]))
    s = tf.random.categorical(logits, 3000)
    assert s.shape == (2, 3000) and s.dtype == tf.int64
    freq = np.bincount(s.numpy()[0], minlength=3) / 3000
    np.testing.assert_allclose(freq, [0.7, 0.2, 0.1], atol=0.04)
    assert (s.numpy()[1] == 2).all()
    x = tf.reshape(tf.range(20), [10, 2])
    y = tf.random.shuffle(x, seed=1)
    assert sorted(y.numpy()[:, 0].tolist()) == list(range(0, 20, 2))
    np.testing.assert_array_equal(y.numpy()[:, 1] - y.numpy()[:, 0], np.ones(10))


ERRORS = {
    "uniform": (lambda: tf.random.uniform([2], dtype=tf.int32), ValueError, "needs maxval"),
    "uniform_shape": (lambda: tf.random.uniform([2.5]), TypeError, "random.uniform: shape"),
    "normal": (lambda: tf.random.normal([2], dtype=tf.int32), TypeError, "random.normal"),
    "normal_shape": (lambda: tf.random.normal([-1]), ValueError, "random.normal: dimensions"),
    "truncated_normal": (
        lambda: tf.random.truncated_normal([2], dtype=tf.bool),
        TypeError,
        "random.truncated_normal",
    ),
    "categorical": (
        lambda: tf.random.categorical(tf.ones([3]), 2),
        ValueError,
        "random.categorical",
    ),
    "shuffle": (lambda: tf.random.shuffle(tf.constant(1.0)), ValueError, "random.shuffle"),
}


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_argument_errors_name_the_op(name):
    call, error, text = ERRORS[name]
    with pytest.raises(error) as info:
        call()
    assert text in str(info.value)


def test_generator_skip_advances_as_a_normal_draw_would():
    skipped = tf.random.Generator.from_seed(11)
    drawn = tf.random.Generator.from_seed(11)
    before = skipped.state.numpy().tolist()
    old = skipped.skip(7)
    drawn.normal([7])
    assert old.dtype == tf.int64 and old.numpy().tolist() == before
    assert skipped.state.numpy().tolist() == drawn.state.numpy().tolist()
    assert skipped.normal([3]).numpy().tolist() == drawn.normal([3]).numpy().tolist()
    with pytest.raises(ValueError, match="delta must be >= 0"):
        skipped.skip(-1)


def test_bounds_given_as_tensors():
    # core/distribution guide: tf.function(tf.random.stateless_uniform) with tensor bounds
    lim = tf.sqrt(6.0) / tf.sqrt(tf.cast(10, tf.float32))
    eager = tf.random.stateless_uniform((4, 3), seed=(22, 23), minval=-lim, maxval=lim)
    traced = tf.function(tf.random.stateless_uniform)(
        (4, 3), seed=(22, 23), minval=-lim, maxval=lim
    )
    np.testing.assert_array_equal(eager.numpy(), traced.numpy())
    assert eager.dtype == tf.float32 and np.all(np.abs(eager.numpy()) <= lim.numpy())
    # bounds broadcast against the samples, as TF
    low = tf.constant([0.0, 10.0, 20.0])
    v = tf.random.stateless_uniform((2, 3), seed=(1, 2), minval=low, maxval=low + 1.0).numpy()
    assert np.all((v >= [0, 10, 20]) & (v < [1, 11, 21]))
    with pytest.raises(ValueError, match="maxval of shape \\(2,\\) does not broadcast"):
        tf.random.stateless_uniform((3,), seed=(1, 2), maxval=tf.constant([1.0, 2.0]))
    n = tf.random.stateless_normal(
        (2,), seed=(1, 2), mean=tf.constant(3.0), stddev=tf.constant([1.0, 0.0])
    )
    assert n.numpy()[1] == 3.0
    g = tf.random.Generator.from_seed(1)
    u = g.uniform((5,), minval=tf.constant(-1.0), maxval=tf.constant(-0.5))
    assert u.dtype == tf.float32 and np.all((u.numpy() >= -1.0) & (u.numpy() < -0.5))
    assert np.all(g.normal((3,), mean=tf.constant(5.0), stddev=tf.constant(0.0)).numpy() == 5.0)
