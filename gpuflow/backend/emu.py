"""The ``"cuda-emu"`` device: NumPy arrays, gpuflow's CUDA kernels run on the CPU.

The same ``kernels/*.cu`` source is compiled by g++ (C++20) with ``kernels/cuda_emu.h``
force-included (one ``std::thread`` per CUDA thread, ``std::barrier`` for
``__syncthreads``, blocks one after another). Kernel names are read from the
preprocessed source, one exported launch wrapper per ``extern "C" __global__`` is
appended, and the shared library is cached by a hash of source, header, flags and
compiler version in ``$GPUFLOW_CACHE_DIR/emu`` (default ``~/.cache/gpuflow/emu``).
Kernels are called through ctypes with the same arguments CuPy would get, so the
Python launch code in ``kernel_ops.py`` is shared with the real GPU path.
"""

from __future__ import annotations

import ctypes
import functools
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

import numpy as np

from .cpu import CpuDevice
from .kernel_source import (
    KernelCompileError,
    KernelLaunchError,
    ModuleCache,
    kernel_dir,
    kernel_path,
    load_source,
    source_hash,
)

CXX_FLAGS = ("-std=c++20", "-O2", "-fPIC", "-shared", "-pthread", "-w")
_KERNEL_MARK = re.compile(r'extern\s+"C"\s+GPUFLOW_KERNEL_MARK\s+void\s+(\w+)\s*\(')


class EmuCompileError(KernelCompileError):
    """g++ rejected a kernel file under the emulator; the message holds the compiler log."""

    def __init__(self, message: str, filename: str = "", log: str = "") -> None:
        super().__init__(message, kernel=None, filename=filename, log=log or message)


def _cxx() -> str | None:
    return os.environ.get("CXX") or shutil.which("g++")


def cache_dir() -> Path:
    """Where compiled emulator libraries are kept (``$GPUFLOW_CACHE_DIR/emu``)."""
    root = os.environ.get("GPUFLOW_CACHE_DIR") or os.path.join(
        os.path.expanduser("~"), ".cache", "gpuflow"
    )
    return Path(root) / "emu"


