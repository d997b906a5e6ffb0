"""Compiles kernels/*.cu with NVRTC through ``cupy.RawModule`` and launches them.

One module per (GPU, kernel file), compiled on first use and kept: a file holds every
dtype's entry points (``gemm_nn_large_f32``, ...), so "once per (device, dtype)" comes
for free and a kernel object is never built inside a hot path. CuPy's on-disk cache
(``CUPY_CACHE_DIR``, default ``~/.cupy/kernel_cache``) keys on the single source string
from :func:`load_source`, so an edited kernel is recompiled, never served stale.

This module imports cupy only inside methods, so it imports on machines without CuPy
(``nvrtc_options`` is used by the CPU-only compile check too).
"""

from __future__ import annotations

import glob
import os
import sys
import threading

import numpy as np

from .kernel_source import (
    KernelCompileError,
    KernelLaunchError,
    ModuleCache,
    kernel_path,
    load_source,
)

CXX_STANDARD = "--std=c++17"
"""What CuPy's RawModule passes when no standard is given; stated so that the CPU-only
NVRTC check compiles with exactly the launcher's options."""


__all__ = [
    "CudaLauncher",
    "KernelCompileError",
    "KernelLaunchError",
    "cuda_include_dirs",
    "nvrtc_options",
]
MISSING_NVRTC_HINT = (
    "CuPy's plain wheels ship no NVRTC: pip install 'cupy-cuda12x[ctk]' or "
    "'cupy-cuda13x[ctk]' (or gpuflow[cuda12] / gpuflow[cuda13]), or install the "
    "CUDA toolkit; `gpuflow info` says which CUDA library is missing"
)


def cuda_include_dirs(use_cupy: bool = True) -> list[str]:
    """The folder holding ``cuda_fp16.h`` that NVRTC should search, as a one-item list (or empty).

    NVRTC has no default include path. CuPy's own CUDA root comes first (its headers
    match its NVRTC), then the pip header wheels (``nvidia/cu13``, ``nvidia/cuda_runtime``),
    then ``CUDA_PATH`` / ``CUDA_HOME`` / ``/usr/local/cuda``.
    """
    roots = []
    if use_cupy:
        try:
            from cupy import _environment

            if _environment.get_cuda_path():
                roots.append(os.path.join(_environment.get_cuda_path(), "include"))
        except Exception:  # an old or broken CuPy: fall through to the other places
            pass
    for site in sys.path:
        roots += sorted(
            glob.glob(os.path.join(site, "nvidia", "cu1[0-9]", "include")), reverse=True
        )
        roots.append(os.path.join(site, "nvidia", "cuda_runtime", "include"))
    for env in ("CUDA_PATH", "CUDA_HOME"):
        if os.environ.get(env):
            roots.append(os.path.join(os.environ[env], "include"))
    roots.append("/usr/local/cuda/include")
    for root in roots:
        if os.path.isfile(os.path.join(root, "cuda_fp16.h")):
            return [root]
    return []


def nvrtc_options(use_cupy: bool = True) -> tuple[str, ...]:
    """Options gpuflow hands to ``cupy.RawModule`` (CuPy adds ``-ftz=true`` and ``-arch``)."""
    return (CXX_STANDARD,) + tuple(f"-I{d}" for d in cuda_include_dirs(use_cupy))


