"""``gpuflow.config`` (``tf.config``): global settings, devices, threads, determinism.

The settings (float type, default device, GEMM backend, soft placement) live in
:mod:`gpuflow.config.settings`, a leaf module every layer of the package may read; the
device, threading and ``experimental`` functions import the backend only when called, so
that the backend can import this package.
"""

from __future__ import annotations

import types as _types

from . import experimental, runtime, threading  # noqa: F401  (tf.config.experimental, ...)
from .devices import (
    LogicalDevice,
    LogicalDeviceConfiguration,
    PhysicalDevice,
    get_logical_device_configuration,
    get_visible_devices,
    list_logical_devices,
    list_physical_devices,
    set_logical_device_configuration,
    set_visible_devices,
)
from .settings import (
    default_device,
    floatx,
    functions_run_eagerly,
    gemm_backend,
    get_soft_device_placement,
    run_functions_eagerly,
    set_default_device,
    set_floatx,
    set_gemm_backend,
    set_soft_device_placement,
)

# tf.config.optimizer, and TensorFlow's older names of run_functions_eagerly
optimizer = _types.SimpleNamespace(
    set_jit=runtime.set_jit,
    get_jit=runtime.get_jit,
    set_experimental_options=runtime.set_experimental_options,
    get_experimental_options=runtime.get_experimental_options,
)
experimental_run_functions_eagerly = run_functions_eagerly
experimental_functions_run_eagerly = functions_run_eagerly

__all__ = [
    "LogicalDevice",
    "LogicalDeviceConfiguration",
    "PhysicalDevice",
    "default_device",
    "experimental",
    "experimental_functions_run_eagerly",
    "experimental_run_functions_eagerly",
    "floatx",
    "functions_run_eagerly",
    "run_functions_eagerly",
    "gemm_backend",
    "get_logical_device_configuration",
    "get_soft_device_placement",
    "get_visible_devices",
    "list_logical_devices",
    "list_physical_devices",
    "optimizer",
    "set_default_device",
    "set_floatx",
    "set_gemm_backend",
    "set_logical_device_configuration",
    "set_soft_device_placement",
    "set_visible_devices",
    "threading",
]
