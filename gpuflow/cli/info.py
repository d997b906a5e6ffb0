"""``gpuflow info``: versions, devices, why CUDA is or is not used, kernel caches, BLAS.

Runs on machines with and without CuPy, and with CuPy but no driver: every probe
catches its own failure and reports it as a line instead of raising.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import platform
import sys
from pathlib import Path

import numpy as np


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Registers ``gpuflow info`` on ``subparsers``; returns its parser."""
    p = subparsers.add_parser(
        "info",
        help="show versions, devices, CUDA status, kernel caches and BLAS",
        description="Show what gpuflow finds on this machine: versions, devices, "
        "why CUDA is or is not used, the kernel cache folders and which kernels are compiled, "
        "cuda-emu, BLAS.",
    )
    p.add_argument(
        "--precompile",
        action="store_true",
        help="compile the CUDA kernels now on every kernel device (cuda, cuda-emu) and report",
    )
    return p


def _version(dist: str) -> str | None:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def _cupy_version() -> str:
    try:
        import cupy
    except ImportError:
        return "not installed"
    except Exception as exc:  # noqa: BLE001 - a broken CuPy install is reported, not raised
        return (
            f"installed but fails to import ({exc.__class__.__name__}: {str(exc).splitlines()[0]})"
        )
    return cupy.__version__


def _blas() -> str:
    """The BLAS NumPy uses: from threadpoolctl (runtime) when present, else numpy.show_config."""
    try:
        from threadpoolctl import threadpool_info

        libs = [i for i in threadpool_info() if i.get("user_api") == "blas"]
        if libs:
            return "; ".join(
                f"{i.get('internal_api')} {i.get('version')} ({i.get('num_threads')} threads, "
                f"{i.get('filepath')})"
                for i in libs
            )
    except ImportError:
        pass
    try:
        config = np.show_config(mode="dicts")
        blas = config["Build Dependencies"]["blas"]
        return f"{blas.get('name')} {blas.get('version')} (numpy build configuration)"
    except Exception:  # noqa: BLE001 - NumPy < 1.26 has no mode="dicts"
        return "unknown (pip install threadpoolctl to see it)"


CTK_HINT = (
    "pip install 'cupy-cuda12x[ctk]' or 'cupy-cuda13x[ctk]' (gpuflow[cuda12] / "
    "gpuflow[cuda13]); CuPy's plain wheels ship neither NVRTC nor cuBLAS"
)


def _probe_nvrtc() -> str:
    from cupy.cuda import nvrtc

    major, minor = nvrtc.getVersion()
    return f"{major}.{minor}"


def _probe_cublas() -> str:
    from cupy_backends.cuda.libs import cublas

    return ".".join(str(cublas.getProperty(i)) for i in range(3))  # MAJOR, MINOR, PATCH


def cuda_libraries() -> list[str]:
    """One line each for NVRTC (compiles gpuflow's kernels) and cuBLAS (CuPy's matmul):
    the version found, or that it is missing and how to install it."""
    if not _cupy_version()[:1].isdigit():
        return ["NVRTC, cuBLAS: not probed (CuPy does not import)"]
    lines, missing = [], []
    for label, probe, role in (
        ("NVRTC", _probe_nvrtc, "compiles gpuflow's CUDA kernels"),
        ("cuBLAS", _probe_cublas, "CuPy's matmul, large GEMMs"),
    ):
        try:
            lines.append(f"{label} {probe()} found ({role})")
        except Exception as exc:  # noqa: BLE001 - a missing library is reported, not raised
            first = str(exc).splitlines()[0] if str(exc) else ""
            lines.append(f"{label} MISSING ({role}): {type(exc).__name__}: {first}")
            missing.append(label)
    if missing:
        lines.append(f"missing {' and '.join(missing)}: {CTK_HINT}")
    return lines


def _emu_cache() -> tuple[Path, list[str]]:
    """The cuda-emu cache folder and, per kernel file, whether its current build is cached there."""
    from ..backend import emu
    from ..backend.kernel_source import (
        KERNEL_FILES,
        kernel_dir,
        load_source,
        source_hash,
    )

    folder = emu.cache_dir()
    ok, _ = emu.emu_status()
    lines = []
    for filename in KERNEL_FILES:
        if not ok:
            lines.append(f"{filename}: -")
            continue
        # The same key as emu._build: source, header, flags and compiler version.
        header = (kernel_dir() / "cuda_emu.h").read_text()
        key = source_hash(
            "\0".join(
                [
                    load_source(filename),
                    header,
                    " ".join(emu.CXX_FLAGS),
                    emu._compiler_version(emu._cxx()),
                ]
            )
        )
        cached = (folder / f"{Path(filename).stem}-{key}.so").is_file()
        lines.append(
            f"{filename}: "
            f"{'compiled (cached)' if cached else 'not compiled yet (compiles on first use)'}"
        )
    return folder, lines


