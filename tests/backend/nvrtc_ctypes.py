"""NVRTC through ctypes, for compile checks on machines without a GPU or driver.

NVRTC is a plain host library: it compiles CUDA C++ to PTX with no driver at all.
The pip package ``nvidia-cuda-nvrtc-cu12`` (or a CUDA toolkit) provides it.
"""

from __future__ import annotations

import ctypes
import glob
import os
import sys


def find_libnvrtc() -> "str | None":
    """Path of libnvrtc.so: pip wheels first (they match ``cuda_fp16.h`` wheels), then
    CUDA_PATH, then the loader."""
    candidates = []
    for site in sys.path:
        for pattern in ("nvidia/cuda_nvrtc/lib/libnvrtc.so*", "nvidia/cu*/lib/libnvrtc.so*"):
            candidates += sorted(glob.glob(os.path.join(site, pattern)))
    for env in ("CUDA_PATH", "CUDA_HOME"):
        if os.environ.get(env):
            candidates += sorted(glob.glob(os.path.join(os.environ[env], "lib64", "libnvrtc.so*")))
    candidates += sorted(glob.glob("/usr/local/cuda/lib64/libnvrtc.so*"))
    candidates = [c for c in candidates if "builtins" not in c and "alt" not in os.path.basename(c)]
    return candidates[0] if candidates else None


class Nvrtc:
    """A loaded libnvrtc; ``compile(source, name, options) -> (ok, log)``."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.lib = ctypes.CDLL(path)
        major, minor = ctypes.c_int(), ctypes.c_int()
        self.lib.nvrtcVersion(ctypes.byref(major), ctypes.byref(minor))
        self.version = (major.value, minor.value)

    def compile(self, source: str, name: str, options) -> "tuple[bool, str]":
        lib = self.lib
        prog = ctypes.c_void_p()
        rc = lib.nvrtcCreateProgram(
            ctypes.byref(prog), source.encode(), name.encode(), 0, None, None
        )
        if rc != 0:
            return False, f"nvrtcCreateProgram failed with code {rc}"
        try:
            opts = [o.encode() for o in options]
            arr = (ctypes.c_char_p * len(opts))(*opts)
            rc = lib.nvrtcCompileProgram(prog, len(opts), arr)
            size = ctypes.c_size_t()
            lib.nvrtcGetProgramLogSize(prog, ctypes.byref(size))
            buf = ctypes.create_string_buffer(size.value)
            lib.nvrtcGetProgramLog(prog, buf)
            log = buf.value.decode(errors="replace")
            if rc == 0:
                ptx_size = ctypes.c_size_t()
                lib.nvrtcGetPTXSize(prog, ctypes.byref(ptx_size))
                if ptx_size.value <= 1:
                    return False, "NVRTC reported success but produced no PTX\n" + log
            return rc == 0, log
        finally:
            lib.nvrtcDestroyProgram(ctypes.byref(prog))


def load_nvrtc() -> "tuple[Nvrtc | None, str]":
    """``(Nvrtc, "")`` or ``(None, reason)``."""
    path = find_libnvrtc()
    if path is None:
        return None, (
            "libnvrtc not found (pip install nvidia-cuda-nvrtc-cu12 "
            "nvidia-cuda-runtime-cu12, or set CUDA_PATH)"
        )
    try:
        return Nvrtc(path), ""
    except OSError as exc:
        return None, f"libnvrtc at {path} failed to load: {exc}"
