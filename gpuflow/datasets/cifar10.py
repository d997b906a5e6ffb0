"""CIFAR10 small images classification data set, as ``keras.datasets.cifar10``."""

from __future__ import annotations

import os

import numpy as np

from ._cifar import batches_folder, load_batch

__all__ = ["load_data"]

ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
SHA256 = "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce"
_NAMES = [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]


def load_data():
    """Loads CIFAR10: 50,000 training and 10,000 test 32x32 colour images in 10 classes.

    The archive is read from (or downloaded once to) the Keras cache,
    ``$KERAS_HOME/datasets`` or ``~/.keras/datasets``, under Keras' names.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: ``x_*`` uint8 ``(n, 32, 32, 3)``, ``y_*``
        uint8 ``(n, 1)`` with values 0..9 (airplane, automobile, bird, cat, deer, dog,
        frog, horse, ship, truck).

    Raises:
        DataUnavailableError: not cached and no download possible (names the file to place).
        CorruptFileError: a batch file is not CIFAR data.
    """
    op = "cifar10.load_data"
    path = batches_folder(
        op, "cifar-10-batches-py-target", ORIGIN, SHA256, "cifar-10-batches-py", _NAMES
    )
    parts = [load_batch(os.path.join(path, name), op=op) for name in _NAMES[:5]]
    x_train = np.empty((sum(len(p[0]) for p in parts), 3, 32, 32), dtype="uint8")
    y_train = np.empty((len(x_train),), dtype="uint8")
    start = 0
    for data, labels in parts:
        x_train[start : start + len(data)] = data
        y_train[start : start + len(data)] = labels
        start += len(data)
    x_test, y_test = load_batch(os.path.join(path, "test_batch"), op=op)
    y_train = np.reshape(y_train, (len(y_train), 1))
    y_test = np.reshape(y_test, (len(y_test), 1))
    x_train = x_train.transpose(0, 2, 3, 1)
    x_test = x_test.transpose(0, 2, 3, 1)
    x_test = x_test.astype(x_train.dtype)
    y_test = y_test.astype(y_train.dtype)
    return (x_train, y_train), (x_test, y_test)