class CudaLauncher(ModuleCache):
    """Launches gpuflow's kernels on one CUDA device; same interface as ``EmuLauncher``.

    Args:
        device: the ``CudaDevice`` whose GPU runs the kernels.
    """

    kind = "cuda"

    def __init__(self, device) -> None:
        import cupy

        self.device = device
        self.xp = cupy
        self._modules: dict[str, object] = {}
        self._functions: dict[tuple[str, str], object] = {}
        self._lock = threading.Lock()
        self._sm_count: int | None = None

    @property
    def sm_count(self) -> int:
        """The GPU's streaming multiprocessors (its device attributes; read once)."""
        if self._sm_count is None:
            self._sm_count = int(self.device._cupy_device.attributes["MultiProcessorCount"])
        return self._sm_count

    def context(self):
        """A context manager that makes this launcher's GPU current (for allocations)."""
        return self.device._cupy_device

    def module(self, filename: str):
        """The compiled ``cupy.RawModule`` of ``kernels/<filename>`` (compiled on first call)."""
        mod = self._modules.get(filename)
        if mod is None:
            with self._lock:
                mod = self._modules.get(filename)
                if mod is None:
                    mod = self._modules[filename] = self._compile(filename)
        return mod

    def _compile(self, filename: str, kernel: "str | None" = None):
        import cupy
        from cupy.cuda.compiler import CompileException

        source = load_source(filename)
        what = f"kernel {kernel} in " if kernel else ""
        try:
            with self.context():
                mod = cupy.RawModule(code=source, options=nvrtc_options())
                mod.compile()
        except CompileException as exc:
            log = exc.get_message() if hasattr(exc, "get_message") else str(exc)
            raise KernelCompileError(
                f"NVRTC failed to compile {what}gpuflow kernel file {kernel_path(filename)} for "
                f"{self.device.name} with options {nvrtc_options()}:\n{log}",
                kernel=kernel,
                filename=filename,
                log=log,
            ) from None
        except Exception as exc:  # no NVRTC, no cuda_fp16.h, a driver error: name them all
            log = f"{type(exc).__name__}: {exc}"
            hint = f"\n{MISSING_NVRTC_HINT}" if "nvrtc" in log.lower() else ""
            raise KernelCompileError(
                f"could not compile {what}gpuflow kernel file {kernel_path(filename)} for "
                f"{self.device.name}: {log}{hint}",
                kernel=kernel,
                filename=filename,
                log=log,
            ) from None
        return mod

    def function(self, filename: str, name: str):
        """The kernel ``name`` of ``kernels/<filename>`` (a ``cupy.RawKernel``).

        Raises:
            KernelCompileError: the file does not compile (the message holds NVRTC's log).
            KernelLaunchError: the compiled module has no kernel ``name``.
        """
        key = (filename, name)
        fn = self._functions.get(key)
        if fn is None:
            mod = self._modules.get(filename)
            if mod is None:
                with self._lock:
                    mod = self._modules.get(filename)
                    if mod is None:
                        mod = self._modules[filename] = self._compile(filename, name)
            try:
                fn = mod.get_function(name)
            except Exception as exc:  # CuPy raises CUDADriverError (CUDA_ERROR_NOT_FOUND)
                raise KernelLaunchError(
                    f"gpuflow kernel {name!r} is not in {kernel_path(filename)} as compiled for "
                    f"{self.device.name} ({type(exc).__name__}: {exc})",
                    kernel=name,
                    filename=filename,
                    log=str(exc),
                ) from None
            self._functions[key] = fn
        return fn

    def launch(self, filename: str, name: str, grid: tuple, block: tuple, args: tuple) -> None:
        """Runs kernel ``name`` on ``grid`` x ``block`` threads.

        Args:
            args: device arrays, ``None`` (a null pointer), or NumPy scalars of the exact
                C type (``np.int32``, ``np.float32``, ...); Python ints are refused because
                their C width would be a guess.
        """
        fn = self.function(filename, name)
        converted = []
        for i, arg in enumerate(args):
            if arg is None:
                converted.append(np.uintp(0))  # a null pointer, pointer-sized
            elif isinstance(arg, (int, float)) and not isinstance(arg, np.generic):
                raise TypeError(
                    f"kernel {name}: argument {i} is a Python {type(arg).__name__} "
                    f"({arg!r}); pass np.int32/np.float32/... explicitly"
                )
            else:
                converted.append(arg)
        try:
            with self.context():
                fn(tuple(grid), tuple(block), tuple(converted))
        except Exception as exc:  # a bad launch configuration, too many resources, a fault
            raise KernelLaunchError(
                f"gpuflow kernel {name} ({kernel_path(filename)}) failed to launch on "
                f"{self.device.name} with grid={tuple(grid)} block={tuple(block)}: "
                f"{type(exc).__name__}: {exc}",
                kernel=name,
                filename=filename,
                log=str(exc),
            ) from exc
