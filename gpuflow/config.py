"""Global settings: default float type, default device, GEMM backend.

A leaf module (imports nothing from gpuflow) so that every layer of the package,
the backend included, can read it. Each setting has an environment variable that
seeds it at import time.
"""
from __future__ import annotations

import os

_FLOAT_TYPES = ("float16", "float32", "float64")
_GEMM_BACKENDS = ("auto", "kernel", "cublas")

_floatx = os.environ.get("GPUFLOW_FLOATX", "float32")
_default_device = os.environ.get("GPUFLOW_DEVICE", "auto")
_gemm = os.environ.get("GPUFLOW_GEMM", "auto")


def floatx() -> str:
    """The default float type of new tensors and layer weights, e.g. ``"float32"``."""
    return _floatx


def set_floatx(value: str) -> None:
    """Set the default float type: ``"float16"``, ``"float32"`` or ``"float64"``."""
    global _floatx
    name = getattr(value, "name", value)
    if name not in _FLOAT_TYPES:
        raise ValueError(f"set_floatx: expected one of {_FLOAT_TYPES}, received {value!r}")
    _floatx = name


def default_device() -> str:
    """The device used when no ``with gpuflow.device(...)`` scope is active."""
    return _default_device


def set_default_device(name: str) -> None:
    """Set the device used outside any ``with gpuflow.device(...)`` scope."""
    global _default_device
    _default_device = str(name)


def gemm_backend() -> str:
    """Which GEMM the fused dense/conv ops use on GPU devices.

    ``"kernel"``: our tiled CUDA kernels; ``"cublas"``: ``cupy.matmul``;
    ``"auto"``: whichever the benchmark measured faster for the shape.
    Seeded by the ``GPUFLOW_GEMM`` environment variable.
    """
    return _gemm


def set_gemm_backend(value: str) -> None:
    """Choose the GEMM backend: ``"auto"``, ``"kernel"`` or ``"cublas"``."""
    global _gemm
    if value not in _GEMM_BACKENDS:
        raise ValueError(f"set_gemm_backend: expected one of {_GEMM_BACKENDS}, received {value!r}")
    _gemm = value


_run_functions_eagerly = False


def run_functions_eagerly(run_eagerly: bool) -> None:
    """Run ``gpuflow.function`` bodies as plain Python on every call (for debugging), as
    ``tf.config.run_functions_eagerly``."""
    global _run_functions_eagerly
    _run_functions_eagerly = bool(run_eagerly)


def functions_run_eagerly() -> bool:
    """Whether :func:`run_functions_eagerly` is on."""
    return _run_functions_eagerly


if _floatx not in _FLOAT_TYPES:
    raise ValueError(f"GPUFLOW_FLOATX: expected one of {_FLOAT_TYPES}, received {_floatx!r}")
if _gemm not in _GEMM_BACKENDS:
    raise ValueError(f"GPUFLOW_GEMM: expected one of {_GEMM_BACKENDS}, received {_gemm!r}")
