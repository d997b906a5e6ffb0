"""OneDeviceStrategy: one replica on one named device, as ``tf.distribute.OneDeviceStrategy``.

Variables created in ``scope()`` and the functions ``run`` calls are placed on the device
(``gpuflow.device(name)``, with TensorFlow's soft placement: ``"/gpu:0"`` falls back to the
CPU where there is no GPU); nothing is exchanged between replicas.
"""

from __future__ import annotations

import contextlib

from .strategy import Strategy


class OneDeviceStrategy(Strategy):
    """One replica on ``device`` (e.g. ``"/gpu:0"``, ``"/cpu:0"``).

    Args:
        device: the device name.
    """

    def __init__(self, device) -> None:
        if not isinstance(device, str):
            raise TypeError(
                f"OneDeviceStrategy: device must be a device name such as '/gpu:0', "
                f"received {device!r}"
            )
        super().__init__()
        self._device_name = device
        self.extended_worker_devices = (device,)

    @contextlib.contextmanager
    def scope(self):
        """Models and optimizers created inside live on this strategy's device."""
        from ..backend import device as device_scope

        with super().scope(), device_scope(self._device_name):
            yield self

    def run(self, fn, args=(), kwargs=None, options=None):
        """``fn(*args, **kwargs)`` on this strategy's device."""
        from ..backend import device as device_scope

        with device_scope(self._device_name):
            return super().run(fn, args, kwargs)

    def __repr__(self) -> str:
        return f"<gpuflow.distribute.OneDeviceStrategy device={self._device_name!r}>"
