"""The CPU device: NumPy arrays."""

from __future__ import annotations

import ctypes
import os
import platform

import numpy as np

from . import buffers
from .cpu_kernels import CpuKernels
from .device import Device

_malloc_tuned = False


def _keep_freed_memory() -> None:
    """Let glibc's malloc keep freed memory for the next training step (once per process).

    A training step allocates and frees the same arrays each step: at batch 128 the lecture
    CNN's temporaries exceed glibc's default (dynamic) trim threshold, so the freed heap top
    goes back to the kernel and every step faults ~2,900 pages back in (measured: ~2/3 of the
    step's time, 3x slower than PyTorch). Serving allocations up to 32 MiB from the heap and
    trimming only above 64 MiB of free top keeps them mapped: no faults in the steady state,
    for at most 64 MiB held. Explicit ``MALLOC_*`` / ``GLIBC_TUNABLES`` settings win.
    """
    global _malloc_tuned
    if _malloc_tuned:
        return
    _malloc_tuned = True
    if (
        platform.system() != "Linux"
        or platform.libc_ver()[0] != "glibc"
        or "GLIBC_TUNABLES" in os.environ
        or any(k.startswith("MALLOC_") for k in os.environ)
    ):
        return
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return
    m_trim_threshold, m_mmap_threshold = -1, -3
    mallopt(m_mmap_threshold, 32 << 20)  # glibc's largest accepted value
    mallopt(m_trim_threshold, 64 << 20)


class CpuDevice(Device):
    name = "cpu"
    kind = "cpu"
    xp = np
    kernels = CpuKernels()  # stateless: a plain attribute (ops read it on every call)

    def __init__(self) -> None:
        super().__init__()
        _keep_freed_memory()

    def relu(self, x):
        return buffers.relu(x)
