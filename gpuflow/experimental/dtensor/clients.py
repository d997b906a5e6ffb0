"""The device and job helpers of ``tf.experimental.dtensor`` for one client (this process):
client 0 of 1, job ``localhost``, the logical devices ``tf.config`` lists."""

from __future__ import annotations

import os

_TYPES = ("CPU", "GPU", "TPU")


def _kind(device_type: str) -> str:
    kind = str(device_type).upper()
    if kind not in _TYPES:
        raise ValueError(f"Device type {device_type} is not CPU, GPU, or TPU.")
    return kind


def num_local_devices(device_type: str) -> int:
    """How many logical devices of ``device_type`` this client has."""
    from ...config import list_logical_devices

    kind = _kind(device_type)
    return 0 if kind == "TPU" else len(list_logical_devices(kind))


def num_clients() -> int:
    """The number of clients: 1 (gpuflow's DTensor is single-client)."""
    return 1


def num_global_devices(device_type: str) -> int:
    return num_local_devices(device_type) * num_clients()


def client_id() -> int:
    """This client's id (``DTENSOR_CLIENT_ID``, 0 by default; must be below num_clients())."""
    value = int(os.environ.get("DTENSOR_CLIENT_ID", "0"))
    if value < 0:
        raise ValueError(f"Environment variable DTENSOR_CLIENT_ID must be >= 0, got {value}. ")
    if value >= num_clients():
        raise ValueError(
            f"Environment variable DTENSOR_CLIENT_ID must be < {num_clients()}, got {value}"
        )
    return value


def job_name() -> str:
    return os.environ.get("DTENSOR_JOB_NAME", "localhost")


def full_job_name(task_id=None) -> str:
    if task_id is None:
        task_id = client_id()
    if task_id != 0:
        raise ValueError(f"Unexpected task ID {task_id} in local runs")
    return f"{job_name()}/replica:0/task:{task_id}"


def jobs() -> list:
    """The job addresses of a multi-client cluster (``DTENSOR_JOBS``); none here."""
    value = os.environ.get("DTENSOR_JOBS")
    return value.split(",") if value else []


def heartbeat_enabled() -> bool:
    return False


def preferred_device_type() -> str:
    """``GPU`` where gpuflow sees one, else ``CPU`` (as TensorFlow)."""
    return "GPU" if num_local_devices("GPU") else "CPU"


def local_devices(device_type: str, for_client_id=None) -> list:
    """``tf.DeviceSpec`` s of this client's devices of ``device_type``."""
    from ...tf_extras import DeviceSpec

    kind = _kind(device_type)
    task = client_id() if for_client_id is None else int(for_client_id)
    return [
        DeviceSpec(job=job_name(), replica=0, task=task, device_type=kind, device_index=i)
        for i in range(num_local_devices(kind))
    ]


def initialize_accelerator_system(
    device_type=None,
    enable_coordination_service=True,
    num_logical_cpu_devices=None,
    experimental_reset_context=False,
    experimental_enable_megcore=False,
) -> str:
    """Set up this single client: split the CPU into ``num_logical_cpu_devices`` logical
    devices when given; returns the device type used."""
    if num_logical_cpu_devices is not None:
        from ...config import (
            LogicalDeviceConfiguration,
            list_physical_devices,
            set_logical_device_configuration,
        )

        cpu = list_physical_devices("CPU")[0]
        set_logical_device_configuration(
            cpu, [LogicalDeviceConfiguration()] * int(num_logical_cpu_devices)
        )
    return _kind(device_type) if device_type else preferred_device_type()


def shutdown_accelerator_system() -> None:
    """Nothing to release for a single client."""


def barrier(mesh, barrier_name=None, timeout_in_ms=None) -> None:
    """All clients meet here: with one client, nothing to wait for."""
