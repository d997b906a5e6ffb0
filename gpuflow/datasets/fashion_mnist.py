"""Fashion-MNIST, as ``keras.datasets.fashion_mnist``: 28x28 grayscale images of clothes."""

from __future__ import annotations

import os

from ._idx import CorruptFileError, read_idx
from ._keras_cache import KERAS_ORIGIN, cached_file

__all__ = ["FILES", "load_data"]

FILES = (
    "train-labels-idx1-ubyte.gz",
    "train-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
)
"""The four gzipped IDX files, cached in ``$KERAS_HOME/datasets/fashion-mnist``."""


def load_data():
    """Loads Fashion-MNIST: 60,000 training and 10,000 test images of 10 kinds of clothing.

    The files are read from (or downloaded once to) ``~/.keras/datasets/fashion-mnist``
    (``$KERAS_HOME/datasets/fashion-mnist``), the folder Keras uses.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: ``x_*`` uint8 ``(n, 28, 28)``, ``y_*`` uint8
        ``(n,)`` with values 0..9 (T-shirt/top, trouser, pullover, dress, coat, sandal,
        shirt, sneaker, bag, ankle boot).

    Raises:
        DataUnavailableError: a file is not cached and cannot be downloaded (names it).
        CorruptFileError: a file is not a gzipped IDX file of the expected shape.
    """
    op = "fashion_mnist.load_data"
    subdir = os.path.join("datasets", "fashion-mnist")
    paths = [
        cached_file(op, name, KERAS_ORIGIN + name, None, cache_subdir=subdir) for name in FILES
    ]
    y_train = read_idx(paths[0], ndim=1)
    x_train = read_idx(paths[1], ndim=3, sample_shape=(28, 28))
    y_test = read_idx(paths[2], ndim=1)
    x_test = read_idx(paths[3], ndim=3, sample_shape=(28, 28))
    for x, y, xp, yp in (
        (x_train, y_train, paths[1], paths[0]),
        (x_test, y_test, paths[3], paths[2]),
    ):
        if len(x) != len(y):
            raise CorruptFileError(
                xp, "header", f"{op}: {len(x)} images but {len(y)} labels in {yp}"
            )
    return (x_train, y_train), (x_test, y_test)
