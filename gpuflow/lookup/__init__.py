"""``gpuflow.lookup`` (``tf.lookup``): static lookup tables from keys (strings or
integers) to values, with their initializers; ``experimental`` holds the mutable ones."""

from __future__ import annotations

from . import experimental
from .initializers import KeyValueTensorInitializer, TextFileIndex, TextFileInitializer
from .tables import StaticHashTable, StaticVocabularyTable

__all__ = [
    "experimental",
    "KeyValueTensorInitializer",
    "StaticHashTable",
    "StaticVocabularyTable",
    "TextFileIndex",
    "TextFileInitializer",
]
