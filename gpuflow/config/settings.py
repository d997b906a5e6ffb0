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

_FLOAT_TYPES = ("float16", "bfloat16", "float32", "float64")
_GEMM_BACKENDS = ("auto", "kernel", "cublas")

_floatx = os.environ.get("GPUFLOW_FLOATX", "float32")
_default_device = os.environ.get("GPUFLOW_DEVICE", "auto")
_gemm = os.environ.get("GPUFLOW_GEMM", "auto")
_image_data_format = "channels_last"


def floatx() -> str:
    """The default float type of new tensors and layer weights, e.g. ``"float32"``."""
    return _floatx


def set_floatx(value: str) -> None:
    """Set the default float type: ``"float16"``, ``"bfloat16"``, ``"float32"`` or ``"float64"``."""
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


def image_data_format() -> str:
    """The layout image layers take when their ``data_format`` is None, as Keras'
    ``keras.config.image_data_format()``: ``"channels_last"`` (``[batch, height, width,
    channels]``, the default) or ``"channels_first"``."""
    return _image_data_format


def set_image_data_format(data_format: str) -> None:
    """Set the layout of :func:`image_data_format` (Keras' ``set_image_data_format``)."""
    global _image_data_format
    value = str(data_format).lower()
    if value not in ("channels_last", "channels_first"):
        raise ValueError(
            "The `data_format` argument must be one of {'channels_first', 'channels_last'}. "
            f"Received: data_format={data_format!r}"
        )
    _image_data_format = value


if _floatx not in _FLOAT_TYPES:
    raise ValueError(f"GPUFLOW_FLOATX: expected one of {_FLOAT_TYPES}, received {_floatx!r}")
if _gemm not in _GEMM_BACKENDS:
    raise ValueError(f"GPUFLOW_GEMM: expected one of {_GEMM_BACKENDS}, received {_gemm!r}")


# -- runtime switches of tf.config (read by the backend and the ops) ---------------------------
_soft_device_placement = True
_op_determinism = False
_visible_gpus: "list[int] | None" = None  # None: every GPU CuPy sees


def get_soft_device_placement() -> bool:
    """Whether a TF device name that does not exist here places on the CPU (the default)."""
    return _soft_device_placement


def set_soft_device_placement(enabled: bool) -> None:
    """``False``: ``with gpuflow.device("/GPU:0")`` without that GPU is an error, not the CPU."""
    global _soft_device_placement
    _soft_device_placement = bool(enabled)


def op_determinism_enabled() -> bool:
    """Whether ``tf.config.experimental.enable_op_determinism()`` was called."""
    return _op_determinism


def set_op_determinism(enabled: bool) -> None:
    global _op_determinism
    _op_determinism = bool(enabled)


_logical_cpus = 1  # tf.config.set_logical_device_configuration on the CPU


def logical_cpu_count() -> int:
    """How many logical CPU devices (``/device:CPU:N``) the CPU is split into."""
    return _logical_cpus


def set_logical_cpu_count(count: int) -> None:
    global _logical_cpus
    _logical_cpus = max(1, int(count))


def visible_gpus() -> "list[int] | None":
    """Indices of the GPUs ``tf.config.set_visible_devices`` left visible (None: all)."""
    return None if _visible_gpus is None else list(_visible_gpus)


def set_visible_gpus(indices) -> None:
    global _visible_gpus
    _visible_gpus = None if indices is None else [int(i) for i in indices]


_epsilon = 1e-7


def epsilon() -> float:
    """The fuzz factor Keras adds to avoid division by zero (default ``1e-7``)."""
    return _epsilon


def set_epsilon(value: float) -> None:
    """Set the fuzz factor returned by :func:`epsilon`."""
    global _epsilon
    number = float(value)
    if not number >= 0:
        raise ValueError(f"set_epsilon: expected a non-negative float, received {value!r}")
    _epsilon = number


_run_functions_eagerly = False


def run_functions_eagerly(run_eagerly: bool) -> None:
    """Run ``gpuflow.function`` bodies as plain Python on every call (for debugging), as
    ``tf.config.run_functions_eagerly``."""
    global _run_functions_eagerly
    _run_functions_eagerly = bool(run_eagerly)


def functions_run_eagerly() -> bool:
    """Whether :func:`run_functions_eagerly` is on."""
    return _run_functions_eagerly
