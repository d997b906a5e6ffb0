"""``keras.preprocessing`` (``tf.keras.preprocessing``): ``image`` (``load_img``,
``img_to_array``, ``smart_resize``, ``ImageDataGenerator``, ...), ``sequence``
(``pad_sequences``, ``TimeseriesGenerator``, ``skipgrams``), ``text`` (``Tokenizer``, ...)
and the dataset builders, under the older names tf.keras keeps."""

from __future__ import annotations

from ...utils.image_dataset import image_dataset_from_directory
from ...utils.text_dataset import text_dataset_from_directory
from ...utils.timeseries_dataset import timeseries_dataset_from_array
from . import image, sequence, text

__all__ = [
    "image",
    "image_dataset_from_directory",
    "sequence",
    "text",
    "text_dataset_from_directory",
    "timeseries_dataset_from_array",
]
