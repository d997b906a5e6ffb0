"""gpuflow's custom CUDA kernels: compile them ahead of time and list what is compiled.

Kernels compile lazily on first use; ``precompile()`` moves that cost to a moment of
your choosing (e.g. before timing, or in a container build with ``CUPY_CACHE_DIR``
set so the cubins are stored on disk).
"""
from __future__ import annotations

from .backend.kernel_source import KERNEL_FILES


def _launcher(device):
    from .backend import get_device

    dev = get_device(device)
    ops = dev.kernels
    if ops is None:
        raise ValueError(f"gpuflow.kernels: device {dev.name!r} runs no custom kernels; "
                         "use a 'cuda' or 'cuda-emu' device")
    return dev, ops.launcher


def precompile(device=None) -> list[str]:
    """Compiles every kernel file for ``device`` now.

    Args:
        device: a device name or object (``None``: the current device), e.g. ``"cuda:0"``
            or ``"cuda-emu"``.

    Returns:
        The kernel files compiled, e.g. ``["fused_dense.cu", "im2col.cu"]``.

    Raises:
        ValueError: the device runs no custom kernels (``"cpu"``).
    """
    _, launcher = _launcher(device)
    return launcher.precompile(KERNEL_FILES)


def compiled(device=None) -> list[str]:
    """The kernel files compiled so far on ``device`` (``[]`` on devices without kernels)."""
    from .backend import get_device

    ops = get_device(device).kernels
    return [] if ops is None else ops.launcher.compiled()


__all__ = ["precompile", "compiled", "KERNEL_FILES"]
