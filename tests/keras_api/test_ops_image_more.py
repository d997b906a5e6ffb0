"""keras.ops.image.extract_patches / rgb_to_grayscale, ops.unique, argpartition, histogram
and psnr: expected values printed by Keras 3.15 on TensorFlow 2.21 (tfvenv) for the same
calls, plus gradients."""

import numpy as np
import pytest

from gpuflow.keras import ops
from gpuflow.testing import gradcheck

X = np.arange(20, dtype="float32").reshape(1, 4, 5, 1)
KERAS_PATCHES = [
    ({"size": 2}, (1, 2, 2, 4), [0, 1, 5, 6, 2, 3, 7, 8, 10, 11, 15, 16, 12, 13, 17, 18]),
    (
        {"size": (3, 2), "strides": (1, 2), "padding": "same"},
        (1, 4, 3, 6),
        [
            0,
            0,
            0,
            1,
            5,
            6,
            0,
            0,
            2,
            3,
            7,
            8,
            0,
            0,
            4,
            0,
            9,
            0,
            0,
            1,
            5,
            6,
            10,
            11,
            2,
            3,
            7,
            8,
            12,
            13,
            4,
            0,
            9,
            0,
            14,
            0,
            5,
            6,
            10,
            11,
            15,
            16,
            7,
            8,
            12,
            13,
            17,
            18,
            9,
            0,
            14,
            0,
            19,
            0,
            10,
            11,
            15,
            16,
            0,
            0,
            12,
            13,
            17,
            18,
            0,
            0,
            14,
            0,
            19,
            0,
            0,
            0,
        ],
    ),
    (
        {"size": 2, "strides": 1, "dilation_rate": 2},
        (1, 2, 3, 4),
        [0, 2, 10, 12, 1, 3, 11, 13, 2, 4, 12, 14, 5, 7, 15, 17, 6, 8, 16, 18, 7, 9, 17, 19],
    ),
]


@pytest.mark.parametrize("kwargs, shape, values", KERAS_PATCHES)
def test_extract_patches_matches_keras(kwargs, shape, values):
    out = ops.image.extract_patches(X, **kwargs)
    assert tuple(out.shape) == shape
    np.testing.assert_array_equal(out.numpy().reshape(-1), values)


def test_extract_patches_gradient_and_errors():
    x = np.random.default_rng(0).normal(size=(1, 4, 4, 2))
    assert gradcheck(lambda t: ops.image.extract_patches(t, 2, strides=1), [x])
    with pytest.raises(ValueError, match="do not fit images"):
        ops.image.extract_patches(X, 5)
    with pytest.raises(ValueError, match="extract_patches: Invalid `size`.*length 2 or 3"):
        ops.image.extract_patches(X, (2, 2, 2, 2))
    with pytest.raises(TypeError, match="extract_patches: Invalid `size`"):
        ops.image.extract_patches(X, "2")


def test_extract_patches_with_three_sizes_takes_volume_patches():
    # Keras 3: a size of three ints is extract_patches_3d (the extract_patches docstring)
    v = np.random.default_rng(2).random((2, 10, 10, 10, 3)).astype("float32")
    got = ops.image.extract_patches(v, (3, 3, 3))
    assert tuple(got.shape) == (2, 3, 3, 3, 81)
    np.testing.assert_array_equal(got.numpy(), ops.image.extract_patches_3d(v, (3, 3, 3)).numpy())
    # the first patch is the first 3x3x3 block, flattened in (depth, row, column, channel) order
    np.testing.assert_array_equal(got.numpy()[0, 0, 0, 0], v[0, :3, :3, :3].reshape(-1))
    assert tuple(ops.image.extract_patches(v[0], (3, 3, 3)).shape) == (3, 3, 3, 81)


def test_rgb_to_grayscale_unique_histogram_psnr():
    gray = ops.image.rgb_to_grayscale(np.array([[[1.0, 2.0, 3.0]]], "float32"))
    np.testing.assert_allclose(gray.numpy(), [[[1.8149000406265259]]], rtol=1e-6)
    values = ops.unique(np.array([3, 1, 3, 2]))
    assert values.numpy().tolist() == [1, 2, 3] and ops.dtype(values) == "int64"
    values, inverse, counts = ops.unique(
        np.array([3, 1, 3, 2]), return_inverse=True, return_counts=True
    )
    assert inverse.numpy().tolist() == [2, 0, 2, 1] and counts.numpy().tolist() == [1, 1, 2]
    assert ops.unique(np.array([2, 2]), size=3, fill_value=-1).numpy().tolist() == [2, -1, -1]
    # axis (the keras.ops.unique docstring) and sorted=False (first-appearance order), as
    # Keras's TensorFlow backend
    rows = np.array([[0, 1, 0], [1, 0, 0], [0, 1, 0]], "int32")
    assert ops.unique(rows, axis=0).numpy().tolist() == [[0, 1, 0], [1, 0, 0]]
    cols, inverse, counts = ops.unique(rows, axis=1, return_inverse=True, return_counts=True)
    assert cols.numpy().tolist() == [[0, 0, 1], [0, 1, 0], [0, 0, 1]]
    assert inverse.numpy().tolist() == [1, 2, 0] and counts.numpy().tolist() == [1, 1, 1]
    assert ops.unique(rows, axis=-2, size=3, fill_value=7).numpy().tolist()[2] == [7, 7, 7]
    values, inverse = ops.unique(np.array([3, 1, 3, 2]), sorted=False, return_inverse=True)
    assert values.numpy().tolist() == [3, 1, 2] and inverse.numpy().tolist() == [0, 1, 0, 2]
    with pytest.raises(ValueError, match="unique: axis 2 is out of range"):
        ops.unique(rows, axis=2)
    counts, edges = ops.histogram(np.array([1.0, 2.0, 2.0, 5.0]), bins=4)
    assert counts.numpy().tolist() == [1.0, 2.0, 0.0, 1.0]
    assert edges.numpy().tolist() == [1.0, 2.0, 3.0, 4.0, 5.0]
    x = np.array([5, 1, 4, 2])
    order = ops.argpartition(x, 2).numpy()
    assert sorted(x[order[:2]].tolist()) == [1, 2] and x[order[2]] == 4
    value = ops.psnr(np.ones((2, 2), "float32"), np.full((2, 2), 0.5, "float32"), 1.0)
    np.testing.assert_allclose(float(value), 6.0205994, rtol=1e-6)
