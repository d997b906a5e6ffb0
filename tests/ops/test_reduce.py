"""Reductions with axis/keepdims on every device and float dtype against NumPy."""

from __future__ import annotations

import numpy as np
import pytest
from core_helpers import assert_close, rand, ref

import gpuflow as gf

AXES = [None, 0, 1, -1, (0, 2), [1, 2]]
REDUCE = {
    "reduce_sum": np.sum,
    "reduce_mean": np.mean,
    "reduce_max": np.max,
    "reduce_min": np.min,
    "reduce_variance": np.var,
    "reduce_std": np.std,
    "reduce_logsumexp": lambda x, axis, keepdims: np.log(
        np.sum(np.exp(x), axis=axis, keepdims=keepdims)
    ),
}


@pytest.mark.parametrize("name", sorted(REDUCE))
@pytest.mark.parametrize("axis", AXES)
@pytest.mark.parametrize("keepdims", [False, True])
def test_reduce_against_numpy(name, axis, keepdims, device, float_dtype):
    x = rand((2, 3, 4), float_dtype)
    out = getattr(gf, name)(gf.constant(x, device=device), axis=axis, keepdims=keepdims)
    np_axis = tuple(axis) if isinstance(axis, list) else axis
    expected = REDUCE[name](ref(x), axis=np_axis, keepdims=keepdims)
    assert out.dtype == np.dtype(float_dtype) and out.device == device
    assert out.shape == np.shape(expected)
    assert_close(out, expected, float_dtype)


@pytest.mark.parametrize("name", ["argmax", "argmin"])
@pytest.mark.parametrize("axis", [0, 1, -1])
def test_argmax_argmin(name, axis, device, float_dtype):
    x = rand((3, 5), float_dtype)
    out = getattr(gf, name)(gf.constant(x, device=device), axis=axis)
    assert out.dtype == gf.int64
    np.testing.assert_array_equal(out.numpy(), getattr(np, name)(x, axis=axis))
    assert gf.argmax(gf.constant(x), axis=1, output_type="int32").dtype == gf.int32


def test_float16_sum_accumulates_in_float32(device):
    ones = gf.ones([10000], dtype="float16", device=device)
    total = gf.reduce_sum(ones)
    assert total.dtype == gf.float16
    assert float(total) == 10000.0  # a float16 accumulator would stop at 2048
    assert float(gf.reduce_mean(ones)) == 1.0
    assert (
        float(gf.reduce_sum(gf.ones([100, 100], dtype="float16", device=device), axis=[0, 1]))
        == 10000.0
    )


def test_integer_reductions_keep_their_dtype():
    x = gf.constant([[1, 2], [3, 4]])
    assert x.dtype == gf.int32
    assert gf.reduce_sum(x).dtype == gf.int32 and int(gf.reduce_sum(x)) == 10
    assert gf.reduce_max(x).dtype == gf.int32 and int(gf.reduce_max(x)) == 4
    # NumPy's prod/cumprod widen int32 to int64; TensorFlow keeps int32
    assert gf.reduce_prod(x).dtype == gf.int32 and int(gf.reduce_prod(x)) == 24
    assert gf.math.reduce_prod((28, 28)).dtype == gf.int32
    np.testing.assert_array_equal(gf.reduce_prod(x, axis=1).numpy(), [2, 12])
    scan = gf.math.cumprod(x, axis=1)
    assert scan.dtype == gf.int32
    np.testing.assert_array_equal(scan.numpy(), [[1, 2], [3, 12]])
    assert gf.math.cumsum(x, axis=0).dtype == gf.int32
    half = gf.math.cumprod(gf.constant([2.0, 3.0], dtype="float16"))
    assert half.dtype == gf.float16 and half.numpy().tolist() == [2.0, 6.0]
    out = gf.reduce_mean(x, axis=0)
    assert out.dtype == gf.int32
    np.testing.assert_array_equal(out.numpy(), [2, 3])


def test_any_all():
    x = gf.constant([[True, False], [True, True]])
    np.testing.assert_array_equal(gf.reduce_any(x, axis=1).numpy(), [True, True])
    np.testing.assert_array_equal(gf.reduce_all(x, axis=1).numpy(), [False, True])
    assert bool(gf.reduce_any(x)) and not bool(gf.reduce_all(x))


