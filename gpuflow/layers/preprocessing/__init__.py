"""Preprocessing layers: Rescaling, CenterCrop, Resizing, Normalization, Discretization,
CategoryEncoding, IntegerLookup."""

from .category_encoding import CategoryEncoding
from .discretization import Discretization
from .hashed_crossing import HashedCrossing
from .hashing import Hashing
from .integer_lookup import IntegerLookup
from .normalization import Normalization
from .rescaling import Rescaling
from .resizing import CenterCrop, Resizing
from .string_lookup import StringLookup
from .text_vectorization import TextVectorization

__all__ = [
    "CategoryEncoding",
    "CenterCrop",
    "Discretization",
    "HashedCrossing",
    "Hashing",
    "IntegerLookup",
    "Normalization",
    "Rescaling",
    "Resizing",
    "StringLookup",
    "TextVectorization",
]

from .random_color import RandomBrightness, RandomContrast  # noqa: E402
from .random_geometry import (  # noqa: E402
    RandomCrop,
    RandomFlip,
    RandomRotation,
    RandomTranslation,
    RandomZoom,
)

__all__ += [
    "RandomBrightness",
    "RandomContrast",
    "RandomCrop",
    "RandomFlip",
    "RandomRotation",
    "RandomTranslation",
    "RandomZoom",
]
