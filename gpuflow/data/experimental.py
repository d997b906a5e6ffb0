"""``gpuflow.data.experimental`` (``tf.data.experimental``): cardinality constants and
helpers, options classes, ``Counter``."""

from __future__ import annotations

from .counter import Counter, assert_cardinality
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
    "Counter",
    "DistributeOptions",
    "ExternalStatePolicy",
    "INFINITE_CARDINALITY",
    "OptimizationOptions",
    "ThreadingOptions",
    "UNKNOWN_CARDINALITY",
    "assert_cardinality",
    "cardinality",
]
