"""``tf.config.experimental``: memory growth, op determinism, and the device list aliases.

Memory: gpuflow allocates GPU memory through CuPy's memory pool, which always grows on
demand and keeps freed blocks for reuse; it never maps the whole GPU at start-up as
TensorFlow does without memory growth. ``set_memory_growth(gpu, True)`` therefore
describes what already happens; ``False`` is recorded (returned by ``get_memory_growth``)
and changes nothing. To cap a GPU's memory, use
``tf.config.set_logical_device_configuration(gpu, [LogicalDeviceConfiguration(memory_limit=MiB)])``,
which sets the pool's limit.

Determinism: gpuflow's own CUDA kernels (fused dense, im2col/col2im, int8 GEMM) use no
atomics, and NumPy on the CPU reduces in a fixed order, so those results repeat bit for
bit. ``enable_op_determinism()`` lists the CUDA paths that accumulate with ``atomicAdd``
(through CuPy) and can round differently from run to run.
"""

from __future__ import annotations

import warnings

from . import settings
from .devices import (  # noqa: F401
    LogicalDeviceConfiguration,
    get_logical_device_configuration,
    get_visible_devices,
    list_logical_devices,
    list_physical_devices,
    set_logical_device_configuration,
    set_visible_devices,
)
from .runtime import (  # noqa: F401,E402
    enable_tensor_float_32_execution,
    get_device_details,
    get_device_policy,
    get_memory_info,
    get_memory_usage,
    get_synchronous_execution,
    reset_memory_stats,
    set_device_policy,
    set_synchronous_execution,
    tensor_float_32_execution_enabled,
)

# CUDA paths whose summation order varies between runs (atomicAdd inside CuPy).
NONDETERMINISTIC_CUDA_OPS = (
    "gradient of gather / tensor indexing with repeated indices (cupy add.at)",
    "tf.sparse reductions and the values gradient of tf.sparse.sparse_dense_matmul "
    "(cupyx.scatter_add)",
)

_memory_growth: dict[str, bool] = {}


def _gpu(device, op):
    if getattr(device, "device_type", None) != "GPU":
        raise ValueError(f"{op}: cannot set memory growth on non-GPU devices, received {device!r}")
    if device not in list_physical_devices("GPU"):
        raise ValueError(f"{op}: unknown device {device!r}")
    return device


def set_memory_growth(device, enable: bool) -> None:
    """Record whether ``device`` (a GPU) grows its memory on demand (CuPy's pool always does)."""
    _memory_growth[_gpu(device, "set_memory_growth").name] = bool(enable)


def get_memory_growth(device) -> bool:
    """The value ``set_memory_growth`` recorded for ``device`` (default ``False``, as TF)."""
    return _memory_growth.get(_gpu(device, "get_memory_growth").name, False)


def enable_op_determinism() -> None:
    """Ask for run-to-run identical results; warns naming the CUDA paths that cannot give them.

    Random ops stay random: seed them with ``tf.keras.utils.set_random_seed`` as with
    TensorFlow.
    """
    settings.set_op_determinism(True)
    from ..backend import cuda_status

    if cuda_status()[0]:
        warnings.warn(
            "gpuflow: op determinism is on, but these CUDA paths still sum with "
            "atomicAdd and may round differently between runs: "
            + "; ".join(NONDETERMINISTIC_CUDA_OPS),
            stacklevel=2,
        )


def disable_op_determinism() -> None:
    """Undo :func:`enable_op_determinism`."""
    settings.set_op_determinism(False)


def is_op_determinism_enabled() -> bool:
    """Whether :func:`enable_op_determinism` is in effect."""
    return settings.op_determinism_enabled()


# TensorFlow's older names of the logical device configuration
VirtualDeviceConfiguration = LogicalDeviceConfiguration
set_virtual_device_configuration = set_logical_device_configuration
get_virtual_device_configuration = get_logical_device_configuration
