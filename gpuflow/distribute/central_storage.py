"""``tf.distribute.experimental.CentralStorageStrategy``: variables on one device, the
computation replicated over the compute devices (here: MirroredStrategy's in-process
replicas, whose variables are the process's one copy)."""

from __future__ import annotations

from . import devices as devices_module
from .mirrored import MirroredStrategy


class CentralStorageStrategy(MirroredStrategy):
    """Replicas on ``compute_devices`` (default every GPU, else ``/cpu:0``), variables on
    ``parameter_device`` (default the CPU, or the one GPU)."""

    def __init__(self, compute_devices=None, parameter_device=None) -> None:
        if compute_devices is None:
            count = devices_module.gpu_count()
            compute_devices = [f"/device:GPU:{i}" for i in range(count)] or ["/device:CPU:0"]
        super().__init__(devices=list(compute_devices))
        if parameter_device is None:
            parameter_device = self._devices[0] if len(self._devices) == 1 else "/device:CPU:0"
        self.parameter_device = parameter_device

    def __repr__(self) -> str:
        return (
            f"<gpuflow.distribute.experimental.CentralStorageStrategy "
            f"compute_devices={list(self._devices)} parameter_device={self.parameter_device!r}>"
        )
