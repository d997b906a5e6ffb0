"""Devices as ``tf.config`` lists them: physical and logical devices, visibility, memory limits.

The GPUs are those CuPy sees (none where CuPy or a driver is missing); the CPU is always
there. gpuflow's ``cuda-emu`` runs on the CPU and is not listed: it is a test device.
"""

from __future__ import annotations

from typing import NamedTuple

from . import settings


class PhysicalDevice(NamedTuple):
    """A device of this machine: ``name`` (``/physical_device:GPU:0``), ``device_type``."""

    name: str
    device_type: str


class LogicalDevice(NamedTuple):
    """A device ops run on: ``name`` (``/device:GPU:0``) and ``device_type``."""

    name: str
    device_type: str


class LogicalDeviceConfiguration(NamedTuple):
    """Configuration of a logical device; gpuflow maps ``memory_limit`` (MiB) onto CuPy's pool.

    Args:
        memory_limit: the most device memory, in MiB, that CuPy's memory pool for this GPU
            may hold (``cupy.get_default_memory_pool().set_limit``); ``None``: no limit.
        experimental_priority: accepted for TensorFlow's API; gpuflow has no stream
            priorities.
        experimental_device_ordinal: accepted for TensorFlow's API.
    """

    memory_limit: "int | None" = None
    experimental_priority: "int | None" = None
    experimental_device_ordinal: "int | None" = None


_logical_configs: dict[str, list] = {}


def _gpu_count() -> int:
    from ..backend import cuda_status

    return cuda_status()[0]


def _check_type(device_type, op):
    if device_type is None:
        return None
    kind = str(device_type).upper()
    if kind not in ("CPU", "GPU", "TPU", "XLA_CPU", "XLA_GPU"):
        raise ValueError(f"{op}: unknown device_type {device_type!r}; expected 'CPU' or 'GPU'")
    return kind


def list_physical_devices(device_type=None) -> list:
    """The CPU and each GPU CuPy sees, optionally only those of ``device_type`` ("GPU")."""
    devices = [PhysicalDevice("/physical_device:CPU:0", "CPU")]
    devices += [PhysicalDevice(f"/physical_device:GPU:{i}", "GPU") for i in range(_gpu_count())]
    kind = _check_type(device_type, "list_physical_devices")
    return [d for d in devices if kind is None or d.device_type == kind]


def get_visible_devices(device_type=None) -> list:
    """The physical devices ops may use (all, unless ``set_visible_devices`` hid some)."""
    visible = settings.visible_gpus()
    devices = [
        d
        for d in list_physical_devices()
        if d.device_type == "CPU" or visible is None or _index(d) in visible
    ]
    kind = _check_type(device_type, "get_visible_devices")
    return [d for d in devices if kind is None or d.device_type == kind]


def set_visible_devices(devices, device_type=None) -> None:
    """Let ops use only ``devices`` (a PhysicalDevice or a list of them).

    ``tf.config.set_visible_devices([], "GPU")`` hides every GPU: TF device names then place
    on the CPU, and the default device ``"auto"`` becomes ``"cpu"``. The CPU cannot be
    hidden (as in TensorFlow).

    Raises:
        ValueError: for a device that is not one of ``list_physical_devices()`` or not of
            ``device_type``, or when the CPU would be hidden.
    """
    if isinstance(devices, PhysicalDevice):
        devices = [devices]
    devices = list(devices)
    present = list_physical_devices()
    for d in devices:
        if d not in present:
            raise ValueError(
                f"set_visible_devices: unknown device {d!r}; physical devices here: "
                f"{[p.name for p in present]}"
            )
    kind = _check_type(device_type, "set_visible_devices")
    for d in devices:  # as TensorFlow: each device must be of device_type
        if kind is not None and d.device_type != kind:
            raise ValueError(
                f"set_visible_devices: unrecognized device {d!r} for device_type {kind!r}"
            )
    if kind != "GPU" and not any(d.device_type == "CPU" for d in devices):
        raise ValueError(
            "set_visible_devices: the CPU cannot be hidden; include "
            "tf.config.list_physical_devices('CPU')[0]"
        )
    if kind in (None, "GPU"):
        gpus = [_index(d) for d in devices if d.device_type == "GPU"]
        settings.set_visible_gpus(gpus)
        if not gpus and settings.default_device() == "auto":
            settings.set_default_device("cpu")


def _index(device) -> int:
    return int(device.name.rsplit(":", 1)[1])


def list_logical_devices(device_type=None) -> list:
    """The devices ops may be placed on (``/device:CPU:0``, ``/device:GPU:N`` visible ones).

    A CPU split by ``set_logical_device_configuration`` into N logical devices lists
    ``/device:CPU:0`` .. ``/device:CPU:N-1`` (as TensorFlow; they all run on the one CPU).
    """
    out, gpu = [], 0
    for d in get_visible_devices(device_type):
        if d.device_type == "GPU":
            out.append(LogicalDevice(f"/device:GPU:{gpu}", "GPU"))
            gpu += 1
        else:
            out += [
                LogicalDevice(f"/device:CPU:{i}", "CPU") for i in range(settings.logical_cpus())
            ]
    return out


def set_logical_device_configuration(device, logical_devices) -> None:
    """Configure a physical GPU (one configuration with ``memory_limit`` caps CuPy's pool), or
    split the CPU into ``len(logical_devices)`` logical devices (``CPU:0`` .. ``CPU:N-1``:
    ``tf.experimental.dtensor`` meshes, ``MirroredStrategy`` replicas); ops on any of them
    run on the one CPU.

    Raises:
        ValueError: for a device not present, more than one configuration per GPU (gpuflow
            does not split a GPU into several logical ones), or a CPU configuration with a
            memory limit.
    """
    if device not in list_physical_devices():
        raise ValueError(f"set_logical_device_configuration: unknown device {device!r}")
    configs = list(logical_devices or [])
    if device.device_type == "GPU":
        if len(configs) > 1:
            raise ValueError(
                "set_logical_device_configuration: gpuflow runs one logical device "
                f"per GPU, received {len(configs)} configurations for {device.name}"
            )
        limit = configs[0].memory_limit if configs else None
        import cupy

        with cupy.cuda.Device(_index(device)):
            cupy.get_default_memory_pool().set_limit(size=0 if limit is None else int(limit) << 20)
    elif any(c.memory_limit is not None for c in configs):
        raise ValueError("set_logical_device_configuration: memory_limit applies to GPUs only")
    else:
        settings.set_logical_cpus(len(configs) or 1)
    _logical_configs[device.name] = configs


def get_logical_device_configuration(device) -> "list | None":
    """The configurations set for ``device`` by ``set_logical_device_configuration``, or None."""
    return _logical_configs.get(device.name)
