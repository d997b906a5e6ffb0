"""CIFAR100 small images classification data set, as ``keras.datasets.cifar100``."""

from __future__ import annotations

import os

import numpy as np

from ._cifar import batches_folder, load_batch

__all__ = ["load_data"]

ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz"
SHA256 = "85cd44d02ba6437773c5bbd22e183051d648de2e7d6b014e1ef29b855ba677a7"


def load_data(label_mode="fine"):
    """Loads CIFAR100: 50,000 training and 10,000 test 32x32 colour images.

    Args:
        label_mode: ``"fine"`` (100 classes) or ``"coarse"`` (20 superclasses).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: ``x_*`` uint8 ``(n, 32, 32, 3)``, ``y_*``
        ``(n, 1)`` integer labels (int64, as Keras returns them).

    Raises:
        ValueError: for another ``label_mode``.
        DataUnavailableError: not cached and no download possible (names the file to place).
        CorruptFileError: a batch file is not CIFAR data.
    """
    if label_mode not in ["fine", "coarse"]:
        raise ValueError(
            f'`label_mode` must be one of `"fine"`, `"coarse"`. Received: label_mode={label_mode}.'
        )
    op = "cifar100.load_data"
    path = batches_folder(
        op, "cifar-100-python-target", ORIGIN, SHA256, "cifar-100-python", ["train", "test"]
    )
    key = f"{label_mode}_labels"
    x_train, y_train = load_batch(os.path.join(path, "train"), label_key=key, op=op)
    x_test, y_test = load_batch(os.path.join(path, "test"), label_key=key, op=op)
    y_train = np.reshape(y_train, (len(y_train), 1))
    y_test = np.reshape(y_test, (len(y_test), 1))
    x_train = x_train.transpose(0, 2, 3, 1)
    x_test = x_test.transpose(0, 2, 3, 1)
    return (x_train, y_train), (x_test, y_test)
