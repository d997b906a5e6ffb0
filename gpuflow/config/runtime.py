"""``tf.config.experimental`` memory statistics, device details and the execution
settings TensorFlow programs set (TF32, device policy, synchronous execution), and
``tf.config.optimizer``'s settings.

GPU memory is CuPy's memory pool: ``current`` is what live arrays use; ``peak`` is what
the pool has reserved since the last ``reset_memory_stats`` (freed blocks stay reserved
for reuse, so it bounds the peak use from above).
"""

from __future__ import annotations

import warnings


def _parse(device: str, op: str) -> tuple[str, int]:
    """``("CPU" | "GPU", index)`` of a TensorFlow device name, read by the backend's parser."""
    from ..backend.device_names import parse

    try:
        name = parse(str(device))
    except ValueError:
        name = None
    kind, _, index = (name or "").partition(":")
    if kind not in ("cpu", "cuda"):
        raise ValueError(f"{op}: expected a device name such as 'GPU:0', received {device!r}")
    return ("CPU" if kind == "cpu" else "GPU"), int(index or 0)


def _gpu_pool(device: str, op: str):
    """The GPU's CuPy memory pool; None for the CPU (its memory is not tracked)."""
    kind, index = _parse(device, op)
    if kind != "GPU":
        return None
    from ..backend import cuda_status

    count = cuda_status()[0]
    if index >= count:
        raise ValueError(f"{op}: no device {device!r} ({count} GPU(s) visible)")
    import cupy

    with cupy.cuda.Device(index):
        return cupy.get_default_memory_pool()


def get_memory_info(device: str) -> dict:
    """``{"current": bytes in use, "peak": bytes reserved}`` for a GPU ("GPU:0"); zeros
    for the CPU, whose memory is not tracked (as TensorFlow).

    Raises:
        ValueError: for a name that is not a device, or a GPU that is not there.
    """
    pool = _gpu_pool(device, "get_memory_info")
    if pool is None:
        return {"current": 0, "peak": 0}
    return {"current": int(pool.used_bytes()), "peak": int(pool.total_bytes())}


def get_memory_usage(device: str) -> int:
    """Bytes in use on a GPU (the older name of ``get_memory_info(device)["current"]``)."""
    return get_memory_info(device)["current"]


def reset_memory_stats(device: str) -> None:
    """Release the GPU pool's unused blocks, so ``peak`` starts again from ``current``."""
    pool = _gpu_pool(device, "reset_memory_stats")
    if pool is not None:
        pool.free_all_blocks()


def get_device_details(device) -> dict:
    """``{"device_name", "compute_capability": (major, minor)}`` for a GPU, ``{}`` for
    the CPU, as TensorFlow."""
    if getattr(device, "device_type", None) == "CPU":
        return {}
    name = getattr(device, "name", device)
    kind, index = _parse(name, "get_device_details")
    if kind == "CPU":
        return {}
    import cupy

    properties = cupy.cuda.runtime.getDeviceProperties(index)
    return {
        "device_name": properties["name"].decode(),
        "compute_capability": (int(properties["major"]), int(properties["minor"])),
    }


_settings = {
    "tensor_float_32": True,  # TF's default: allowed
    "device_policy": None,
    "synchronous": True,
    "jit": "",
    "optimizer_options": {},
}


def enable_tensor_float_32_execution(enabled: bool) -> None:
    """Allow (True, TensorFlow's default) or forbid TF32 math in float32 matmuls and
    convolutions. gpuflow's kernels and cuBLAS calls compute float32 in full precision
    either way; the setting is kept for code that reads it back."""
    _settings["tensor_float_32"] = bool(enabled)


def tensor_float_32_execution_enabled() -> bool:
    return _settings["tensor_float_32"]


def set_device_policy(device_policy) -> None:
    """``"silent"``, ``"silent_for_int32"``, ``"warn"``, ``"explicit"`` or None (TF's
    default): kept; gpuflow copies between devices only where an op's device asks."""
    allowed = (None, "silent", "silent_for_int32", "warn", "explicit")
    if device_policy not in allowed:
        raise ValueError(
            f"set_device_policy: expected one of {allowed}, received {device_policy!r}"
        )
    _settings["device_policy"] = device_policy


def get_device_policy() -> str:
    return _settings["device_policy"] or "silent"


def set_synchronous_execution(enable: bool) -> None:
    """Kept for code that reads it back; gpuflow's ops return when their result is ready
    on the CPU and when queued on a CUDA stream on a GPU, whatever the setting."""
    _settings["synchronous"] = bool(enable)


def get_synchronous_execution() -> bool:
    return _settings["synchronous"]


def set_jit(enabled) -> None:
    """``tf.config.optimizer.set_jit`` (True or ``"autoclustering"``, False or ``""``):
    kept; gpuflow compiles with gpuflow.function, not XLA."""
    if enabled not in (True, False, "autoclustering", ""):
        raise ValueError(
            f"set_jit: expected True, False, 'autoclustering' or '', received {enabled!r}"
        )
    _settings["jit"] = "autoclustering" if enabled in (True, "autoclustering") else ""


def get_jit() -> str:
    return _settings["jit"]


# Grappler's switches as TensorFlow reports them (tensorflow/python/eager/context.py): the
# on/off toggles appear once set, the two booleans always, min_graph_nodes when not 0.
_TOGGLES_AND_BOOLS = (
    "layout_optimizer",
    "constant_folding",
    "shape_optimization",
    "remapping",
    "arithmetic_optimization",
    "dependency_optimization",
    "loop_optimization",
    "function_optimization",
    "debug_stripper",
    "disable_model_pruning",
    "scoped_allocator_optimization",
    "pin_to_host_optimization",
    "implementation_selector",
    "auto_mixed_precision",
    "use_plugin_optimizers",
    "disable_meta_optimizer",
    "auto_mixed_precision_onednn_bfloat16",
    "auto_mixed_precision_mkl",
)
_BOOLS = ("disable_model_pruning", "disable_meta_optimizer")


def set_experimental_options(options: dict) -> None:
    """``tf.config.optimizer.set_experimental_options``: kept and reported back as
    TensorFlow does (Grappler's switches have no gpuflow counterpart). A name TensorFlow
    does not know is ignored, as there, with a warning."""
    unknown = sorted(set(options) - set(_TOGGLES_AND_BOOLS) - {"min_graph_nodes"})
    if unknown:
        warnings.warn(
            f"config.optimizer.set_experimental_options: unknown options {unknown} are "
            f"ignored (known: {', '.join(_TOGGLES_AND_BOOLS)}, min_graph_nodes)",
            stacklevel=2,
        )
    known = {k: v for k, v in dict(options).items() if k not in unknown}
    _settings["optimizer_options"] = {**_settings["optimizer_options"], **known}


def get_experimental_options() -> dict:
    """The options as TensorFlow reports them: toggles set to True/False, the booleans
    ``disable_model_pruning`` and ``disable_meta_optimizer`` always, ``min_graph_nodes``
    when not 0."""
    stored = _settings["optimizer_options"]
    out = {}
    for name in _TOGGLES_AND_BOOLS:
        value = stored.get(name)
        if name in _BOOLS or value is not None:
            out[name] = bool(value)
    if stored.get("min_graph_nodes"):
        out["min_graph_nodes"] = int(stored["min_graph_nodes"])
    return out
