"""Automatic layer names: ``dense``, ``dense_1``, ... unique per class, as Keras.

The counters are per thread, as Keras 3 keeps them (its global state is a
``threading.local``): a model built on one thread never renumbers the layers of a model
built at the same time on another, and ``reset_name_counters`` resets the calling thread's.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict


class _Counters(threading.local):
    def __init__(self) -> None:
        self.counts: dict[str, int] = defaultdict(int)


_counters = _Counters()


def to_snake_case(name: str) -> str:
    """``"MaxPooling2D"`` -> ``"max_pooling2d"``, by Keras' rule."""
    name = re.sub(r"\W+", "", name)
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)  # as Keras: "ConvLSTM2D" -> conv_lstm2d
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def unique_name(prefix: str) -> str:
    """``prefix`` the first time on this thread, then ``prefix_1``, ``prefix_2``, ..."""
    counts = _counters.counts
    count = counts[prefix]
    counts[prefix] += 1
    return prefix if count == 0 else f"{prefix}_{count}"


def get_uid(prefix: str = "") -> int:
    """A counter per ``prefix``: 1 on the first call, then 2, ... (shared with automatic layer
    names, as Keras' ``backend.get_uid``)."""
    _counters.counts[prefix] += 1
    return _counters.counts[prefix]


def reset_name_counters() -> None:
    """Start automatic names afresh on this thread (``dense`` again); tests and
    ``clear_session`` use it."""
    _counters.counts.clear()