@functools.lru_cache(maxsize=1)
def emu_status() -> tuple[bool, str]:
    """``(ok, reason)``: whether a C++20 compiler with ``<barrier>`` can build the emulator."""
    cxx = _cxx()
    if cxx is None:
        return False, "cuda-emu needs g++ (C++20) and none was found on PATH (or set CXX)"
    probe = (
        "#include <barrier>\n#include <thread>\n"
        "int main() { std::barrier<> b(1); b.arrive_and_wait(); }\n"
    )
    try:
        proc = subprocess.run(
            [cxx, "-std=c++20", "-fsyntax-only", "-x", "c++", "-"],
            input=probe,
            capture_output=True,
            text=True,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, f"cuda-emu: {cxx} could not be run ({exc})"
    if proc.returncode != 0:
        return (
            False,
            f"cuda-emu: {cxx} cannot compile C++20 std::barrier:\n{proc.stderr.strip()[:2000]}",
        )
    return True, f"cuda-emu: kernels built by {_compiler_version(cxx)}"


@functools.lru_cache(maxsize=4)
def _compiler_version(cxx: str) -> str:
    try:
        return subprocess.run(
            [cxx, "--version"], capture_output=True, text=True
        ).stdout.splitlines()[0]
    except (OSError, IndexError):
        return cxx


class _EmuModule:
    """One compiled kernel file: the ctypes library and its kernel names."""

    def __init__(self, filename: str, lib_path: Path, names: list[str]) -> None:
        self.filename = filename
        self.names = names
        self.lib = ctypes.CDLL(str(lib_path))
        self._launchers: dict[str, tuple] = {}

    def launcher(self, name: str):
        entry = self._launchers.get(name)
        if entry is None:
            if name not in self.names:
                raise KernelLaunchError(
                    f"gpuflow kernel {name!r} is not in {kernel_path(self.filename)}; it has "
                    f"{', '.join(self.names)}",
                    kernel=name,
                    filename=self.filename,
                )
            fn = getattr(self.lib, f"gpuflow_launch_{name}")
            fn.argtypes = [ctypes.POINTER(ctypes.c_uint), ctypes.POINTER(ctypes.c_void_p)]
            fn.restype = None
            arity = getattr(self.lib, f"gpuflow_arity_{name}")
            arity.restype = ctypes.c_int
            entry = self._launchers[name] = (fn, arity())
        return entry


_SCALAR_CTYPES = {
    np.dtype(np.int32): ctypes.c_int32,
    np.dtype(np.uint32): ctypes.c_uint32,
    np.dtype(np.int64): ctypes.c_int64,
    np.dtype(np.uint64): ctypes.c_uint64,
    np.dtype(np.float32): ctypes.c_float,
    np.dtype(np.float64): ctypes.c_double,
}


class EmuLauncher(ModuleCache):
    """Runs gpuflow's kernels on the CPU; same interface as ``CudaLauncher``."""

    kind = "cuda-emu"
    xp = np
    sm_count = 132
    """An H100 SXM's SM count, so that tile and split-K choices on cuda-emu are an H100's."""

    def __init__(self) -> None:
        self._modules: dict[str, _EmuModule] = {}
        self._lock = threading.Lock()

    def context(self):
        """No device to select on the CPU: a do-nothing context manager."""
        import contextlib

        return contextlib.nullcontext()

    def module(self, filename: str) -> _EmuModule:
        """The compiled emulator library of ``kernels/<filename>`` (built/loaded on first call)."""
        mod = self._modules.get(filename)
        if mod is None:
            with self._lock:
                mod = self._modules.get(filename)
                if mod is None:
                    mod = self._modules[filename] = _build(filename)
        return mod

    def launch(self, filename: str, name: str, grid: tuple, block: tuple, args: tuple) -> None:
        """Runs ``name`` on ``grid`` x ``block`` emulated threads (see ``CudaLauncher.launch``)."""
        fn, arity = self.module(filename).launcher(name)
        if len(args) != arity:
            raise TypeError(f"kernel {name}: expected {arity} arguments, received {len(args)}")
        dims = tuple(grid) + (1,) * (3 - len(grid)) + tuple(block) + (1,) * (3 - len(block))
        if min(dims) < 1 or dims[3] * dims[4] * dims[5] > 1024:
            raise ValueError(
                f"kernel {name}: invalid launch grid={tuple(grid)} block={tuple(block)} "
                f"(each dimension >= 1, at most 1024 threads a block)"
            )
        storage = []
        for i, arg in enumerate(args):
            if arg is None:
                storage.append(ctypes.c_void_p(None))
            elif isinstance(arg, np.ndarray):
                if not arg.flags.c_contiguous:
                    raise ValueError(
                        f"kernel {name}: argument {i} must be C-contiguous, "
                        f"received strides {arg.strides} for shape {arg.shape}"
                    )
                storage.append(ctypes.c_void_p(arg.ctypes.data))
            elif isinstance(arg, np.generic) and arg.dtype in _SCALAR_CTYPES:
                storage.append(_SCALAR_CTYPES[arg.dtype](arg.item()))
            else:
                raise TypeError(
                    f"kernel {name}: argument {i} is {type(arg).__name__} ({arg!r}); "
                    "expected a NumPy array, None, or np.int32/np.float32/... scalar"
                )
        pointers = (ctypes.c_void_p * max(len(storage), 1))(
            *[ctypes.cast(ctypes.pointer(s), ctypes.c_void_p) for s in storage]
        )
        fn((ctypes.c_uint * 6)(*dims), pointers)


def _build(filename: str) -> _EmuModule:
    ok, reason = emu_status()
    if not ok:
        raise EmuCompileError(reason)
    cxx = _cxx()
    header = kernel_dir() / "cuda_emu.h"
    source = load_source(filename)
    key = source_hash(
        "\0".join([source, header.read_text(), " ".join(CXX_FLAGS), _compiler_version(cxx)])
    )
    folder = cache_dir()
    stem = Path(filename).stem
    lib_path = folder / f"{stem}-{key}.so"
    names_path = folder / f"{stem}-{key}.json"
    if lib_path.is_file() and names_path.is_file():
        return _EmuModule(filename, lib_path, json.loads(names_path.read_text()))

    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        src = Path(tmp) / f"{stem}.cu"
        src.write_text(source)
        base = [cxx, "-std=c++20", "-include", str(header), "-x", "c++"]
        scan = _run(base + ["-E", "-P", "-DGPUFLOW_EMU_SCAN", str(src)], filename)
        names = _KERNEL_MARK.findall(scan)
        if not names:
            raise EmuCompileError(
                f'cuda-emu: no extern "C" __global__ kernels found in {kernel_path(filename)}'
            )
        unit = Path(tmp) / f"{stem}_emu.cpp"
        unit.write_text(
            source
            + "\n// generated by gpuflow/backend/emu.py\n"
            + "".join(f"GPUFLOW_EMU_EXPORT({n})\n" for n in names)
        )
        tmp_lib = Path(tmp) / "lib.so"
        _run(
            [cxx, *CXX_FLAGS, "-include", str(header), "-x", "c++", str(unit), "-o", str(tmp_lib)],
            filename,
        )
        names_path.write_text(json.dumps(names))
        os.replace(tmp_lib, lib_path)  # atomic: concurrent test processes never see half a library
    return _EmuModule(filename, lib_path, names)


def _run(cmd: list[str], filename: str) -> str:
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise EmuCompileError(
            f"cuda-emu: g++ failed on gpuflow kernel file {kernel_path(filename)}\n"
            f"command: {' '.join(cmd)}\n{proc.stderr.strip()[:20000]}"
        )
    return proc.stdout


class EmuDevice(CpuDevice):
    """NumPy arrays like ``"cpu"``, but ``kernels`` runs the CUDA kernels on the CPU."""

    name = "cuda-emu"
    kind = "cuda-emu"

    def __init__(self) -> None:
        super().__init__()
        ok, reason = emu_status()
        if not ok:
            from .device import DeviceUnavailableError

            raise DeviceUnavailableError(f"device 'cuda-emu' is not available: {reason}")
        self._kernels = None
        from .upload import EmuRuntime, PinnedUploader

        self._uploader = PinnedUploader(EmuRuntime())

    async_uploads = True

    def upload_async(self, arrays):
        """The cuda path (pinned ring, copy stream, events) on NumPy stand-ins whose copy
        stream defers its copies until they are waited on (see ``upload.py``)."""
        return self._uploader.upload(arrays)

    @property
    def kernels(self):
        if self._kernels is None:
            from .kernel_ops import KernelOps

            self._kernels = KernelOps(EmuLauncher())
        return self._kernels
