"""``gpuflow.models``: Model, Sequential, load_model, as ``tf.keras.models``."""
from .model import Model
from .saving import load_model
from .sequential import Sequential


def save_model(model, filepath, overwrite: bool = True, include_optimizer: bool = True) -> None:
    model.save(filepath, overwrite=overwrite, include_optimizer=include_optimizer)


__all__ = ["Model", "Sequential", "load_model", "save_model"]