def test_zero_size_reductions(device):
    empty = gf.zeros([0, 3], device=device)
    assert float(gf.reduce_sum(empty)) == 0.0
    assert gf.reduce_sum(empty, axis=0).shape == (3,)
    np.testing.assert_array_equal(gf.reduce_sum(empty, axis=0).numpy(), np.zeros(3))
    assert gf.reduce_sum(empty, axis=1).shape == (0,)
    # max / min over no elements give their identity, as TensorFlow 2.21
    assert float(gf.reduce_max(empty)) == -np.inf
    np.testing.assert_array_equal(gf.reduce_min(empty, axis=0).numpy(), np.full(3, np.inf))
    assert int(gf.reduce_max(gf.zeros([0], "int32", device=device))) == np.iinfo("int32").min
    assert int(gf.reduce_min(gf.zeros([0], "uint8", device=device))) == 255
    # keras.ops.max keeps Keras' error (its TensorFlow backend asserts a non-empty input)
    with pytest.raises(gf.errors.InvalidArgumentError, match="max of an empty tensor"):
        gf.keras.ops.max(empty)
    assert gf.reduce_max(empty, axis=1).shape == (0,)  # the reduced axis has 3 elements
    assert gf.reduce_max(gf.zeros([2, 0], device=device), axis=0).shape == (0,)


def test_reduce_axis_errors():
    with pytest.raises(
        ValueError, match="reduce_sum: axis 2 is out of range for a tensor of rank 2"
    ):
        gf.reduce_sum(gf.ones([2, 2]), axis=2)


def test_tensor_methods():
    x = gf.constant([[1.0, 2.0], [3.0, 5.0]])
    assert float(x.sum()) == 11.0 and float(x.mean()) == 2.75
    assert float(x.max()) == 5.0 and float(x.min()) == 1.0
    assert_close(x.sum(axis=0), [4.0, 7.0])
    assert x.sum(axis=1, keepdims=True).shape == (2, 1)


def test_argmax_argmin_of_bools_as_tensorflow():
    # the "load and preprocess images" tutorial: tf.argmax(parts[-2] == class_names)
    flags = gf.constant([False, True, True])
    assert int(gf.argmax(flags)) == 1 and gf.argmax(flags).dtype == gf.int64
    assert int(gf.argmin(gf.constant([True, False]))) == 1
    with pytest.raises(TypeError, match="argmax: expected a number or bool tensor"):
        gf.argmax(gf.constant(["a", "b"]))


def test_numpy_reductions_accept_tensors():
    # the autodiff guide calls np.mean(tensor, axis=0): NumPy passes dtype= and out=
    x = gf.constant([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_allclose(np.asarray(np.mean(x, axis=0)), [2.0, 3.0])
    np.testing.assert_allclose(np.asarray(np.sum(x)), 10.0)
    np.testing.assert_allclose(np.asarray(np.max(x, axis=1, keepdims=True)), [[2.0], [4.0]])
    np.testing.assert_allclose(np.asarray(np.min(x, axis=1)), [1.0, 3.0])
    as64 = np.mean(x, axis=0, dtype=np.float64)
    assert isinstance(as64, np.ndarray) and as64.dtype == np.float64
    np.testing.assert_allclose(x.sum(0, True).numpy(), [[4.0, 6.0]])  # the methods' own order


def test_logsumexp_of_infinite_rows_as_tensorflow():
    # TensorFlow leaves an infinite max unsubtracted: an all -inf row gives -inf, not nan
    x = gf.constant([[-np.inf, -np.inf], [0.0, 1.0], [np.inf, 1.0]])
    out = gf.reduce_logsumexp(x, axis=1).numpy()
    assert out[0] == -np.inf and out[2] == np.inf
    np.testing.assert_allclose(out[1], np.log(1.0 + np.e), rtol=1e-6)


def test_reduce_mean_over_no_element_is_a_quiet_nan(recwarn):
    # TF gives NaN without a warning (keras.io "Visualizing what convnets learn" slices a
    # 2x2 activation with [2:-2], an empty window); the gradient is zeros
    x = gf.zeros((2, 0, 3))
    assert np.isnan(gf.reduce_mean(x).numpy())
    np.testing.assert_array_equal(gf.reduce_mean(x, axis=1).numpy(), np.full((2, 3), np.nan))
    assert gf.reduce_mean(x, axis=-1).shape == (2, 0)
    v = gf.Variable(np.ones((1, 2, 2, 3), "float32"))
    with gf.GradientTape() as tape:
        loss = gf.reduce_mean(v[:, 2:-2, 2:-2, 0])
    assert np.isnan(loss.numpy())
    assert tape.gradient(loss, v).numpy().sum() == 0.0
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]
