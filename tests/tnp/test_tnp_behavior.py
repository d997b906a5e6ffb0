"""tnp.random and tnp.experimental_enable_numpy_behavior (tensor methods, prefer_float32)."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf
import gpuflow.experimental.numpy as tnp
from gpuflow.experimental.numpy import _behavior, _dtypes


@pytest.fixture
def numpy_behavior():
    """Enable NumPy behavior for one test, then take the added methods off again."""
    before = {name for name in _behavior._METHODS if name in vars(tf.Tensor)}
    yield
    for name in _behavior._METHODS:
        if name not in before and name in vars(tf.Tensor):
            delattr(tf.Tensor, name)
    _dtypes.config.prefer_float32 = False
    _dtypes.config.enabled = False
    _dtypes.config.conversion_mode = "legacy"


def test_random_shapes_dtypes_and_ranges():
    tnp.random.seed(3)
    a = tnp.random.randn(200, 3)
    assert a.shape == (200, 3) and a.dtype == tf.float64
    assert abs(float(tnp.mean(a))) < 0.2 and 0.8 < float(tnp.std(a)) < 1.2
    u = tnp.random.uniform(2.0, 5.0, size=(500,))
    assert u.dtype == tf.float64 and 2.0 <= float(tnp.min(u)) and float(tnp.max(u)) < 5.0
    assert tnp.random.uniform(tnp.zeros((2, 1)), 1.0).shape == (2, 1)
    assert tnp.random.rand(4, 2).shape == (4, 2) and tnp.random.random((3,)).shape == (3,)
    assert tnp.random.standard_normal(5).shape == (5,)
    r = tnp.random.randint(3, 7, size=(300,))
    assert r.dtype == tf.int64 and set(np.unique(r.numpy())) == {3, 4, 5, 6}
    assert tnp.random.randint(4, size=2, dtype=tnp.int32).dtype == tf.int32
    with pytest.raises(ValueError, match="dtype"):
        tnp.random.randint(4, dtype=tnp.float32)
    with pytest.raises(ValueError, match="Only integers"):
        tnp.random.seed(None)


def test_seed_repeats_samples():
    tnp.random.seed(7)
    first = tnp.random.randn(4).numpy()
    tnp.random.seed(7)
    np.testing.assert_array_equal(tnp.random.randn(4).numpy(), first)


def test_numpy_methods_on_tensors(numpy_behavior):
    tnp.experimental_enable_numpy_behavior()
    values = np.arange(6.0).reshape(2, 3)
    t = tf.constant(values)
    np.testing.assert_array_equal(t.ravel().numpy(), values.ravel())
    np.testing.assert_array_equal(t.flatten().numpy(), values.flatten())
    np.testing.assert_array_equal(t.transpose().numpy(), values.T)
    np.testing.assert_array_equal(t.T.numpy(), values.T)
    np.testing.assert_array_equal(t.reshape(3, 2).numpy(), values.reshape(3, 2))
    np.testing.assert_array_equal(t.clip(1.5, 4.0).numpy(), values.clip(1.5, 4.0))
    np.testing.assert_array_equal(t.astype(tnp.int32).numpy(), values.astype(np.int32))
    assert t.tolist() == values.tolist() and (+t) is t and t.data is t
    np.testing.assert_array_equal(round(t * 0.37, 1).numpy(), np.round(values * 0.37, 1))


def test_prefer_float32_makes_python_floats_float32(numpy_behavior):
    assert tnp.asarray(1.5).dtype == tf.float64 and tnp.ones(2).dtype == tf.float64
    tnp.experimental_enable_numpy_behavior(prefer_float32=True)
    assert tnp.asarray([1.5, 2.0]).dtype == tf.float32
    assert tnp.ones(2).dtype == tf.float32 and tnp.random.randn(2).dtype == tf.float32
    assert tnp.sqrt(tnp.arange(3)).dtype == tf.float32
    assert tnp.asarray(np.ones(2)).dtype == tf.float64  # NumPy arrays keep their dtype
    tnp.experimental_enable_numpy_behavior(prefer_float32=False)
    assert tnp.asarray(1.5).dtype == tf.float64
    with pytest.raises(ValueError, match="dtype_conversion_mode"):
        tnp.experimental_enable_numpy_behavior(dtype_conversion_mode="nope")


def test_operators_promote_as_numpy_once_enabled(numpy_behavior):
    i32, f32 = tf.constant([1, 2], tf.int32), tf.constant([0.5, 0.5])
    # before numpy behavior, as TensorFlow: mixed tensor dtypes and a float into ints raise
    with pytest.raises(tf.errors.InvalidArgumentError):
        i32 + f32
    with pytest.raises(tf.errors.InvalidArgumentError):
        i32 * 2.5
    tnp.experimental_enable_numpy_behavior()
    # TensorFlow 2.21's "legacy" mode: NumPy's promotion, Python scalars stay weak
    assert (i32 + f32).dtype == tf.float64
    assert (i32 * 2.5).dtype == tf.float64
    assert (f32 * 2.0).dtype == tf.float32 and (f32 * 2).dtype == tf.float32
    assert (tf.ones([2], tf.uint8) + tf.ones([2], tf.int8)).dtype == tf.int16
    assert (tf.ones([1], tf.float16) + f32).dtype == tf.float32
    tnp.experimental_enable_numpy_behavior(prefer_float32=True)
    assert (i32 * 2.5).dtype == tf.float32


def test_import_paths():
    import importlib

    assert tf.experimental.numpy is tnp
    assert importlib.import_module("gpuflow.experimental.numpy.random") is tnp.random


def test_traced_functions_replay_on_new_values():
    @tf.function
    def f(x, mask):
        stacked = tnp.asarray([x, x * 2.0])
        kept = tnp.compress(mask, x)
        return tnp.sum(stacked, axis=0), kept, tnp.nextafter(x, tnp.inf)

    for values, mask in (
        ([1.0, 2.0, 3.0], [True, False, True]),
        ([4.0, 5.0, 6.0], [False, True, True]),
    ):
        x = tf.constant(values, tf.float64)
        summed, kept, after = f(x, tf.constant(mask))
        np.testing.assert_allclose(summed.numpy(), 3 * np.asarray(values))
        np.testing.assert_allclose(kept.numpy(), np.compress(mask, values))
        np.testing.assert_array_equal(after.numpy(), np.nextafter(values, np.inf))


@pytest.mark.parametrize("mode", ["safe", "all"])
def test_conversion_modes_let_variables_take_narrower_tensors(numpy_behavior, mode):
    tnp.experimental_enable_numpy_behavior(dtype_conversion_mode=mode)
    v = tf.Variable(10, dtype=tf.int32)
    v.assign_add(tf.constant(5, tf.int16))
    v.assign_sub(tf.constant(2, tf.uint8))
    assert v.dtype == tf.int32 and int(v.numpy()) == 13
    v.assign(tf.constant([7], tf.int8)[0])
    assert int(v.numpy()) == 7
    f = tf.Variable([1.0, 2.0])
    f.assign_add(tf.constant([1.0, 1.0], tf.float16))
    np.testing.assert_array_equal(f.numpy(), [2.0, 3.0])
    # a wider (or lossy) dtype would change the variable's: TensorFlow's TypeError
    with pytest.raises(TypeError, match="Variable dtype is immutable"):
        v.assign_add(tf.constant(1, tf.int64))
    with pytest.raises(TypeError, match="Variable dtype is immutable"):
        f.assign_add(tf.constant([1.0, 1.0], tf.float64))
    with pytest.raises(TypeError, match="Variable dtype is immutable"):
        v.assign_add(tf.constant(1.0))
    assert int(v.numpy()) == 7


def test_integers_into_float_variables_only_in_all_mode(numpy_behavior):
    f = tf.Variable(1.0)
    tnp.experimental_enable_numpy_behavior(dtype_conversion_mode="all")
    f.assign_add(tf.constant(2, tf.int32))
    assert float(f.numpy()) == 3.0
    tnp.experimental_enable_numpy_behavior(dtype_conversion_mode="safe")
    with pytest.raises(TypeError, match="Variable dtype is immutable"):
        f.assign_add(tf.constant(2, tf.int32))
    tnp.experimental_enable_numpy_behavior(dtype_conversion_mode="legacy")
    with pytest.raises(ValueError, match="requested dtype float32 for Tensor with dtype int32"):
        f.assign_add(tf.constant(2, tf.int32))


def test_implicit_conversion_table_follows_tensorflow(numpy_behavior):
    from gpuflow.dtypes import implicit_conversion_allowed as allowed

    tnp.experimental_enable_numpy_behavior(dtype_conversion_mode="safe")
    assert allowed("int16", "int32") and allowed("uint16", "int32")
    assert not allowed("uint32", "int32") and not allowed("int8", "uint16")
    assert allowed("int16", "float32") and not allowed("int32", "float32")
    assert allowed("bfloat16", "float32") and not allowed("bfloat16", "float16")
    assert not allowed("float16", "bfloat16") and allowed("uint8", "bfloat16")
    tnp.experimental_enable_numpy_behavior(dtype_conversion_mode="all")
    assert allowed("int64", "float16") and allowed("uint64", "bfloat16")
    assert not allowed("float32", "int64") and not allowed("int64", "int32")


def test_numpy_operands_promote_under_numpy_behavior(numpy_behavior):
    # without it a NumPy operand takes the tensor's dtype (tests/ops/test_operand_conversion.py)
    tnp.experimental_enable_numpy_behavior()
    out = tf.constant([1, 2]) + np.array([1.5])
    assert out.dtype == tf.float64 and out.numpy().tolist() == [2.5, 3.5]
    assert (tf.constant([1.0, 2.0]) + np.array([1.5])).dtype == tf.float64
