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
