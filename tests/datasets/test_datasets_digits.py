"""Tests for gpuflow.datasets.digits: the packaged UCI handwritten digits."""

import ast
import hashlib
import os
import sys

import numpy as np
import pytest

from gpuflow.datasets import digits

PER_CLASS_TEST = [36, 36, 35, 37, 36, 36, 36, 36, 35, 36]
PER_CLASS_TRAIN = [142, 146, 142, 146, 145, 146, 145, 143, 139, 144]


@pytest.fixture(scope="module")
def default():
    return digits.load_data()


@pytest.fixture(scope="module")
def raw():
    return digits.load_data(raw=True)


def test_shapes_and_dtypes(default):
    (x_train, y_train), (x_test, y_test) = default
    assert x_train.shape == (digits.NUM_TRAIN, 8, 8) == (1438, 8, 8)
    assert x_test.shape == (digits.NUM_TEST, 8, 8) == (359, 8, 8)
    assert y_train.shape == (1438,) and y_test.shape == (359,)
    for a in (x_train, y_train, x_test, y_test):
        assert a.dtype == np.uint8


def test_documented_per_class_counts(default):
    (_, y_train), (_, y_test) = default
    assert np.bincount(y_train, minlength=10).tolist() == PER_CLASS_TRAIN
    assert np.bincount(y_test, minlength=10).tolist() == PER_CLASS_TEST
    for c in range(10):
        share = PER_CLASS_TEST[c] / (PER_CLASS_TEST[c] + PER_CLASS_TRAIN[c])
        assert 0.19 < share < 0.21


def test_labels_range(default):
    (_, y_train), (_, y_test) = default
    assert y_train.min() == 0 and y_train.max() == 9
    assert y_test.min() == 0 and y_test.max() == 9


def test_pixel_scale(default, raw):
    (x_train, _), _ = default
    (r_train, _), (r_test, _) = raw
    assert x_train.min() == 0 and x_train.max() == 255
    assert r_train.min() == 0 and r_train.max() == 16 and r_test.max() <= 16
    # Default is the raw 0..16 count rescaled, rounded half up.
    expected = ((r_train.astype(np.int64) * 255 + 8) // 16).astype(np.uint8)
    np.testing.assert_array_equal(x_train, expected)
    assert {0: 0, 8: 128, 16: 255} == {v: int(expected[r_train == v][0]) for v in (0, 8, 16)}


def test_split_is_reproducible_and_pinned(default):
    again = digits.load_data()
    for a, b in zip((*default[0], *default[1]), (*again[0], *again[1])):
        np.testing.assert_array_equal(a, b)
    # The split must not move between NumPy versions or machines: pin its content.
    (x_train, y_train), (x_test, y_test) = default
    digest = hashlib.sha256(
        b"".join(a.tobytes() for a in (x_train, y_train, x_test, y_test))
    ).hexdigest()
    assert digest == PINNED_DIGEST


PINNED_DIGEST = "c684a375bb96c9b45ad497a7447f0a450ca92e64724e3926acac4fb31a7aaf0f"


def test_split_is_a_partition():
    _, labels = digits._load_raw()
    train, test = digits._split_indices(labels)
    assert len(np.intersect1d(train, test)) == 0
    np.testing.assert_array_equal(np.sort(np.concatenate([train, test])), np.arange(1797))


def test_sets_are_not_ordered_by_class(default):
    (_, y_train), (_, y_test) = default
    # Keras' validation_split takes the tail of the training set: it must hold every class.
    assert len(np.unique(y_train[-int(0.1 * len(y_train)) :])) == 10
    assert len(np.unique(y_train[:50])) == 10
    assert len(np.unique(y_test[:50])) >= 8


def test_images_match_labels(default):
    # Real handwriting: a nearest-centroid classifier already reads most test digits.
    (x_train, y_train), (x_test, y_test) = default
    xt = x_train.reshape(len(x_train), -1).astype(np.float64)
    centroids = np.stack([xt[y_train == c].mean(axis=0) for c in range(10)])
    xs = x_test.reshape(len(x_test), -1).astype(np.float64)
    predicted = np.argmin(((xs[:, None, :] - centroids[None]) ** 2).sum(-1), axis=1)
    assert (predicted == y_test).mean() > 0.85


def test_upsample_to_mnist_shape(default):
    (x28, y28), (t28, u28) = digits.load_data(image_size=28)
    (x8, y8), (_, u8) = default
    assert x28.shape == (1438, 28, 28) and t28.shape == (359, 28, 28)
    assert x28.dtype == np.uint8 and x28.max() <= 255 and x28.max() > 200
    np.testing.assert_array_equal(y28, y8)
    np.testing.assert_array_equal(u28, u8)
    # Bilinear resize keeps the overall brightness of each image (to within rounding and edges).
    np.testing.assert_allclose(x28.reshape(1438, -1).mean(1), x8.reshape(1438, -1).mean(1), atol=12)
    # Flattened and with a channel axis: what an MNIST MLP / CNN expects.
    assert x28.reshape(len(x28), -1).shape[1] == 784
    assert x28[..., None].shape[1:] == (28, 28, 1)


def test_upsample_raw_and_other_sizes():
    (x, _), _ = digits.load_data(image_size=16, raw=True)
    assert x.shape == (1438, 16, 16) and x.max() <= 16
    (x, _), _ = digits.load_data(image_size=np.int64(8))
    assert x.shape == (1438, 8, 8)


def test_resize_bilinear_known_values():
    out = digits.resize_bilinear(np.array([[[0.0, 1.0]]]), (1, 4))
    np.testing.assert_allclose(out, [[[0.0, 0.25, 0.75, 1.0]]])
    img = np.random.RandomState(0).rand(3, 8, 8)
    np.testing.assert_allclose(digits.resize_bilinear(img, 8), img)  # same size: identity
    np.testing.assert_allclose(
        digits.resize_bilinear(np.full((1, 8, 8), 7.0), 28), 7.0
    )  # constant stays
    with pytest.raises(ValueError, match=r"\(n, h, w\)"):
        digits.resize_bilinear(np.zeros((8, 8)), 28)


@pytest.mark.parametrize("bad", [0, -3, 2.5, "28", True, None])
def test_bad_image_size(bad):
    with pytest.raises(ValueError, match="image_size"):
        digits.load_data(image_size=bad)


def test_license_and_attribution_are_shipped():
    folder = os.path.dirname(digits.DATA_FILE)
    assert os.path.getsize(digits.DATA_FILE) < 100_000
    with open(os.path.join(folder, "README.md"), encoding="utf-8") as f:
        text = f.read()
    for needle in ("CC BY 4.0", "Alpaydin", "Kaynak", "UCI", "10.24432/C50P49"):
        assert needle in text


def test_datasets_modules_import_only_numpy_and_stdlib():
    folder = os.path.dirname(digits.__file__)
    allowed = set(sys.stdlib_module_names) | {"numpy"}
    for name in os.listdir(folder):
        if not name.endswith(".py"):
            continue
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            tree = ast.parse(f.read())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                mods = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:  # relative: stays inside gpuflow.datasets
                    continue
                mods = [node.module]
            else:
                continue
            for m in mods:
                assert m.split(".")[0] in allowed, f"{name} imports {m}"
