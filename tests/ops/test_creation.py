"""Creation functions and random numbers (seeded, reproducible)."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf


def test_constant_defaults():
    assert gf.constant(1.0).dtype == gf.float32
    assert gf.constant([1, 2]).dtype == gf.int32
    assert gf.constant(True).dtype == gf.bool
    assert gf.constant(np.ones(2, np.float64)).dtype == gf.float64  # NumPy arrays keep theirs
    assert gf.constant(np.ones(2, np.int64)).dtype == gf.int64
    assert gf.constant([1, 2], dtype="float16").dtype == gf.float16
    t = gf.constant(3.0, shape=[2, 2])
    np.testing.assert_array_equal(t.numpy(), np.full((2, 2), 3.0))
    assert gf.convert_to_tensor([1.0]).shape == (1,)
    x = gf.constant([1.0, 2.0])
    assert gf.constant(x) is x and gf.constant(x, dtype="float64").dtype == gf.float64
    with pytest.raises(
        ValueError,
        match=r"constant: value of shape \(2,\) \(2 elements\) does not fit shape \(3,\)",
    ):
        gf.constant([1.0, 2.0], shape=[3])
    # as many elements as the shape: reshaped, as TensorFlow
    np.testing.assert_array_equal(
        gf.constant([1, 2, 3, 4, 5, 6], shape=[2, 3]).numpy(), [[1, 2, 3], [4, 5, 6]]
    )


@pytest.mark.parametrize("dtype", [None, "float16", "float64", "int32"])
def test_fill_like_functions(dtype, device):
    expected = np.dtype(dtype or "float32")
    for t, value in [
        (gf.zeros([2, 3], dtype=dtype, device=device), 0),
        (gf.ones([2, 3], dtype=dtype, device=device), 1),
        (gf.fill([2, 3], 7, dtype=dtype or "float32", device=device), 7),
    ]:
        assert t.shape == (2, 3) and t.dtype == expected and t.device == device
        np.testing.assert_array_equal(t.numpy(), np.full((2, 3), value))
    base = gf.ones([3], dtype=dtype, device=device)
    assert gf.zeros_like(base).dtype == expected and gf.zeros_like(base).device == device
    assert gf.ones_like(base, dtype="float64").dtype == gf.float64


def test_range_linspace_eye():
    np.testing.assert_array_equal(gf.range(5).numpy(), np.arange(5))
    assert gf.range(5).dtype == gf.int32
    np.testing.assert_allclose(gf.range(1, 2, 0.25).numpy(), [1.0, 1.25, 1.5, 1.75])
    assert gf.range(1, 2, 0.25).dtype == gf.float32
    np.testing.assert_allclose(gf.linspace(0.0, 1.0, 5).numpy(), np.linspace(0, 1, 5))
    np.testing.assert_array_equal(gf.eye(3).numpy(), np.eye(3))
    assert gf.eye(2, 3).shape == (2, 3)
    assert gf.fill([2], 3).dtype == gf.int32 and gf.fill([2], 3.0).dtype == gf.float32


def test_zero_size_creation():
    assert gf.zeros([0, 3]).shape == (0, 3)
    assert gf.ones([2, 0]).size == 0
    with pytest.raises(ValueError, match="zeros: dimensions must be >= 0"):
        gf.zeros([-1, 2])


def test_bad_dtype_errors():
    with pytest.raises(TypeError, match="expected one of float16, float32.*received 'float128'"):
        gf.zeros([2], dtype="float128")
    with pytest.raises(TypeError, match="received 'floaty'"):
        gf.constant([1.0], dtype="floaty")
    assert gf.constant(np.array(["a", "b"])).dtype == gf.string  # text is tf.string
    with pytest.raises(TypeError, match="random.normal: expected a float dtype"):
        gf.random.normal([2], dtype="int32")


def test_random_shapes_dtypes_and_ranges(device):
    n = gf.random.normal([2000], mean=1.0, stddev=2.0, device=device)
    assert n.shape == (2000,) and n.dtype == gf.float32 and n.device == device
    assert abs(float(gf.reduce_mean(n)) - 1.0) < 0.2 and abs(float(gf.reduce_std(n)) - 2.0) < 0.2
    u = gf.random.uniform([1000], -1.0, 3.0, dtype="float64", device=device)
    assert u.dtype == gf.float64 and -1 <= float(gf.reduce_min(u)) and float(gf.reduce_max(u)) < 3
    i = gf.random.uniform([100], 0, 5, dtype="int32")
    assert i.dtype == gf.int32 and set(np.unique(i.numpy())) <= set(range(5))
    tn = gf.random.truncated_normal([1000], stddev=1.0)
    assert float(gf.reduce_max(gf.abs(tn))) <= 2.0
    assert gf.random.normal([2, 3], dtype="float16").dtype == gf.float16


def test_set_seed_makes_runs_reproducible():
    gf.random.set_seed(42)
    a = [
        gf.random.normal([5]).numpy(),
        gf.random.uniform([5]).numpy(),
        gf.random.shuffle(gf.range(10)).numpy(),
    ]
    gf.random.set_seed(42)
    b = [
        gf.random.normal([5]).numpy(),
        gf.random.uniform([5]).numpy(),
        gf.random.shuffle(gf.range(10)).numpy(),
    ]
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    gf.random.set_seed(43)
    assert not np.array_equal(gf.random.normal([5]).numpy(), a[0])


def test_op_seed_gives_the_same_numbers_on_every_device(device):
    gf.random.set_seed(3)
    a = gf.random.normal([4], seed=7).numpy()
    gf.random.set_seed(3)  # TF's rule: an op-seeded stream restarts at set_seed
    b = gf.random.normal([4], seed=7, device=device).numpy()
    np.testing.assert_array_equal(a, b)
    gf.random.set_seed(0)
    after = gf.random.normal([4]).numpy()
    gf.random.set_seed(0)
    gf.random.normal([4], seed=7)  # an op seed does not disturb the global stream
    np.testing.assert_array_equal(gf.random.normal([4]).numpy(), after)


def test_set_seed_seeds_devices_made_later():
    from gpuflow.backend import registry

    gf.random.set_seed(5)
    saved = registry._devices.pop("cpu")
    try:
        first = gf.random.normal([3], device="cpu").numpy()
    finally:
        registry._devices["cpu"] = saved
    gf.random.set_seed(5)
    np.testing.assert_array_equal(gf.random.normal([3], device="cpu").numpy(), first)


def test_shape_lists_may_hold_scalar_integer_tensors():
    n = gf.constant(3, dtype="int64")
    assert gf.fill([n], 1.5).numpy().tolist() == [1.5, 1.5, 1.5]
    assert gf.zeros([n, 2]).shape == (3, 2)
    # a float scalar tensor is cast too, as TensorFlow 2.21's tf.zeros([tf.constant(2.0)])
    assert gf.zeros([gf.constant(2.0)]).shape == (2,)
    with pytest.raises(TypeError, match="list of integers"):
        gf.zeros([2.5])


def test_range_infers_its_dtype_as_tensorflow():
    # printed by tensorflow-cpu 2.21: the widest of the arguments' types
    assert gf.range(gf.constant(3, gf.int64)).dtype == gf.int64
    assert gf.range(3).dtype == gf.int32 and gf.range(3.0).dtype == gf.float32
    assert gf.range(1, gf.constant(4, gf.int64)).dtype == gf.int64
    assert gf.range(np.int64(3)).dtype == gf.int64
    assert gf.range(0, 5, 0.5).dtype == gf.float32
    assert gf.range(np.float64(2.0)).dtype == gf.float64


class _ArrayOnly:
    """What a pandas DataFrame offers a converter: __array__ (no .dtype, only .dtypes)."""

    def __init__(self, array):
        self._array = array

    def __array__(self, dtype=None, copy=None):
        return self._array if dtype is None else self._array.astype(dtype)


def test_objects_with_array_keep_their_dtype():
    # as TensorFlow: converted through NumPy, float64 / int64 stay (not Python defaults)
    assert gf.constant(_ArrayOnly(np.ones((2, 2)))).dtype == gf.float64
    assert gf.convert_to_tensor(_ArrayOnly(np.arange(3))).dtype == gf.int64
    assert gf.constant([[1.0, 2.0]]).dtype == gf.float32  # Python floats unchanged


def test_convert_pandas_dataframe_keeps_dtype():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"a": [1, 2, 3], "b": [0.5, 1.5, 2.5]})
    t = gf.convert_to_tensor(df)
    assert t.dtype == gf.float64 and t.shape == (3, 2)
    np.testing.assert_array_equal(t.numpy(), df.to_numpy())
    assert gf.constant(df[["a"]]).dtype == gf.int64
    assert gf.convert_to_tensor(df["a"]).dtype == gf.int64


def test_pandas_dataframe_of_text_and_of_mixed_types():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"a": [1, 2], "s": ["x", "y"]})
    t = gf.convert_to_tensor(df[["s"]])  # as TensorFlow: a string tensor [2, 1]
    assert t.dtype == gf.string and t.shape == (2, 1)
    assert t.numpy().tolist() == [[b"x"], [b"y"]]
    with pytest.raises(ValueError, match=r"DataFrame holds objects of mixed types \(int, str\)"):
        gf.convert_to_tensor(df)
