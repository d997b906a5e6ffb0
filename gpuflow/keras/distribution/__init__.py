"""``keras.distribution`` (Keras 3), as it behaves on the TensorFlow backend: devices,
meshes, layouts and distributions that describe sharding; training is unchanged by them."""

from .devices import distribute_tensor, get_device_count, initialize, list_devices
from .distributions import (
    DataParallel,
    ModelParallel,
    distribution,
    set_distribution,
)
from .mesh import DeviceMesh, LayoutMap, TensorLayout

__all__ = [
    "DataParallel",
    "DeviceMesh",
    "LayoutMap",
    "ModelParallel",
    "TensorLayout",
    "distribute_tensor",
    "distribution",
    "get_device_count",
    "initialize",
    "list_devices",
    "set_distribution",
]
