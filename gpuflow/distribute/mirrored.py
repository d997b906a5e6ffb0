"""MirroredStrategy: the replicas of one process.

As TF: with no GPU it runs one replica on the CPU, with one GPU one replica on it.
Several GPUs in one process are not supported yet (each would need its own replica of
the step): run one process per GPU with ``mpiexec -n <gpus>`` and
``MultiWorkerMirroredStrategy`` instead.
"""

from __future__ import annotations

from . import devices as devices_module
from .strategy import Strategy


class MirroredStrategy(Strategy):
    """One replica in this process, on its GPU or (with none) its CPU.

    Args:
        devices: None for every visible GPU (the CPU when there is none), or a list of
            device names such as ``["/gpu:0"]`` or ``["/cpu:0"]``.
        cross_device_ops: a ``tf.distribute.CrossDeviceOps`` (``NcclAllReduce()`` ...):
            kept as given; one replica exchanges nothing (``cross_device_ops.py``).

    Raises:
        NotImplementedError: for more than one device (see the module docstring).
    """

    _mirrors_variables = True

    def __init__(self, devices=None, cross_device_ops=None) -> None:
        if devices is None:
            count = devices_module.gpu_count()
            devices = [f"/gpu:{i}" for i in range(count)] or ["/cpu:0"]
        elif isinstance(devices, str) or not all(isinstance(d, str) for d in devices):
            raise TypeError(
                f"MirroredStrategy: devices must be a list of device names, received {devices!r}"
            )
        devices = list(devices)
        if len(devices) > 1:
            raise NotImplementedError(
                f"MirroredStrategy: {len(devices)} devices ({', '.join(devices)}) in one "
                "process are not supported; start one process per GPU with "
                "`mpiexec -n <gpus> python train.py` and use MultiWorkerMirroredStrategy, "
                "or pass devices=['/gpu:0']"
            )
        if not devices:
            raise ValueError("MirroredStrategy: devices must not be empty")
        super().__init__()
        self.extended_worker_devices = tuple(devices)
        self._cross_device_ops = cross_device_ops
