"""keras.Variable, keras.config and keras.random: variables from initializers, settings,
and reproducible random draws (int seeds repeat, SeedGenerators advance, set_random_seed
replays the global stream)."""

import keras
import numpy as np
from keras import ops

# keras.Variable
v = keras.Variable(keras.initializers.Ones(), shape=(2, 3), name="v")
assert v.shape == (2, 3) and v.name == "v" and v.trainable
assert v.dtype == "float32"
v.assign(ops.full((2, 3), 2.0))
v.assign_add(ops.ones((2, 3)))
v.assign_sub(0.5 * ops.ones((2, 3)))
np.testing.assert_allclose(v.numpy(), np.full((2, 3), 2.5))
np.testing.assert_allclose(ops.convert_to_numpy(v.value), np.full((2, 3), 2.5))
np.testing.assert_allclose(ops.convert_to_numpy(v * 2), np.full((2, 3), 5.0))
frozen = keras.Variable(np.array([1, 2], dtype="int32"), trainable=False)
assert frozen.dtype == "int32" and not frozen.trainable
half = keras.Variable("zeros", shape=(4,), dtype="float16")
assert half.dtype == "float16" and half.shape == (4,)
try:
    keras.Variable(keras.initializers.Ones())
except ValueError as error:
    assert "shape" in str(error)
else:
    raise AssertionError("an initializer without a shape must be refused")

# keras.config
assert keras.config.backend() == "tensorflow"
assert keras.config.floatx() == "float32"
assert keras.config.image_data_format() == "channels_last"
assert keras.config.epsilon() == 1e-7
keras.config.set_floatx("float64")
assert ops.dtype(ops.zeros((2,))) == "float64"
assert keras.layers.Dense(2).dtype == "float64"
keras.config.set_floatx("float32")
keras.config.set_dtype_policy("mixed_float16")
layer = keras.layers.Dense(2)
assert layer.compute_dtype == "float16" and layer.variable_dtype == "float32"
keras.config.set_dtype_policy("float32")
assert keras.config.dtype_policy().name == "float32"

# keras.random
a = keras.random.normal((3,), seed=42)
b = keras.random.normal((3,), seed=42)
np.testing.assert_array_equal(ops.convert_to_numpy(a), ops.convert_to_numpy(b))
gen = keras.random.SeedGenerator(seed=42)
first = keras.random.uniform((3,), seed=gen)
second = keras.random.uniform((3,), seed=gen)
assert not np.allclose(ops.convert_to_numpy(first), ops.convert_to_numpy(second))
replay = keras.random.SeedGenerator(seed=42)
np.testing.assert_array_equal(
    ops.convert_to_numpy(keras.random.uniform((3,), seed=replay)), ops.convert_to_numpy(first)
)

keras.utils.set_random_seed(123)
run1 = [ops.convert_to_numpy(keras.random.normal((4,))) for _ in range(2)]
keras.utils.set_random_seed(123)
run2 = [ops.convert_to_numpy(keras.random.normal((4,))) for _ in range(2)]
np.testing.assert_array_equal(np.stack(run1), np.stack(run2))
assert not np.allclose(run1[0], run1[1])

ints = keras.random.randint((1000,), minval=0, maxval=4, seed=gen)
assert ops.dtype(ints) == "int32" and set(np.unique(ops.convert_to_numpy(ints))) == {0, 1, 2, 3}
samples = keras.random.normal((20000,), mean=1.0, stddev=2.0, seed=gen)
assert abs(float(ops.mean(samples)) - 1.0) < 0.1 and abs(float(ops.std(samples)) - 2.0) < 0.1
trunc = keras.random.truncated_normal((5000,), stddev=1.0, seed=gen)
assert float(ops.max(ops.abs(trunc))) <= 2.0
dropped = ops.convert_to_numpy(keras.random.dropout(ops.ones((1000,)), rate=0.2, seed=gen))
assert 0.15 < (dropped == 0).mean() < 0.25
np.testing.assert_allclose(np.unique(dropped), [0.0, 1.25])
perm = ops.convert_to_numpy(keras.random.shuffle(ops.arange(10), seed=gen))
assert sorted(perm.tolist()) == list(range(10))
draws = ops.convert_to_numpy(keras.random.categorical(ops.log([[0.2, 0.8]]), 5000, seed=gen))
assert draws.shape == (1, 5000) and abs(draws.mean() - 0.8) < 0.03
try:
    keras.random.uniform((2,), dtype="int32")
except ValueError as error:
    assert "floating" in str(error)
else:
    raise AssertionError("uniform with an integer dtype must be refused")
print("keras3_variable_config_random: ok")
