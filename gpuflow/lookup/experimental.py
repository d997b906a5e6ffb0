"""``tf.lookup.experimental``: the mutable lookup tables."""

from __future__ import annotations

from .mutable import DenseHashTable, MutableHashTable

__all__ = ["DenseHashTable", "MutableHashTable"]
