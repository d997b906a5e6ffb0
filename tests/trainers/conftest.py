"""Small data sets for the Trainer tests."""

from __future__ import annotations

import numpy as np
import pytest


@pytest.fixture
def blobs():
    """A 4-class problem on 20 features that a small MLP learns in a few epochs."""
    rng = np.random.default_rng(0)
    centers = rng.normal(0, 3, size=(4, 20))
    y = rng.integers(0, 4, size=400)
    x = (centers[y] + rng.normal(0, 1, size=(400, 20))).astype("float32")
    return x, y
