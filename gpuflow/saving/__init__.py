"""``gpuflow.saving`` (``keras.saving``): save and load models, and the custom object registry."""

from __future__ import annotations

from .errors import FileFormatError  # noqa: F401
from .file_editor import KerasFileEditor  # noqa: F401
from .keras_objects import deserialize_keras_object, serialize_keras_object  # noqa: F401
from .object_registration import (  # noqa: F401
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
)


def load_model(filepath, custom_objects=None, compile: bool = True, safe_mode: bool = True):
    """Load a model saved by ``model.save(filepath)``; see :func:`gpuflow.models.load_model`."""
    from ..models.saving import load_model as _load

    return _load(filepath, custom_objects=custom_objects, compile=compile, safe_mode=safe_mode)


def save_model(model, filepath, overwrite: bool = True, **kwargs) -> None:
    """``model.save(filepath, overwrite=overwrite)``."""
    model.save(filepath, overwrite=overwrite, **kwargs)


def save_weights(model, filepath, overwrite: bool = True, max_shard_size=None, **kwargs) -> None:
    """``model.save_weights(filepath, overwrite)`` (``keras.saving.save_weights``)."""
    if max_shard_size is not None:
        raise ValueError("save_weights: max_shard_size (sharded weights) is not supported")
    model.save_weights(filepath, overwrite=overwrite)


def load_weights(model, filepath, skip_mismatch: bool = False, **kwargs) -> None:
    """``model.load_weights(filepath)`` (``keras.saving.load_weights``)."""
    if skip_mismatch:
        raise ValueError("load_weights: skip_mismatch=True is not supported")
    model.load_weights(filepath)
