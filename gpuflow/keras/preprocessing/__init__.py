"""``keras.preprocessing``: ``image`` (``load_img``, ``img_to_array``, ``smart_resize``, ...)
and the dataset builders, as Keras 3 keeps them under this older name."""

from ...utils.image_dataset import image_dataset_from_directory  # noqa: F401
from ...utils.timeseries_dataset import timeseries_dataset_from_array  # noqa: F401
from . import image  # noqa: F401
