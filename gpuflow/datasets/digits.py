"""Real handwritten digits shipped inside gpuflow: no download, no network.

The 1,797 8x8 images of the UCI *Optical Recognition of Handwritten Digits*
data set (E. Alpaydin and C. Kaynak, 1998, CC BY 4.0; the copy scikit-learn
also ships), stored in ``gpuflow/datasets/data/digits.npz``. See
``gpuflow/datasets/data/README.md`` for the source, license and attribution.

The split is fixed: per class, 20% of the samples (rounded half up) go to the
test set, chosen by ``numpy.random.RandomState(SEED)`` — a legacy generator
whose stream NumPy keeps identical across versions — and each set is then
shuffled with the same generator, so neither is ordered by class (Keras'
``validation_split`` takes the last samples of the training set).

==========  =====  ======================================================
set         count  per class 0..9
==========  =====  ======================================================
train       1438   142, 146, 142, 146, 145, 146, 145, 143, 139, 144
test         359    36,  36,  35,  37,  36,  36,  36,  36,  35,  36
==========  =====  ======================================================

Example:
    >>> from gpuflow.datasets import digits
    >>> (x_train, y_train), (x_test, y_test) = digits.load_data(image_size=28)
    >>> x_train.shape, x_train.dtype, y_train.dtype
    ((1438, 28, 28), dtype('uint8'), dtype('uint8'))
"""

from __future__ import annotations

import os

import numpy as np

__all__ = [
    "DATA_FILE",
    "NUM_TEST",
    "NUM_TRAIN",
    "SEED",
    "TEST_FRACTION",
    "load_data",
    "resize_bilinear",
]

DATA_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "digits.npz")
"""The packaged file: ``images`` (1797, 8, 8) uint8 0..16, ``labels`` (1797,) uint8."""

SEED = 1998
"""Seed of the ``RandomState`` that draws the fixed train/test split."""

TEST_FRACTION = 0.2
"""Share of each class that goes to the test set."""

NUM_TRAIN = 1438
NUM_TEST = 359

_RAW_MAX = 16  # pixel values are counts of "on" pixels in 4x4 blocks: 0..16


def _load_raw() -> tuple[np.ndarray, np.ndarray]:
    try:
        with np.load(DATA_FILE, allow_pickle=False) as f:
            images, labels = f["images"], f["labels"]
    except FileNotFoundError as e:
        raise FileNotFoundError(
            f"digits: the packaged data file {DATA_FILE} is missing; reinstall gpuflow "
            "(the wheel ships gpuflow/datasets/data/digits.npz)"
        ) from e
    if images.shape != (1797, 8, 8) or labels.shape != (1797,):
        raise ValueError(
            f"digits: expected images (1797, 8, 8) and labels (1797,) in {DATA_FILE}, "
            f"received {images.shape} and {labels.shape}; reinstall gpuflow"
        )
    return images, labels


def _split_indices(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Returns (train, test) index arrays of the fixed stratified split."""
    rng = np.random.RandomState(SEED)
    train, test = [], []
    for c in range(10):
        members = np.flatnonzero(labels == c)
        members = members[rng.permutation(len(members))]
        n_test = int(len(members) * TEST_FRACTION + 0.5)
        test.append(members[:n_test])
        train.append(members[n_test:])
    train = np.concatenate(train)
    test = np.concatenate(test)
    return train[rng.permutation(len(train))], test[rng.permutation(len(test))]


def _interp_matrix(n_in: int, n_out: int) -> np.ndarray:
    """(n_out, n_in) matrix of 1-D linear interpolation weights, half-pixel centres."""
    scale = n_in / n_out
    src = (np.arange(n_out) + 0.5) * scale - 0.5
    src = np.clip(src, 0.0, n_in - 1)
    lo = np.floor(src).astype(np.int64)
    hi = np.minimum(lo + 1, n_in - 1)
    w_hi = src - lo
    m = np.zeros((n_out, n_in), dtype=np.float64)
    rows = np.arange(n_out)
    np.add.at(m, (rows, lo), 1.0 - w_hi)
    np.add.at(m, (rows, hi), w_hi)
    return m


def resize_bilinear(images: np.ndarray, size: int | tuple[int, int]) -> np.ndarray:
    """Resizes a batch of single-channel images with bilinear interpolation.

    Pixel centres are aligned the way PIL, OpenCV and ``tf.image.resize``
    (``half_pixel_centers``) do it; edges are clamped. Pure NumPy: the resize
    is one matrix product per axis.

    Args:
        images: Array of shape (n, h, w), any real dtype.
        size: Output side length, or (height, width).

    Returns:
        float64 array of shape (n, height, width), not rounded.

    Raises:
        ValueError: ``images`` is not 3-D or ``size`` is not positive.
    """
    images = np.asarray(images)
    if images.ndim != 3:
        raise ValueError(
            f"resize_bilinear: expected images of shape (n, h, w), received shape {images.shape}"
        )
    height, width = (size, size) if np.isscalar(size) else tuple(size)
    if int(height) != height or int(width) != width or height < 1 or width < 1:
        raise ValueError(f"resize_bilinear: expected a positive integer size, received {size!r}")
    rows = _interp_matrix(images.shape[1], int(height))
    cols = _interp_matrix(images.shape[2], int(width))
    return np.einsum("oi,nij,pj->nop", rows, images.astype(np.float64), cols, optimize=True)


def load_data(
    image_size: int = 8, *, raw: bool = False
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Loads the packaged handwritten digits, Keras style.

    Args:
        image_size: Side of the returned square images. 8 (the default) gives
            the images as stored; 28 upsamples them (bilinear, pure NumPy) to
            the MNIST shape, so models written for ``mnist.load_data()`` (a
            784-input MLP after flattening, a 28x28x1 CNN after adding a
            channel axis) run unchanged. Any positive integer is accepted.
        raw: If False (default), pixels are rescaled from the stored 0..16 to
            0..255 (``round(v * 255 / 16)``) like MNIST, so the usual
            ``x / 255.0`` gives 0..1. If True, the stored 0..16 scale is kept.

    Returns:
        ``((x_train, y_train), (x_test, y_test))``: ``x_*`` uint8 of shape
        (n, image_size, image_size) with no channel axis, values 0..255 (or
        0..16 with ``raw=True``); ``y_*`` uint8 of shape (n,), values 0..9.
        n is 1438 for train and 359 for test; the split is fixed (see the
        module docstring), the same on every call and every machine.

    Raises:
        ValueError: ``image_size`` is not a positive integer.
    """
    if (
        isinstance(image_size, bool)
        or not isinstance(image_size, (int, np.integer))
        or image_size < 1
    ):
        raise ValueError(
            "digits.load_data: expected image_size a positive integer (8 or 28), "
            f"received {image_size!r}"
        )
    images, labels = _load_raw()
    top = _RAW_MAX if raw else 255
    if image_size == images.shape[1]:
        # Integer rescale, rounded half up: 0 -> 0, 8 -> 128, 16 -> 255.
        x = (
            images
            if raw
            else ((images.astype(np.uint16) * 255 + _RAW_MAX // 2) // _RAW_MAX).astype(np.uint8)
        )
    else:
        x = resize_bilinear(images, int(image_size))
        if not raw:
            x *= 255.0 / _RAW_MAX
        x = np.clip(np.rint(x), 0, top).astype(np.uint8)
    train, test = _split_indices(labels)
    return (x[train], labels[train].copy()), (x[test], labels[test].copy())
