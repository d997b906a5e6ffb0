"""``tf.test``: what this gpuflow can run on (CUDA support, the GPU's name)."""

from __future__ import annotations


def is_built_with_cuda() -> bool:
    """Whether gpuflow's CUDA backend is installed here (CuPy imports), GPU or not."""
    try:
        import cupy  # noqa: F401
    except Exception:  # a broken CuPy counts as absent, as in gpuflow.backend.cuda_status
        return False
    return True


is_built_with_gpu_support = is_built_with_cuda


def gpu_device_name() -> str:
    """``"/device:GPU:0"`` when a visible GPU answers, else ``""`` (as TensorFlow)."""
    from .config import list_logical_devices

    gpus = list_logical_devices("GPU")
    return gpus[0].name if gpus else ""


def is_gpu_available(cuda_only: bool = False, min_cuda_compute_capability=None) -> bool:
    """Whether a visible GPU answers, optionally of compute capability >= ``(major, minor)``.

    Deprecated in TensorFlow in favour of ``tf.config.list_physical_devices('GPU')``.
    """
    from .config import get_visible_devices

    gpus = [int(d.name.rsplit(":", 1)[1]) for d in get_visible_devices("GPU")]
    if not gpus or min_cuda_compute_capability is None:
        return bool(gpus)
    import cupy

    wanted = tuple(min_cuda_compute_capability)
    for index in gpus:
        cc = cupy.cuda.Device(index).compute_capability  # e.g. "90"
        if (int(cc[:-1]), int(cc[-1])) >= wanted:
            return True
    return False


from .test_case import TestCase, main  # noqa: E402,F401  (tf.test.TestCase, tf.test.main)
