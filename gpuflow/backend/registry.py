"""Device names to Device objects, the ``with gpuflow.device(...)`` scope, and ``"auto"``.

State: the ``with gpuflow.device(...)`` scopes are per thread (a thread starts outside any
scope, on ``config.default_device()``). The Device objects, the choice ``"auto"`` makes and
the seed are process-wide, as a machine's devices and TensorFlow's global seed are; they
are created and changed under a lock.
"""

from __future__ import annotations

import contextlib
import sys
import threading

from ..config import settings as config
from . import device_names
from .cpu import CpuDevice
from .cuda import CudaDevice, cuda_status
from .device import Device, DeviceUnavailableError, scratch_rngs

_devices: dict[str, Device] = {}
_scope = threading.local()
_lock = threading.RLock()  # guards _devices, _auto_choice and _seed
_auto_choice: str | None = None
_seed: int | None = None


def _canonical(spec: str) -> "str | None":
    # TF spellings too ('/GPU:0', tensor.device's full string); see device_names.
    try:
        return device_names.parse(spec)
    except ValueError:
        return spec.strip().lower()  # _make_device names the accepted spellings


def resolve_auto() -> str:
    """The device ``"auto"`` stands for here; announced once on stderr with the reason."""
    global _auto_choice
    with _lock:
        if _auto_choice is None:
            count, reason = cuda_status()
            _auto_choice = "cuda:0" if count else "cpu"
            print(f"gpuflow: device 'auto' -> {_auto_choice} ({reason})", file=sys.stderr)
        return _auto_choice


def get_device(spec: "str | Device | None" = None) -> Device:
    """The Device for ``spec``: a name, a Device, or ``None`` for the current device."""
    if isinstance(spec, Device):
        return spec
    if spec is None:
        return current_device()
    name = _canonical(str(spec))
    if name is None:  # e.g. "/job:localhost": no device type, the current device
        return current_device()
    if name == "auto":
        name = resolve_auto()
    device = _devices.get(name)
    if device is None:
        with _lock:
            device = _devices.get(name)
            if device is None:
                device = _make_device(name, str(spec))
                device.reseed(_seed)
                _devices[name] = device
    return device


def _make_device(name: str, spec: str) -> Device:
    if name == "cpu":
        return CpuDevice()
    if name.startswith("cuda:"):
        index = name[5:]
        if not index.isdigit():
            raise ValueError(f"device {spec!r}: expected 'cuda' or 'cuda:N' with N a GPU index")
        return CudaDevice(int(index))
    if name == "cuda-emu":
        from .emu import EmuDevice

        return EmuDevice()
    raise ValueError(
        f"unknown device {spec!r}: expected 'auto', 'cpu', 'cuda', 'cuda:N' or 'cuda-emu'"
    )


def current_device() -> Device:
    """The device of the innermost ``with gpuflow.device(...)`` scope, else the default."""
    stack = getattr(_scope, "stack", None)
    if stack:
        return stack[-1]
    return get_device(config.default_device())


@contextlib.contextmanager
def device(spec):
    """Scope in which new tensors and layer weights are created on ``spec``.

    ``spec`` is a gpuflow name (``"cpu"``, ``"cuda:0"``, ``"cuda-emu"``) or a TensorFlow
    spelling (``"/GPU:0"``, ``"/job:localhost/replica:0/task:0/device:CPU:0"``); a TF name
    of a device not present places on the CPU (soft placement, see ``device_names``).

    Example:
        >>> with gpuflow.device("cpu"):
        ...     x = gpuflow.ones([2, 2])
    """
    dev = get_device(device_names.placement(spec))
    stack = getattr(_scope, "stack", None)
    if stack is None:
        stack = _scope.stack = []
    stack.append(dev)
    try:
        yield dev
    finally:
        stack.pop()


def list_devices() -> list[str]:
    """Names of usable devices: ``cpu``, each ``cuda:N``, and ``cuda-emu`` where g++ is found."""
    names = ["cpu"]
    count, _ = cuda_status()
    names += [f"cuda:{i}" for i in range(count)]
    try:
        from .emu import emu_status

        if emu_status()[0]:
            names.append("cuda-emu")
    except ImportError:
        pass
    return names


def reseed(seed: int | None) -> None:
    """Restart the random stream of every device (present and future) from ``seed``."""
    global _seed
    with _lock:
        _seed = seed
        for dev in _devices.values():
            dev.reseed(seed)


def synchronize_all() -> None:
    """Wait for the queued work of every device made so far (a barrier, as TF's async
    scope ends with)."""
    with _lock:
        devices = list(_devices.values())
    for dev in devices:
        dev.synchronize()


def rng_untouched():
    """Random draws on this thread inside this scope leave every device's stream where it was.

    For work whose random numbers are thrown away (building a model whose weights are
    about to be loaded), so that a seeded run continues exactly as without it. Other
    threads keep drawing from the devices' streams meanwhile.
    """
    return scratch_rngs()


__all__ = [
    "rng_untouched",
    "get_device",
    "current_device",
    "device",
    "list_devices",
    "reseed",
    "resolve_auto",
    "Device",
    "DeviceUnavailableError",
]
