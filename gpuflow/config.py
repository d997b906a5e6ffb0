"""Global settings: default float type, default device, GEMM backend.

A leaf module (imports nothing from gpuflow) so that every layer of the package,
the backend included, can read it. Each setting has an environment variable that
seeds it at import time.

Where gpuflow keeps its runtime state (the rule: a setting is process-wide, a scope is
per thread, everything else belongs to an object):

- Process-wide settings, as in TensorFlow, set once and seen by every thread: the
  settings here (``set_floatx``, ``set_default_device``, ``set_gemm_backend``), the global
  dtype policy (``mixed_precision.set_global_policy``) and the seed
  (``random.set_seed``, which restarts each device's stream).
- Per thread (``threading.local``): device scopes (``with gpuflow.device(...)``), policy
  scopes (``mixed_precision.policy_scope``), automatic layer-name counters (as Keras 3),
  the layers being called, active GradientTapes and the recording flag, the check hook of
  ``debugging.enable_check_numerics`` (as TensorFlow's), the default summary writer, and
  ``backend.rng_untouched`` blocks.
- Owned by objects: each device's random stream and kernel set, each layer's and
  optimizer's state.
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


if _floatx not in _FLOAT_TYPES:
    raise ValueError(f"GPUFLOW_FLOATX: expected one of {_FLOAT_TYPES}, received {_floatx!r}")
if _gemm not in _GEMM_BACKENDS:
    raise ValueError(f"GPUFLOW_GEMM: expected one of {_GEMM_BACKENDS}, received {_gemm!r}")
