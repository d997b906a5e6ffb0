"""Utilities, as ``tf.keras.utils``: label encoding, normalization, seeding."""

from __future__ import annotations

from ..callbacks.progbar import Progbar  # noqa: F401
from ..saving.keras_objects import (  # noqa: F401
    deserialize_keras_object,
    serialize_keras_object,
)
from ..saving.object_registration import (  # noqa: F401
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
)
from ..trainers.data_adapters.data_adapter_utils import (  # noqa: F401
    pack_x_y_sample_weight,
    unpack_x_y_sample_weight,
)
from .audio_dataset import audio_dataset_from_directory  # noqa: F401
from .dataset_utils import split_dataset  # noqa: F401
from .file_utils import get_file  # noqa: F401
from .image_dataset import image_dataset_from_directory  # noqa: F401
from .image_utils import array_to_img, img_to_array, load_img, save_img  # noqa: F401
from .model_visualization import model_to_dot, plot_model  # noqa: F401
from .np_utils import normalize, to_categorical  # noqa: F401
from .py_dataset import PyDataset, Sequence  # noqa: F401
from .seeding import set_random_seed  # noqa: F401
from .timeseries_dataset import timeseries_dataset_from_array  # noqa: F401


def __getattr__(name: str):
    # keras.utils.bounding_boxes is built on keras.ops: imported when first asked for
    if name == "bounding_boxes":
        import importlib

        return importlib.import_module(f"{__name__}.bounding_boxes")
    raise AttributeError(f"module 'gpuflow.utils' has no attribute {name!r}")


def clear_session(free_memory: bool = True) -> None:
    """See :func:`gpuflow.keras.backend.clear_session`."""
    from ..keras.backend import clear_session as _clear

    _clear(free_memory)


# Structured data (gpuflow/layers/preprocessing/feature_space.py)
from ..layers.preprocessing.feature_space import FeatureSpace  # noqa: E402,F401
from . import legacy  # noqa: E402,F401  (keras.utils.legacy)
from .config import Config  # noqa: E402,F401
from .io_utils import (  # noqa: E402,F401
    disable_interactive_logging,
    enable_interactive_logging,
    is_interactive_logging_enabled,
)
from .sequence_utils import is_keras_tensor, pad_sequences, standardize_dtype  # noqa: E402,F401
from .source_inputs import get_source_inputs  # noqa: E402,F401

# Text data (gpuflow/utils/text_dataset.py)
from .text_dataset import text_dataset_from_directory  # noqa: E402,F401
