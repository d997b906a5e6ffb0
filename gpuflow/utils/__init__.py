"""Utilities, as ``tf.keras.utils``: label encoding, normalization, seeding."""
from __future__ import annotations

from .np_utils import normalize, to_categorical  # noqa: F401
from .seeding import set_random_seed  # noqa: F401
