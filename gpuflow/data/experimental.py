"""``gpuflow.data.experimental`` (``tf.data.experimental``): the cardinality constants."""

from __future__ import annotations

from .dataset import INFINITE as INFINITE_CARDINALITY
from .dataset import UNKNOWN as UNKNOWN_CARDINALITY
from .options import (
    AutoShardPolicy,
    AutotuneOptions,
    DistributeOptions,
    ExternalStatePolicy,
    OptimizationOptions,
    ThreadingOptions,
)
from .transformations import AUTOTUNE


def cardinality(dataset):
    """``dataset.cardinality()``, as ``tf.data.experimental.cardinality(dataset)``."""
    return dataset.cardinality()


__all__ = [
    "AUTOTUNE",
    "AutoShardPolicy",
    "AutotuneOptions",
    "DistributeOptions",
    "ExternalStatePolicy",
    "INFINITE_CARDINALITY",
    "OptimizationOptions",
    "ThreadingOptions",
    "UNKNOWN_CARDINALITY",
    "cardinality",
]
