"""Boston housing price regression data set, as ``keras.datasets.boston_housing``."""

from __future__ import annotations

from ._housing import check_test_split, read_xy, split
from ._keras_cache import KERAS_ORIGIN, cached_file

__all__ = ["load_data"]

SHA256 = "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5"


def load_data(path="boston_housing.npz", test_split=0.2, seed=113):
    """Loads Boston housing: 506 samples of 13 features, targets in k$ (see Keras' warning
    about this data set's "B" feature before using it).

    Args:
        path: the file name in the Keras cache (``~/.keras/datasets``).
        test_split: the fraction of the shuffled samples kept for the test split, in [0, 1).
        seed: seed of the shuffle.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: float64 ``(n, 13)`` and ``(n,)``.

    Raises:
        ValueError: ``test_split`` outside [0, 1).
        DataUnavailableError: not cached and no download possible (names the file to place).
    """
    check_test_split(test_split)
    op = "boston_housing.load_data"
    path = cached_file(op, path, f"{KERAS_ORIGIN}boston_housing.npz", SHA256)
    x, y = read_xy(op, path, 13)
    return split(x, y, test_split, seed)
