"""Device layer: the only package that knows NumPy from CuPy from the CUDA emulator."""
from .device import Device, DeviceMismatchError, DeviceUnavailableError, mismatch_error
from .registry import current_device, device, get_device, list_devices, reseed, resolve_auto, rng_untouched
from .cuda import cuda_status

__all__ = ["Device", "DeviceMismatchError", "DeviceUnavailableError", "current_device", "device",
           "get_device", "mismatch_error", "list_devices", "reseed", "resolve_auto", "rng_untouched", "cuda_status"]
