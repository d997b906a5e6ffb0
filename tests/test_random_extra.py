"""tf.random.gamma, poisson, stateless_gamma, stateless_poisson, split and fold_in: shapes and
dtypes as TF 2.21, sample statistics against closed forms, and the seed rules. (The numbers
themselves differ from TF's, which gpuflow does not reproduce.)"""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf


def test_gamma_shapes_and_moments():
    assert tf.random.gamma([2], [1.0, 2.0], seed=1).shape == (2, 2)
    assert tf.random.gamma([2], [[1.0, 2.0]], beta=[3.0]).shape == (2, 1, 2)
    samples = tf.random.gamma([20000], [2.0, 5.0], beta=[4.0, 0.5], seed=3).numpy()
    assert samples.dtype == np.float32 and (samples > 0).all()
    # Gamma(alpha, rate beta): mean alpha / beta, variance alpha / beta**2
    np.testing.assert_allclose(samples.mean(axis=0), [0.5, 10.0], rtol=0.05)
    np.testing.assert_allclose(samples.var(axis=0), [0.125, 20.0], rtol=0.1)
    assert tf.random.gamma([3], 1.0, dtype=tf.float64).dtype == tf.float64
    with pytest.raises(TypeError, match="random.gamma"):
        tf.random.gamma([3], 1.0, dtype=tf.int32)


def test_poisson_shapes_dtypes_and_mean():
    assert tf.random.poisson([2], [1.0, 2.0]).dtype == tf.float32
    ints = tf.random.poisson([20000], [0.5, 7.0], dtype=tf.int32, seed=2).numpy()
    assert ints.dtype == np.int32 and ints.shape == (20000, 2)
    np.testing.assert_allclose(ints.mean(axis=0), [0.5, 7.0], rtol=0.05)
    np.testing.assert_allclose(ints.var(axis=0), [0.5, 7.0], rtol=0.1)


def test_seeded_draws_repeat_after_set_seed():
    tf.random.set_seed(5)
    first = [tf.random.gamma([4], 2.0, seed=1).numpy(), tf.random.poisson([4], 3.0, seed=1)]
    tf.random.set_seed(5)
    again = [tf.random.gamma([4], 2.0, seed=1).numpy(), tf.random.poisson([4], 3.0, seed=1)]
    np.testing.assert_array_equal(first[0], again[0])
    np.testing.assert_array_equal(first[1].numpy(), again[1].numpy())


def test_stateless_gamma_and_poisson():
    a = tf.random.stateless_gamma([3, 2], [1, 2], [1.0, 2.0])
    b = tf.random.stateless_gamma([3, 2], [1, 2], [1.0, 2.0])
    assert a.shape == (3, 2) and a.dtype == tf.float32
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert not np.array_equal(a.numpy(), tf.random.stateless_gamma([3, 2], [1, 3], [1.0, 2.0]))
    beta = [[1.0], [2.0], [3.0]]
    assert tf.random.stateless_gamma([3, 2], [1, 2], [1.0, 2.0], beta=beta).shape == (3, 2)
    p = tf.random.stateless_poisson([3, 2], [1, 2], [1.0, 2.0])
    assert p.dtype == tf.int32
    np.testing.assert_array_equal(p.numpy(), tf.random.stateless_poisson([3, 2], [1, 2], [1, 2]))
    many = tf.random.stateless_poisson([40000], [7, 8], 4.0, dtype=tf.float32).numpy()
    assert many.dtype == np.float32 and abs(many.mean() - 4.0) < 0.1
    with pytest.raises(tf.errors.InvalidArgumentError, match="stateless_gamma"):
        tf.random.stateless_gamma([3, 4], [1, 2], [1.0, 2.0])
    with pytest.raises(ValueError, match="stateless_poisson"):
        tf.random.stateless_poisson([3], [1, 2, 3], 1.0)


