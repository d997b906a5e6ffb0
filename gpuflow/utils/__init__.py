"""Utilities, as ``tf.keras.utils``: label encoding, normalization, seeding."""
from __future__ import annotations

from ..trainers.data_adapters.data_adapter_utils import (  # noqa: F401
    pack_x_y_sample_weight,
    unpack_x_y_sample_weight,
)
from .np_utils import normalize, to_categorical  # noqa: F401
from .seeding import set_random_seed  # noqa: F401
