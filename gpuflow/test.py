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


def is_built_with_rocm() -> bool:
    """False: gpuflow's GPU path is CUDA (CuPy), not ROCm."""
    return False


def is_built_with_xla() -> bool:
    """False: gpuflow compiles with its own tracing (gpuflow.function), not XLA."""
    return False


def is_cpu_target_available(cpu: str) -> bool:
    """Whether this machine is the CPU architecture ``cpu`` (``"x86"``, ``"arm"``, ...):
    gpuflow runs on the host's CPU only."""
    import platform

    machine = platform.machine().lower()
    wanted = str(cpu).lower()
    families = {"x86": ("x86_64", "amd64", "i386", "i686"), "arm": ("aarch64", "arm64", "armv7l")}
    return machine in families.get(wanted, (wanted,))


from .backend.registry import synchronize_all  # noqa: E402
from .execution import executing_eagerly  # noqa: E402
from .gradient_checker import compute_gradient  # noqa: E402,F401  (tf.test.compute_gradient)
from .graph.graph_def import assert_equal_graph_def  # noqa: E402,F401
from .test_benchmark import Benchmark  # noqa: E402,F401  (tf.test.Benchmark)
from .test_case import TestCase, main  # noqa: E402,F401  (tf.test.TestCase, tf.test.main)


class experimental:  # noqa: N801 - tf.test.experimental namespace
    @staticmethod
    def sync_devices() -> None:
        """Wait until every device has finished the ops queued on it (a GPU runs them
        asynchronously): for timing a benchmark.

        Raises:
            RuntimeError: inside a ``tf.function`` (it must run eagerly).
        """
        if not executing_eagerly():
            raise RuntimeError(
                "sync_devices() must only be called in Eager mode, outside tf.functions"
            )
        synchronize_all()
