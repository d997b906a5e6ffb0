"""tf.random additions: gamma/poisson and their stateless forms, stateless_binomial,
create_rng_state, tf.random.experimental (split, fold_in, shuffle), Generator.reset*,
uniform_full_int and binomial: shapes, dtypes, determinism and sample statistics."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf


def test_gamma_and_poisson_shapes_and_means():
    tf.random.set_seed(1)
    g = tf.random.gamma([20000], alpha=[1.0, 4.0], beta=[2.0, 1.0])
    assert g.shape == (20000, 2) and g.dtype == tf.float32
    np.testing.assert_allclose(g.numpy().mean(axis=0), [0.5, 4.0], rtol=0.05)
    p = tf.random.poisson([20000], lam=[1.0, 6.0])
    assert p.shape == (20000, 2) and p.dtype == tf.float32
    np.testing.assert_allclose(p.numpy().mean(axis=0), [1.0, 6.0], rtol=0.05)


def test_stateless_draws_repeat_for_a_seed():
    for fn in (
        lambda s: tf.random.stateless_binomial([500], s, counts=10.0, probs=0.3),
        lambda s: tf.random.stateless_gamma([500], s, alpha=2.0),
        lambda s: tf.random.stateless_poisson([500], s, lam=3.0),
    ):
        a, b, c = fn([1, 2]).numpy(), fn([1, 2]).numpy(), fn([3, 4]).numpy()
        np.testing.assert_array_equal(a, b)
        assert not np.array_equal(a, c)
    binomial = tf.random.stateless_binomial([4000], [5, 6], counts=10.0, probs=0.3)
    assert binomial.dtype == tf.int32 and abs(binomial.numpy().mean() - 3.0) < 0.15
    assert tf.random.stateless_gamma([3, 2], [1, 2], alpha=[1.0, 2.0]).shape == (3, 2)
    assert tf.random.stateless_poisson([2], [1, 2], lam=3.0).dtype == tf.int32


def test_seed_helpers():
    # TensorFlow 2.21 lays seeds out as 64-bit words
    assert tf.random.create_rng_state(1, "philox").numpy().tolist() == [1, 0, 0]
    assert tf.random.create_rng_state(1, "threefry").numpy().tolist() == [1, 0]
    assert tf.random.create_rng_state(-1, 1).numpy().tolist() == [-1, -1, -1]
    # a 1-D seed: cut to the state's size, or zero-padded on the left (TF 2.21's values)
    assert tf.random.create_rng_state([12, 34], "threefry").numpy().tolist() == [12, 34]
    assert tf.random.create_rng_state([5], "philox").numpy().tolist() == [0, 0, 5]
    assert tf.random.create_rng_state(np.array([1, 2, 3, 4]), 1).numpy().tolist() == [1, 2, 3]
    # as TensorFlow: only a Python int is split into words; other seeds are flattened
    assert tf.random.create_rng_state([[1, 2]], "philox").numpy().tolist() == [0, 1, 2]
    assert tf.random.create_rng_state(np.int64(5), "philox").numpy().tolist() == [0, 0, 5]
    assert tf.random.create_rng_state(tf.constant(5), "philox").numpy().tolist() == [0, 0, 5]
    with pytest.raises(ValueError, match="create_rng_state: seed must be an integer"):
        tf.random.create_rng_state(1.5, "philox")
    seeds = tf.random.experimental.stateless_split([1, 2], num=3)
    assert seeds.shape == (3, 2) and seeds.dtype == tf.int32  # as TF 2.21 (a list seed is int32)
    assert len({tuple(s) for s in seeds.numpy().tolist()}) == 3
    np.testing.assert_array_equal(
        seeds.numpy(), tf.random.experimental.stateless_split([1, 2], num=3).numpy()
    )
    folded = tf.random.experimental.stateless_fold_in(tf.constant([1, 2]), 42)
    assert folded.shape == (2,) and folded.dtype == tf.int32
    assert (
        folded.numpy().tolist()
        != tf.random.experimental.stateless_fold_in([1, 2], 43).numpy().tolist()
    )
    shuffled = tf.random.experimental.stateless_shuffle(tf.range(10), seed=[1, 2])
    assert sorted(shuffled.numpy().tolist()) == list(range(10))
    np.testing.assert_array_equal(
        shuffled.numpy(), tf.random.experimental.stateless_shuffle(tf.range(10), [1, 2]).numpy()
    )
    assert tf.random.experimental.Generator is tf.random.Generator


def test_generator_additions():
    g = tf.random.Generator.from_seed(7)
    first = g.normal([3]).numpy()
    g.reset_from_seed(7)
    np.testing.assert_array_equal(g.normal([3]).numpy(), first)
    state = tf.random.create_rng_state(5, "philox")
    g1, g2 = tf.random.Generator(state=state, alg="philox"), tf.random.Generator.from_seed(0)
    g2.reset(state)
    np.testing.assert_array_equal(g1.uniform([4]).numpy(), g2.uniform([4]).numpy())
    full = g.uniform_full_int([1000], dtype=tf.int64)
    assert full.dtype == tf.int64 and full.numpy().min() < -(2**60) < 2**60 < full.numpy().max()
    with pytest.raises(ValueError, match="int32 or int64"):
        g.uniform_full_int([2], dtype=tf.int8)
    counts = g.binomial([2000], counts=10.0, probs=0.5)
    with pytest.raises(ValueError, match="must end with the broadcast shape"):
        g.binomial([2000], counts=[10.0, 5.0], probs=0.5)
    assert counts.dtype == tf.int32 and abs(counts.numpy().mean() - 5.0) < 0.2


def test_generator_state_is_a_variable_with_tensorflows_layout():
    g = tf.random.Generator.from_seed(1234)
    assert g.state.numpy().tolist() == [1234, 0, 0]  # the seed's words, then the key
    assert g.state.dtype == tf.int64 and not g.state.trainable
    assert g.algorithm == tf.random.Algorithm.PHILOX.value == 1
    g.normal([5])
    assert g.state.numpy()[0] > 1234 and g.state.numpy()[2] == 0  # the counter advanced
    copy = tf.random.Generator.from_state(g.state.numpy(), alg="philox")
    np.testing.assert_array_equal(copy.normal([4]).numpy(), g.normal([4]).numpy())
    shared = tf.random.Generator.from_state(g.state, alg="philox")  # a Variable is shared
    shared.normal([3])
    assert g.state.numpy().tolist() == shared.state.numpy().tolist()
    keyed = tf.random.Generator.from_key_counter(key=5, counter=[0, 0], alg="philox")
    assert keyed.state.numpy().tolist() == [0, 0, 5] and int(keyed.key) == 5
    assert tf.random.Generator.from_seed(1, alg="threefry").state.shape == (2,)
    with pytest.raises(ValueError, match="alg must be"):
        tf.random.Generator.from_seed(1, alg="mersenne")
    with pytest.raises(ValueError, match="counter must have 2 words"):
        tf.random.Generator.from_key_counter(1, [0], "philox")


def test_generator_split_seeds_and_checkpoint(tmp_path):
    g = tf.random.Generator.from_seed(3)
    children = g.split(3)
    draws = [float(c.normal([])) for c in children]
    assert len(set(draws)) == 3
    seeds = g.make_seeds(4)
    assert seeds.shape == (2, 4) and seeds.dtype == tf.int64
    ckpt = tf.train.Checkpoint(generator=g)
    path = ckpt.write(str(tmp_path / "rng"))
    expected = g.uniform([3]).numpy()
    ckpt.restore(path)
    np.testing.assert_array_equal(g.uniform([3]).numpy(), expected)


def test_generator_draws_advance_inside_functions():
    g = tf.random.Generator.from_seed(1)

    @tf.function
    def draw():
        return g.normal([])

    first, second = float(draw()), float(draw())
    reference = tf.random.Generator.from_seed(1)
    assert first != second
    assert first == float(reference.normal([])) and second == float(reference.normal([]))


def test_index_shuffle_matches_tensorflow():
    got = tf.random.experimental.index_shuffle(tf.range(4), seed=[5, 9], max_index=3)
    assert got.numpy().tolist() == [2, 0, 1, 3]  # TensorFlow's documented output
    stream = [int(tf.random.experimental.index_shuffle(i, [5, 8], 9)) for i in range(10)]
    assert stream == [3, 8, 0, 1, 2, 7, 6, 9, 4, 5]
    with pytest.raises(ValueError, match="seed must be two integers"):
        tf.random.experimental.index_shuffle(0, [1, 2, 3], 3)


def test_stateless_uniform_whole_integer_range_and_tensor_seeds():
    full = tf.random.stateless_uniform(
        [2000], seed=[1, 2], minval=None, maxval=None, dtype=tf.int32
    )
    assert full.dtype == tf.int32 and full.numpy().min() < -(2**29) < 2**29 < full.numpy().max()
    with pytest.raises(ValueError, match="both minval and maxval"):
        tf.random.stateless_uniform([2], seed=[1, 2], minval=None, maxval=5, dtype=tf.int32)
    g = tf.random.Generator.from_seed(tf.constant(3))
    assert g.state.numpy().tolist() == [0, 0, 3]  # as TensorFlow lays out a tensor seed


def test_integer_uniform_with_an_empty_range_is_tf_invalid_argument():
    with pytest.raises(tf.errors.InvalidArgumentError, match="maxval 0 must be greater"):
        tf.random.uniform((2,), minval=1, maxval=0, dtype="int32")
