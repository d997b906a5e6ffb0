"""Every kernel file compiles with NVRTC for compute_75/80/90, on a machine with no GPU.

Uses the options ``CudaLauncher`` hands to ``cupy.RawModule`` plus the two CuPy adds
(``-ftz=true``, ``-arch=compute_XX``). NVRTC is loaded with ctypes from the pip wheel
``nvidia-cuda-nvrtc-cu12`` (or a CUDA toolkit); ``cuda_fp16.h`` comes from
``nvidia-cuda-runtime-cu12``. Skipped, with the reason, only where those are missing.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from nvrtc_ctypes import load_nvrtc

from gpuflow.backend.cuda_launcher import cuda_include_dirs, nvrtc_options
from gpuflow.backend.kernel_source import KERNEL_FILES, kernel_dir, kernel_path, load_source

NVRTC, _WHY = load_nvrtc()
ARCHS = ("75", "80", "90")


def test_every_cu_file_is_listed():
    assert sorted(p.name for p in kernel_dir().glob("*.cu")) == sorted(KERNEL_FILES)


@pytest.mark.skipif(NVRTC is None, reason=_WHY or "")
@pytest.mark.parametrize("arch", ARCHS)
@pytest.mark.parametrize("filename", KERNEL_FILES)
def test_nvrtc_compiles(filename, arch):
    if not cuda_include_dirs(use_cupy=False):
        pytest.skip(
            "cuda_fp16.h not found (pip install nvidia-cuda-runtime-cu12, or set CUDA_PATH)"
        )
    options = list(nvrtc_options(use_cupy=False)) + ["-ftz=true", f"-arch=compute_{arch}"]
    ok, log = NVRTC.compile(load_source(filename), filename, options)
    assert ok, (
        f"NVRTC {NVRTC.version} failed on {kernel_path(filename)} for compute_{arch} "
        f"with {options}:\n{log}"
    )


@pytest.mark.skipif(NVRTC is None, reason=_WHY or "")
def test_nvrtc_reports_errors_with_log():
    ok, log = NVRTC.compile(
        'extern "C" __global__ void k() { oops; }', "broken.cu", ["-arch=compute_80"]
    )
    assert not ok and "oops" in log


@pytest.mark.skipif(
    shutil.which("nvcc") is None, reason="nvcc not on PATH (the NVRTC check above still runs)"
)
@pytest.mark.parametrize("filename", KERNEL_FILES)
def test_nvcc_compiles_file_standalone(filename, tmp_path):
    """Each .cu compiles on its own with nvcc (its #include "common.cuh" resolved by nvcc
    itself)."""
    proc = subprocess.run(
        [
            "nvcc",
            "-std=c++17",
            "-arch=compute_80",
            "-ptx",
            str(kernel_path(filename)),
            "-o",
            str(tmp_path / "out.ptx"),
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