def test_split_and_fold_in_derive_distinct_reproducible_seeds():
    seeds = tf.random.split([1, 2], 3)
    assert seeds.shape == (3, 2) and seeds.dtype == tf.int32
    np.testing.assert_array_equal(seeds.numpy(), tf.random.split([1, 2], 3).numpy())
    assert len({tuple(s) for s in seeds.numpy().tolist()}) == 3
    assert tf.random.split(tf.constant([1, 2], tf.int64)).dtype == tf.int64
    folded = [tf.random.fold_in([1, 2], i).numpy().tolist() for i in range(4)]
    assert len({tuple(s) for s in folded}) == 4 and len(folded[0]) == 2
    assert tf.random.fold_in([1, 2], 0).numpy().tolist() == folded[0]
    # a derived seed drives the stateless ops
    x = tf.random.stateless_normal([3], seed=tf.random.fold_in([1, 2], 7))
    np.testing.assert_array_equal(
        x.numpy(), tf.random.stateless_normal([3], seed=tf.random.fold_in([1, 2], 7)).numpy()
    )
    with pytest.raises(ValueError, match="random.split"):
        tf.random.split([1, 2, 3])
    with pytest.raises(ValueError, match="random.fold_in"):
        tf.random.fold_in([1, 2], 1.5)


def test_stateless_parameterized_truncated_normal():
    # TF's docstring example (parameters broadcasting to the shape), and TF 2.21's moments:
    # [0, 3] of N(1, 2): mean 1.41, std 0.83; [5, inf): mean 5.19; (-inf, -3]: -3.28
    tnd = tf.random.stateless_parameterized_truncated_normal
    y = tnd(
        shape=[10, 2, 3],
        seed=[7, 17],
        means=0.0,
        stddevs=tf.math.exp(tf.random.uniform(shape=[2, 3])),
        minvals=[-1.0, -2.0, -1000.0],
        maxvals=[[10000.0], [1.0]],
    )
    assert y.shape == (10, 2, 3) and y.dtype == tf.float32
    assert (y.numpy()[:, 1, :] <= 1.0).all() and (y.numpy()[:, :, 0] >= -1.0).all()
    body = tnd([100000], [1, 2], means=1.0, stddevs=2.0, minvals=0.0, maxvals=3.0).numpy()
    assert body.min() >= 0 and body.max() <= 3
    assert abs(body.mean() - 1.41) < 0.02 and abs(body.std() - 0.83) < 0.02
    upper = tnd([50000], [1, 2], minvals=5.0, maxvals=np.inf).numpy()
    assert upper.min() >= 5 and abs(upper.mean() - 5.19) < 0.02
    lower = tnd([50000], [3, 2], minvals=-np.inf, maxvals=-3.0).numpy()
    assert lower.max() <= -3 and abs(lower.mean() + 3.28) < 0.02
    narrow = tnd([50000], [3, 2], minvals=4.0, maxvals=4.1).numpy()
    assert narrow.min() >= 4 and narrow.max() <= 4.1
    np.testing.assert_array_equal(tnd([5], [3, 4]).numpy(), tnd([5], [3, 4]).numpy())
    with pytest.raises(ValueError, match="stddevs must be > 0 and minvals < maxvals"):
        tnd([3], [1, 2], minvals=1.0, maxvals=0.0)


def test_split_fold_in_and_make_seeds_are_built_as_tensorflow_builds_them():
    seed = tf.constant([1, 2], tf.int64)
    full = tf.random.stateless_uniform([3, 2], seed=seed, minval=None, maxval=None, dtype=tf.int64)
    split = tf.random.split(seed, 3)
    assert split.dtype == tf.int64 and split.numpy().tolist() == full.numpy().tolist()
    folded = tf.random.fold_in(seed, 7)  # the dtype of data (int32), data kept as is
    first = tf.random.stateless_uniform([], seed=seed, minval=None, maxval=None, dtype=tf.int32)
    assert folded.dtype == tf.int32 and folded.numpy().tolist() == [int(first), 7]
    seeds = tf.random.Generator.from_seed(3).make_seeds(4)
    assert seeds.shape == (2, 4) and seeds.numpy()[1].tolist() == [0, 0, 0, 0]
