"""``gpuflow.models``: Model, Sequential, load_model, as ``tf.keras.models``."""

from .cloning import clone_model, model_from_json
from .functional import Functional
from .model import Model
from .saving import load_model
from .sequential import Sequential


def save_model(model, filepath, overwrite: bool = True, include_optimizer: bool = True) -> None:
    model.save(filepath, overwrite=overwrite, include_optimizer=include_optimizer)


__all__ = [
    "Functional",
    "Model",
    "Sequential",
    "clone_model",
    "load_model",
    "model_from_json",
    "save_model",
]
