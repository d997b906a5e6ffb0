"""keras.random: seeds as in Keras 3 (int seeds repeat, SeedGenerators advance, the global
generator restarts after set_random_seed), distributions, errors, and draws inside
gpuflow.function."""

import numpy as np
import pytest

import gpuflow as gf
import gpuflow.keras as keras
from gpuflow.keras import ops


def test_int_seed_repeats_and_seed_generator_advances():
    a = keras.random.normal((4,), seed=7)
    b = keras.random.normal((4,), seed=7)
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    gen = keras.random.SeedGenerator(7)
    first = keras.random.normal((4,), seed=gen)
    second = keras.random.normal((4,), seed=gen)
    assert not np.allclose(first.numpy(), second.numpy())
    assert gen.state.numpy().tolist() == [7, 2]
    again = keras.random.SeedGenerator(7)
    np.testing.assert_array_equal(keras.random.normal((4,), seed=again).numpy(), first.numpy())


def test_seed_generator_state_is_a_non_trainable_variable_and_config():
    gen = keras.random.SeedGenerator(3, name="gen")
    assert isinstance(gen.state, gf.Variable) and not gen.state.trainable
    assert gen.get_config() == {"seed": 3, "name": "gen"}
    copy = keras.random.SeedGenerator.from_config(gen.get_config())
    assert copy.state.numpy().tolist() == [3, 0]
    with pytest.raises(ValueError, match="Argument `seed` must be an integer"):
        keras.random.SeedGenerator(1.5)


def test_global_generator_restarts_after_set_random_seed():
    keras.utils.set_random_seed(11)
    a = keras.random.uniform((3,))
    b = keras.random.uniform((3,))
    keras.utils.set_random_seed(11)
    np.testing.assert_array_equal(keras.random.uniform((3,)).numpy(), a.numpy())
    np.testing.assert_array_equal(keras.random.uniform((3,)).numpy(), b.numpy())
    assert not np.allclose(a.numpy(), b.numpy())


def test_distributions():
    gen = keras.random.SeedGenerator(0)
    n = keras.random.normal((20000,), mean=2.0, stddev=3.0, seed=gen)
    assert abs(float(ops.mean(n)) - 2.0) < 0.1 and abs(float(ops.std(n)) - 3.0) < 0.1
    u = keras.random.uniform((20000,), minval=-1.0, maxval=3.0, seed=gen)
    assert float(ops.min(u)) >= -1.0 and float(ops.max(u)) < 3.0
    assert abs(float(ops.mean(u)) - 1.0) < 0.05
    t = keras.random.truncated_normal((20000,), stddev=0.5, seed=gen)
    assert float(ops.max(ops.abs(t))) <= 1.0
    r = keras.random.randint((1000,), 2, 5, seed=gen)
    assert ops.dtype(r) == "int32" and set(r.numpy().tolist()) == {2, 3, 4}
    c = keras.random.categorical(np.log([[0.1, 0.9]]), 4000, seed=gen)
    assert ops.dtype(c) == "int32" and abs(float(ops.mean(ops.cast(c, "float32"))) - 0.9) < 0.03
    g = keras.random.gamma((20000,), 3.0, seed=gen)
    assert abs(float(ops.mean(g)) - 3.0) < 0.1
    bi = keras.random.binomial((20000,), 10, 0.3, seed=gen)
    assert ops.dtype(bi) == "float32" and abs(float(ops.mean(bi)) - 3.0) < 0.1
    be = keras.random.beta((20000,), 2.0, 6.0, seed=gen)
    assert abs(float(ops.mean(be)) - 0.25) < 0.01


def test_dropout_and_shuffle():
    x = ops.ones((1000,))
    out = keras.random.dropout(x, 0.25, seed=3).numpy()
    np.testing.assert_allclose(np.unique(out), [0.0, 1.0 / 0.75], rtol=1e-6)
    assert abs((out == 0).mean() - 0.25) < 0.05
    rows = keras.random.dropout(ops.ones((4, 6)), 0.5, noise_shape=(4, 1), seed=3).numpy()
    assert all(len(set(row.tolist())) == 1 for row in rows)
    shuffled = keras.random.shuffle(ops.arange(10), seed=1).numpy()
    assert sorted(shuffled.tolist()) == list(range(10))
    cols = keras.random.shuffle(ops.reshape(ops.arange(6), (2, 3)), axis=1, seed=2).numpy()
    assert sorted(cols[0].tolist()) == [0, 1, 2] and (cols[1] - cols[0] == 3).all()


def test_errors():
    with pytest.raises(ValueError, match="`keras.random.uniform` requires a floating point"):
        keras.random.uniform((2,), dtype="int32")
    with pytest.raises(ValueError, match="`keras.random.randint` requires an integer"):
        keras.random.randint((2,), 0, 3, dtype="float32")
    with pytest.raises(ValueError, match="Argument `seed` must be either an integer"):
        keras.random.normal((2,), seed="a")
    with pytest.raises(ValueError, match="dropout: rate must be in"):
        keras.random.dropout(ops.ones((2,)), 1.0)


def test_seed_generator_draws_fresh_numbers_in_a_compiled_function():
    gen = keras.random.SeedGenerator(5)

    @gf.function
    def draw():
        return keras.random.normal((3,), seed=gen)

    first, second, third = draw().numpy(), draw().numpy(), draw().numpy()
    assert not np.allclose(first, second) and not np.allclose(second, third)
    eager = keras.random.SeedGenerator(5)
    expected = [keras.random.normal((3,), seed=eager).numpy() for _ in range(3)]
    np.testing.assert_allclose(np.stack([first, second, third]), np.stack(expected))
