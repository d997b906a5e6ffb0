"""tf.random seeds as TensorFlow reads them: create_rng_state's algorithms and seed layouts
(Generator.from_seed / reset_from_seed follow it), stateless_binomial's shape rule, and
InvalidArgumentError for bad stateless seeds."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf


@pytest.mark.parametrize(
    "alg, size",
    [
        ("philox", 3),
        ("threefry", 2),
        ("auto_select", 3),
        (2, 2),
        (tf.random.Algorithm.PHILOX, 3),
        (tf.random.Algorithm.THREEFRY, 2),
        (tf.random.Algorithm.AUTO_SELECT, 3),
    ],
)
def test_create_rng_state_takes_every_spelling_of_the_algorithm(alg, size):
    state = tf.random.create_rng_state(1234, alg)
    np.testing.assert_array_equal(state.numpy(), [1234] + [0] * (size - 1))


def test_create_rng_state_refuses_unknown_algorithms():
    with pytest.raises(ValueError, match="create_rng_state: alg must be"):
        tf.random.create_rng_state(1, "mersenne")


def test_stateless_binomial_shape_must_end_with_the_parameters_shape():
    draws = tf.random.stateless_binomial([2, 3], [1, 2], counts=10.0, probs=[0.2, 0.8, 0.5])
    assert draws.shape == (2, 3) and draws.dtype == tf.int32
    for probs, counts in (([0.5], 10.0), ([[0.2], [0.8]], 10.0), ([[0.2, 0.3, 0.4]], 10.0)):
        with pytest.raises(tf.errors.InvalidArgumentError, match="must end with broadcasted"):
            tf.random.stateless_binomial([2, 3], [1, 2], counts, probs)
    with pytest.raises(tf.errors.InvalidArgumentError, match="do not broadcast"):
        tf.random.stateless_binomial([2, 3], [1, 2], [1.0, 2.0], [0.1, 0.2, 0.3])


def test_bad_stateless_seeds_raise_invalid_argument_as_tensorflow():
    ex = tf.random.experimental
    for call in (
        lambda: ex.stateless_shuffle(tf.range(4), seed=[1, 2, 3]),
        lambda: ex.stateless_split([1, 2, 3]),
        lambda: ex.stateless_fold_in([1], 3),
        lambda: ex.index_shuffle(1, [1, 2, 3], 3),
        lambda: tf.random.stateless_normal([2], seed=[1, 2, 3]),
        lambda: tf.random.stateless_binomial([2], [1], 5.0, 0.5),
    ):
        with pytest.raises(tf.errors.InvalidArgumentError, match="seed must be"):
            call()


def test_stateless_shuffle_returns_a_scalar_as_it_is():
    out = tf.random.experimental.stateless_shuffle(tf.constant(3), seed=[1, 2])
    assert out.shape == () and int(out) == 3


def test_generator_seeds_follow_create_rng_state():
    g = tf.random.Generator.from_seed(np.int64(5))
    assert g.state.numpy().tolist() == [0, 0, 5]  # TensorFlow: a NumPy int is the key
    g.reset_from_seed(7)
    assert g.state.numpy().tolist() == [7, 0, 0]
    g.reset_from_seed(np.int64(7))
    assert g.state.numpy().tolist() == [0, 0, 7]
    assert tf.random.Generator.from_seed(2**64 + 3).state.numpy().tolist() == [3, 1, 0]
    with pytest.raises(TypeError, match="from_seed: seed must be an integer"):
        tf.random.Generator.from_seed(1.5)
