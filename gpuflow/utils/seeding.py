"""``set_random_seed``: one call seeds Python, NumPy and every gpuflow device."""

from __future__ import annotations

import random

import numpy as np


def set_random_seed(seed: int) -> None:
    """Seed Python's ``random``, NumPy's global generator and gpuflow's device streams.

    As ``tf.keras.utils.set_random_seed``.
    """
    from .. import random as gf_random

    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
        raise TypeError(f"set_random_seed: expected an integer seed, received {seed!r}")
    random.seed(int(seed))
    np.random.seed(int(seed))
    gf_random.set_seed(int(seed))
