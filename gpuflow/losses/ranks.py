"""Keras 3's ``squeeze_or_expand_to_same_rank``: labels and predictions whose ranks differ
by one trailing axis of size 1 are brought to the same rank before a loss function sees
them, so that ``(N,)`` labels pair with ``(N, 1)`` predictions instead of broadcasting to
``(N, N)``."""

from __future__ import annotations

import numpy as np

from ..ops._common import as_tensor
from ..ops.shape import expand_dims, squeeze


def _shape(x):
    shape = getattr(x, "shape", None)
    if shape is None and isinstance(x, (list, tuple, int, float, np.generic)):
        shape = np.shape(x)
    return None if shape is None else tuple(shape)


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1: bool = True):
    """``(x1, x2)`` with a trailing size-1 axis removed from the higher-rank one (or, when
    the other has rank 1 and ``expand_rank_1``, added to the rank-1 one) when their ranks
    differ by exactly one; anything else is returned as given."""
    s1, s2 = _shape(x1), _shape(x2)
    if s1 is None or s2 is None or len(s1) == len(s2):
        return x1, x2
    if len(s1) == len(s2) + 1 and s1[-1] == 1:
        if len(s2) == 1 and expand_rank_1:
            x2 = expand_dims(as_tensor(x2), -1)
        else:
            x1 = squeeze(as_tensor(x1), -1)
    elif len(s2) == len(s1) + 1 and s2[-1] == 1:
        if len(s1) == 1 and expand_rank_1:
            x1 = expand_dims(as_tensor(x1), -1)
        else:
            x2 = squeeze(as_tensor(x2), -1)
    return x1, x2
