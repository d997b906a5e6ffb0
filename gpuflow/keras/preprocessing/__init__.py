"""``tf.keras.preprocessing``: the dataset utilities and ``sequence.pad_sequences`` under
their older names (Keras 3 keeps these aliases)."""

from __future__ import annotations

from ...utils.image_dataset import image_dataset_from_directory
from ...utils.text_dataset import text_dataset_from_directory
from ...utils.timeseries_dataset import timeseries_dataset_from_array
from . import sequence

__all__ = [
    "image_dataset_from_directory",
    "sequence",
    "text_dataset_from_directory",
    "timeseries_dataset_from_array",
]
