"""Device layer: the only package that knows NumPy from CuPy from the CUDA emulator.

A device is a :class:`Device` (array module, transfers, random stream) with a
:class:`KernelSet` (``device.kernels``: GEMMs, fused dense, convolution, int8), the one
protocol every op dispatches through; see ``kernel_set.py`` for what each method takes
and returns.

Transfers: ``device.asarray(data)`` (host to device, synchronous), ``device.to_host(array)``
and ``device.upload_async(host_arrays) -> Upload``, whose ``wait()`` returns the device
arrays: on ``cuda`` the copy runs on a copy stream through reused pinned buffers and
``wait()`` orders the compute stream after it without a host sync; ``device.async_uploads``
says whether it overlaps (``cuda``, ``cuda-emu``) or is a plain conversion (``cpu``). See
``upload.py``.
"""

from .cuda import cuda_status
from .device import Device, DeviceMismatchError, DeviceUnavailableError, mismatch_error
from .kernel_set import KernelSet
from .registry import (
    current_device,
    device,
    get_device,
    list_devices,
    reseed,
    resolve_auto,
    rng_untouched,
)

__all__ = [
    "Device",
    "DeviceMismatchError",
    "DeviceUnavailableError",
    "current_device",
    "device",
    "get_device",
    "mismatch_error",
    "list_devices",
    "reseed",
    "resolve_auto",
    "rng_untouched",
    "cuda_status",
    "KernelSet",
]
