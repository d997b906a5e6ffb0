"""``gpuflow.data.experimental`` (``tf.data.experimental``): the cardinality constants."""

from __future__ import annotations

from .dataset import INFINITE as INFINITE_CARDINALITY
from .dataset import UNKNOWN as UNKNOWN_CARDINALITY
from .transformations import AUTOTUNE


def cardinality(dataset):
    """``dataset.cardinality()``, as ``tf.data.experimental.cardinality(dataset)``."""
    return dataset.cardinality()


__all__ = ["AUTOTUNE", "INFINITE_CARDINALITY", "UNKNOWN_CARDINALITY", "cardinality"]
