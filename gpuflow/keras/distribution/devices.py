"""``keras.distribution``'s device functions, as Keras 3 answers them on the TensorFlow
backend: ``list_devices`` names the logical devices (``"cpu:0"``, ``"gpu:1"``); the
functions that Keras implements for JAX only (``get_device_count``, ``initialize``,
``distribute_tensor``) raise the ``AttributeError`` they raise there, with a clear message."""

from __future__ import annotations

from ...config import devices as _config_devices
from ...layers.keras_tensor import KerasTensor


def list_devices(device_type=None):
    """Returns the available devices as ``"type:id"`` strings (``"gpu:0"``, ``"cpu:0"``).

    Args:
        device_type: ``"cpu"``, ``"gpu"`` or ``"tpu"``. When None, the GPUs if there are
            any, else the CPUs (never a mix).
    """
    device_type = device_type.upper() if device_type else None
    found = _config_devices.list_logical_devices(device_type=device_type)
    if device_type is None:
        others = [d for d in found if d.device_type.lower() != "cpu"]
        found = others or [d for d in found if d.device_type.lower() == "cpu"]
    return [f"{d.device_type.lower()}:{d.name.split(':')[-1]}" for d in found]


def _tensorflow_backend_lacks(name: str):
    raise AttributeError(
        f"keras.distribution.{name} is not available on the TensorFlow backend: "
        f"Keras 3's TensorFlow distribution_lib has no attribute '{name}' (it is "
        "implemented for the JAX backend only)."
    )


def get_device_count(device_type=None):
    """Raises ``AttributeError`` as Keras on TensorFlow does; use
    ``len(keras.distribution.list_devices(device_type))``."""
    _tensorflow_backend_lacks("get_device_count")


def initialize(job_addresses=None, num_processes=None, process_id=None):
    """Raises ``AttributeError`` as Keras on TensorFlow does (multi-process training is
    ``tf.distribute.MultiWorkerMirroredStrategy``'s job there)."""
    _tensorflow_backend_lacks("initialize")


def distribute_tensor(tensor, layout):
    """Returns a ``KerasTensor`` unchanged (as Keras); any other tensor raises
    ``AttributeError`` as Keras on TensorFlow does."""
    if isinstance(tensor, KerasTensor):
        return tensor
    _tensorflow_backend_lacks("distribute_tensor")
