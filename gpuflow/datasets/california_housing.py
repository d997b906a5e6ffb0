"""California housing price regression data set, as ``keras.datasets.california_housing``."""

from __future__ import annotations

from ._housing import check_test_split, read_xy, split
from ._keras_cache import KERAS_ORIGIN, cached_file

__all__ = ["load_data"]

SHA256 = "1a2e3a52e0398de6463aebe6f4a8da34fb21fbb6b934cf88c3425e766f2a1a6f"


def load_data(version="large", path="california_housing.npz", test_split=0.2, seed=113):
    """Loads California housing: 20,640 block groups of 8 features, targets in dollars.

    Args:
        version: ``"large"`` (all samples) or ``"small"`` (the first 600).
        path: the file name in the Keras cache (``~/.keras/datasets``).
        test_split: the fraction of the shuffled samples kept for the test split, in [0, 1).
        seed: seed of the shuffle.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: ``(n, 8)`` features and ``(n,)`` targets.

    Raises:
        ValueError: ``test_split`` outside [0, 1), or another ``version``.
        DataUnavailableError: not cached and no download possible (names the file to place).
    """
    check_test_split(test_split)
    op = "california_housing.load_data"
    path = cached_file(op, path, f"{KERAS_ORIGIN}california_housing.npz", SHA256)
    x, y = read_xy(op, path, 8)
    if version == "small":
        x = x[:600]
        y = y[:600]
    elif version != "large":
        raise ValueError(
            f"Argument `version` must be one of 'small', 'large'. Received: version={version}"
        )
    return split(x, y, test_split, seed)
