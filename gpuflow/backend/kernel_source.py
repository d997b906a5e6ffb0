"""Where the CUDA kernel sources live, and each one as a single source string.

An installed wheel carries them as ``gpuflow/_kernels``; a source checkout (or an
editable install) has them in ``<repo>/kernels``. Local ``#include "x.cuh"`` lines are
pasted in, because NVRTC gets one string and CuPy's disk cache keys on that string
only (an included file's edits would otherwise be served stale from the cache).
"""

from __future__ import annotations

import functools
import hashlib
import re
from pathlib import Path

KERNEL_FILES = ("fused_dense.cu", "im2col.cu", "int8_dense.cu")
"""Every kernel family, one ``.cu`` file each, in ``kernel_dir()``."""

_LOCAL_INCLUDE = re.compile(r'^[ \t]*#[ \t]*include[ \t]+"([^"]+)"[ \t]*$', re.MULTILINE)


class KernelSourceError(RuntimeError):
    """The kernel sources cannot be found or read."""


class KernelError(RuntimeError):
    """A gpuflow kernel failed to compile, to be found in its module, or to launch.

    The message always names the kernel (or its file) and holds the compiler's or the
    driver's own message; both launchers raise it, never a bare ``KeyError``.

    Attributes:
        kernel: the kernel's name (``"gemm_nn_large_f32"``), or ``None`` for a whole file.
        filename: the kernel file (``"fused_dense.cu"``).
        log: the compiler log or the driver's message.
    """

    def __init__(self, message: str, *, kernel: "str | None", filename: str, log: str = "") -> None:
        super().__init__(message)
        self.kernel, self.filename, self.log = kernel, filename, log


class KernelCompileError(KernelError):
    """NVRTC (or g++ on cuda-emu) rejected a kernel file; the message holds the compiler log."""


class KernelLaunchError(KernelError):
    """A compiled kernel could not be found in its module, or its launch failed."""


@functools.lru_cache(maxsize=1)
def kernel_dir() -> Path:
    """The folder holding the ``.cu`` files (packaged copy first, then the source tree)."""
    package = Path(__file__).resolve().parent.parent
    candidates = (package / "_kernels", package.parent / "kernels")
    for folder in candidates:
        if (folder / KERNEL_FILES[0]).is_file():
            return folder
    raise KernelSourceError(
        "gpuflow kernels: no CUDA sources found; looked for "
        + " and ".join(str(c / KERNEL_FILES[0]) for c in candidates)
        + ". Reinstall gpuflow, or run from a checkout that has kernels/."
    )


def load_source(filename: str) -> str:
    """The text of ``kernels/<filename>`` with its local ``#include "..."`` files pasted in.

    Args:
        filename: a file in ``kernel_dir()``, e.g. ``"fused_dense.cu"``.

    Returns:
        One self-contained source string (system includes such as ``<cuda_fp16.h>`` stay).
    """
    return _expand(kernel_dir() / filename, seen=set())


def _expand(path: Path, seen: set) -> str:
    if not path.is_file():
        raise KernelSourceError(f"gpuflow kernels: {path} does not exist")
    if path in seen:  # include guards would drop it anyway; avoid infinite recursion
        return ""
    seen.add(path)
    text = path.read_text()

    def paste(match: re.Match) -> str:
        return (
            f"// ---- begin {match.group(1)} ----\n"
            + _expand(path.parent / match.group(1), seen)
            + f"\n// ---- end {match.group(1)} ----"
        )

    return _LOCAL_INCLUDE.sub(paste, text)


def source_hash(text: str) -> str:
    """A short stable hash of a source string (cache keys)."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def kernel_path(filename: str) -> Path:
    """The path of ``kernels/<filename>``, for error messages."""
    return kernel_dir() / filename


class ModuleCache:
    """What both kernel launchers share: ``module(file)`` compiles once into ``_modules``."""

    _modules: dict

    def module(self, filename: str):
        raise NotImplementedError

    def precompile(self, files=KERNEL_FILES) -> list[str]:
        """Compiles (or loads from the cache) ``files`` now; returns their names."""
        for f in files:
            self.module(f)
        return list(files)

    def compiled(self) -> list[str]:
        """The kernel files compiled or loaded so far."""
        return sorted(self._modules)
