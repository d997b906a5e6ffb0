"""``tf.sysconfig``: how this gpuflow was built (``get_build_info``)."""

from __future__ import annotations


def get_build_info() -> dict:
    """``is_cuda_build`` (CuPy, gpuflow's CUDA backend, imports), ``is_rocm_build`` and
    ``is_tensorrt_build`` (False), and with CuPy the CUDA runtime version it was built for
    (``cuda_version``, as ``"12.4"``), as TensorFlow's keys."""
    info = {"is_cuda_build": False, "is_rocm_build": False, "is_tensorrt_build": False}
    try:
        import cupy
    except Exception:  # a broken CuPy counts as absent, as in gpuflow.backend.cuda_status
        return info
    info["is_cuda_build"] = True
    try:
        version = int(cupy.cuda.runtime.runtimeGetVersion())
    except Exception:  # no CUDA runtime library here: the version is unknown
        return info
    info["cuda_version"] = f"{version // 1000}.{version % 1000 // 10}"
    return info
