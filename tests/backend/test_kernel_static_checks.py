"""Static checks of the CUDA kernels with nvcc (no GPU needed): ptxas reports no register
spills in any kernel for sm_80 and sm_90, and the float16 GEMM's PTX holds tensor-core (mma)
instructions, through <mma.h> and through the builtins used where crt/mma.h is missing.
Skipped, with the reason, where nvcc is not on PATH."""

from __future__ import annotations

import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest

from gpuflow.backend.kernel_source import KERNEL_FILES, kernel_path

NVCC = shutil.which("nvcc")
pytestmark = pytest.mark.skipif(NVCC is None, reason="nvcc not on PATH (needs a CUDA toolkit)")
ARCHS = ("sm_80", "sm_90")
_SPILL = re.compile(r"(\d+) bytes spill stores, (\d+) bytes spill loads")
_ENTRY = re.compile(r"Compiling entry function '(\w+)' for '(\w+)'")


def _nvcc(args, tmp_path, name):
    out = tmp_path / name
    proc = subprocess.run(
        [NVCC, "-std=c++17", *args, "-o", str(out)], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, f"nvcc {' '.join(args)} failed:\n{proc.stderr[-5000:]}"
    return proc.stderr, out


@pytest.fixture(scope="module")
def ptxas_reports(tmp_path_factory):
    """ptxas -v output of every kernel file for each arch (compiled two at a time)."""
    tmp = tmp_path_factory.mktemp("ptxas")
    jobs = [(f, arch) for f in KERNEL_FILES for arch in ARCHS]
    with ThreadPoolExecutor(max_workers=2) as pool:
        logs = pool.map(
            lambda job: _nvcc(
                [f"-arch={job[1]}", "-Xptxas", "-v", "-cubin", str(kernel_path(job[0]))],
                tmp,
                f"{job[0]}.{job[1]}.cubin",
            )[0],
            jobs,
        )
        return dict(zip(jobs, logs))


@pytest.mark.parametrize("arch", ARCHS)
@pytest.mark.parametrize("filename", KERNEL_FILES)
def test_no_register_spills(ptxas_reports, filename, arch):
    log = ptxas_reports[(filename, arch)]
    entries = _ENTRY.findall(log)
    spills = _SPILL.findall(log)
    assert entries and len(spills) >= len(entries), log[-3000:]
    # ptxas prints entries and their properties in order: pair them to name any spiller
    spilled = [(name, s) for (name, _), s in zip(entries, spills) if s != ("0", "0")]
    assert not spilled, f"{filename} {arch}: register spills (stores, loads) {spilled}"


@pytest.mark.parametrize("builtins", [False, True], ids=["mma.h", "wmma-builtins"])
def test_float16_gemm_ptx_uses_tensor_cores(tmp_path, builtins):
    extra = ["-DGPUFLOW_WMMA_BUILTINS"] if builtins else []
    _, ptx = _nvcc(
        ["-arch=sm_80", "-ptx", *extra, str(kernel_path("fused_dense.cu"))],
        tmp_path,
        "fused_dense.ptx",
    )
    text = ptx.read_text()
    for kernel in ("gemm_nn_large_f16", "gemm_nt_small_f16", "gemm_tn_split_large_f16"):
        start = text.index(f".entry {kernel}(")
        end = text.find(".entry ", start + 10)
        body = text[start : end if end > 0 else len(text)]
        assert re.search(r"\b(wmma\.mma\.sync|mma\.sync)", body), f"{kernel}: no mma in its PTX"
    f32 = text[text.index(".entry gemm_nn_large_f32(") :]
    f32 = f32[: f32.find(".entry ", 10)]
    assert "ld.global.v4.f32" in f32 or "ld.global.nc.v4.f32" in f32  # float4 loads
    assert "ld.shared.v4.f32" in f32  # vectorized register-tile reads
