"""Utilities, as ``tf.keras.utils``: label encoding, normalization, seeding."""
from __future__ import annotations

from .dataset_utils import split_dataset  # noqa: F401
from .image_dataset import image_dataset_from_directory  # noqa: F401
from .np_utils import normalize, to_categorical  # noqa: F401
from .py_dataset import PyDataset, Sequence  # noqa: F401
from .seeding import set_random_seed  # noqa: F401
from .timeseries_dataset import timeseries_dataset_from_array  # noqa: F401