def _cupy_cache() -> str:
    folder = Path(os.environ.get("CUPY_CACHE_DIR") or Path.home() / ".cupy" / "kernel_cache")
    if not folder.is_dir():
        return f"{folder} (empty: nothing compiled yet)"
    count = sum(1 for p in folder.iterdir() if p.is_file())
    return f"{folder} ({count} cached module{'s' if count != 1 else ''}, gpuflow's and CuPy's own)"


def _precompile(devices: list[str]) -> list[str]:
    import time

    from .. import kernels

    lines = []
    for name in devices:
        if name == "cpu":
            continue
        start = time.perf_counter()
        try:
            files = kernels.precompile(name)
            lines.append(
                f"{name}: compiled {', '.join(files)} in {time.perf_counter() - start:.1f} s"
            )
        except Exception as exc:  # noqa: BLE001 - report every device, whatever fails
            lines.append(
                f"{name}: FAILED {exc.__class__.__name__}: "
                f"{str(exc).splitlines()[0] if str(exc) else ''}"
            )
    return lines


def collect(precompile: bool = False) -> list[tuple[str, str]]:
    """The report as ``(label, text)`` rows; an empty label continues the previous row."""
    import gpuflow

    from ..backend import cuda_status, list_devices
    from ..backend.emu import emu_status
    from ..backend.kernel_source import KERNEL_FILES, KernelSourceError, kernel_dir

    rows = [
        ("gpuflow", f"{gpuflow.__version__} ({Path(gpuflow.__file__).parent})"),
        (
            "Python",
            f"{platform.python_version()} ({platform.python_implementation()}, {sys.executable})",
        ),
        ("platform", f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs"),
        ("NumPy", np.__version__),
        ("CuPy", _cupy_version()),
    ]
    for label, dist in (("matplotlib", "matplotlib"), ("tensorboard", "tensorboard")):
        rows.append(
            (
                label,
                _version(dist)
                or "not installed (pip install "
                f"'gpuflow[{'plot' if dist == 'matplotlib' else dist}]')",
            )
        )
    rows.append(("BLAS", _blas()))

    devices = list_devices()
    rows.append(("devices", ", ".join(devices)))
    count, reason = cuda_status()
    rows.append(("CUDA", ("used: " if count else "not used: ") + reason))
    auto = "cuda:0" if count else "cpu"
    rows.append(
        (
            "",
            f"device 'auto' is {auto}; "
            f"GPUFLOW_DEVICE={os.environ.get('GPUFLOW_DEVICE', '(unset)')}",
        )
    )
    libraries = cuda_libraries()
    rows.append(("CUDA libs", libraries[0]))
    rows += [("", line) for line in libraries[1:]]
    ok, emu_reason = emu_status()
    emu_reason = emu_reason.splitlines()[0].removeprefix("cuda-emu: ")
    rows.append(("cuda-emu", ("works: " if ok else "not available: ") + emu_reason))

    try:
        rows.append(("kernels", f"{', '.join(KERNEL_FILES)} in {kernel_dir()}"))
    except KernelSourceError as exc:
        rows.append(("kernels", f"sources missing: {exc}"))
    else:
        try:
            folder, lines = _emu_cache()
            rows.append(("", f"cuda-emu cache {folder}:"))
            rows += [("", "  " + line) for line in lines]
        except Exception as exc:  # noqa: BLE001 - info reports, never fails
            rows.append(("", f"cuda-emu cache: unreadable ({exc.__class__.__name__}: {exc})"))
        rows.append(
            ("", "CuPy cache " + _cupy_cache() + ("" if count else ", not used here: no GPU"))
        )
        if precompile:
            rows += [("", line) for line in _precompile(devices)]
    return rows


def run(args: argparse.Namespace) -> int:
    """Prints the ``gpuflow info`` report; returns 0."""
    rows = collect(precompile=args.precompile)
    width = max(len(label) for label, _ in rows)
    for label, text in rows:
        print(f"{label + (':' if label else ''):<{width + 1}} {text}")
    return 0
