"""``gpuflow.lookup`` (``tf.lookup``): static lookup tables from keys (strings or
integers) to values, with their initializers."""

from __future__ import annotations

from .initializers import KeyValueTensorInitializer, TextFileIndex, TextFileInitializer
from .tables import StaticHashTable, StaticVocabularyTable

__all__ = [
    "KeyValueTensorInitializer",
    "StaticHashTable",
    "StaticVocabularyTable",
    "TextFileIndex",
    "TextFileInitializer",
]
