"""gpuflow's custom CUDA kernels: compile them ahead of time and list what is compiled.

Kernels compile lazily on first use; ``precompile()`` moves that cost to a moment of
your choosing (e.g. before timing, or in a container build with ``CUPY_CACHE_DIR``
set so the cubins are stored on disk).
"""

from __future__ import annotations

from .backend.kernel_source import KERNEL_FILES


def precompile(device=None) -> list[str]:
    """Compiles every kernel file for ``device`` now.

    Args:
        device: a device name or object (``None``: the current device), e.g. ``"cuda:0"``
            or ``"cuda-emu"``.

    Returns:
        The kernel files compiled, e.g. ``["fused_dense.cu", "im2col.cu"]``.

    Raises:
        ValueError: the device compiles nothing (``"cpu"``: NumPy/BLAS kernels).
    """
    from .backend import get_device

    return get_device(device).kernels.precompile(KERNEL_FILES)


def compiled(device=None) -> list[str]:
    """The kernel files compiled so far on ``device`` (``[]`` on the CPU: nothing compiles)."""
    from .backend import get_device

    return get_device(device).kernels.compiled()


__all__ = ["precompile", "compiled", "KERNEL_FILES"]
