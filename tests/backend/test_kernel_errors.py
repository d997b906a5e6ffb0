"""Kernel compile, lookup and launch failures surface as KernelError subclasses that name the
kernel and carry NVRTC's (or the driver's) own log, never as a bare KeyError.

The CUDA launcher runs here against the real NVRTC (through ctypes; CuPy's RawModule needs a
driver to compile, so a stand-in RawModule hands the source to NVRTC and raises CuPy's own
CompileException with NVRTC's log, exactly what CuPy does on a GPU machine).
"""

from __future__ import annotations

import contextlib

import numpy as np
import pytest
from nvrtc_ctypes import load_nvrtc

from gpuflow.backend import cuda_launcher, emu
from gpuflow.backend.kernel_source import KernelCompileError, KernelError, KernelLaunchError

cupy = pytest.importorskip("cupy")
NVRTC, _WHY = load_nvrtc()
BROKEN = 'extern "C" __global__ void gemm_nn_large_f32(float* x) { x[0] = undeclared_oops; }\n'


class _Device:
    name = "cuda:0"
    _cupy_device = contextlib.nullcontext()


class _NvrtcRawModule:
    """cupy.RawModule's compile step, done by the real NVRTC (no driver needed)."""

    def __init__(self, code, options=()):
        self.code, self.options = code, tuple(options)

    def compile(self):
        from cupy.cuda.compiler import CompileException

        ok, log = NVRTC.compile(self.code, "fused_dense.cu", [*self.options, "-arch=compute_80"])
        if not ok:
            raise CompileException(log, self.code, "fused_dense.cu", self.options)

    def get_function(self, name):
        # what CuPy's CUDADriverError says (building one needs libcuda)
        raise RuntimeError("CUDA_ERROR_NOT_FOUND: named symbol not found")


@pytest.fixture
def launcher(monkeypatch):
    monkeypatch.setattr(cupy, "RawModule", _NvrtcRawModule)
    return cuda_launcher.CudaLauncher(_Device())


@pytest.mark.skipif(NVRTC is None, reason=_WHY or "")
def test_broken_source_names_the_kernel_and_holds_nvrtcs_log(launcher, monkeypatch):
    monkeypatch.setattr(cuda_launcher, "load_source", lambda filename: BROKEN)
    with pytest.raises(KernelCompileError) as info:
        launcher.launch("fused_dense.cu", "gemm_nn_large_f32", (1, 1, 1), (1, 1, 1), (None,))
    err = info.value
    assert not isinstance(err, KeyError)
    assert "gemm_nn_large_f32" in str(err) and "fused_dense.cu" in str(err)
    assert "undeclared_oops" in str(err) and "undeclared_oops" in err.log  # NVRTC's own words
    assert err.kernel == "gemm_nn_large_f32" and err.filename == "fused_dense.cu"


@pytest.mark.skipif(NVRTC is None, reason=_WHY or "")
def test_a_kernel_missing_from_a_compiled_module_is_no_key_error(launcher, monkeypatch):
    monkeypatch.setattr(cuda_launcher, "load_source", lambda filename: "// empty\n")
    with pytest.raises(KernelLaunchError, match="'gemm_nn_nope_f32' is not in .*fused_dense.cu"):
        launcher.function("fused_dense.cu", "gemm_nn_nope_f32")


def test_missing_nvrtc_says_how_to_install_it(launcher, monkeypatch):
    def no_nvrtc(self):
        raise RuntimeError("CuPy failed to load libnvrtc.so.12: OSError")

    monkeypatch.setattr(_NvrtcRawModule, "compile", no_nvrtc)
    with pytest.raises(KernelCompileError, match=r"(?s)libnvrtc.*cupy-cuda12x\[ctk\]"):
        launcher.module("im2col.cu")


def test_launch_failure_names_kernel_and_grid(launcher):
    def bad_launch(grid, block, args):
        raise RuntimeError("CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES: too many resources requested")

    launcher._functions[("fused_dense.cu", "gemm_nn_large_f32")] = bad_launch
    with pytest.raises(KernelLaunchError) as info:
        launcher.launch(
            "fused_dense.cu", "gemm_nn_large_f32", (3, 2, 1), (256, 1, 1), (np.int32(1),)
        )
    assert "gemm_nn_large_f32" in str(info.value) and "grid=(3, 2, 1)" in str(info.value)
    assert "OUT_OF_RESOURCES" in str(info.value)


@pytest.mark.skipif(not emu.emu_status()[0], reason=emu.emu_status()[1])
def test_emu_unknown_kernel_is_a_kernel_error():
    launcher = emu.EmuLauncher()
    with pytest.raises(KernelLaunchError, match="'no_such_kernel' is not in .*im2col.cu"):
        launcher.launch("im2col.cu", "no_such_kernel", (1,), (1,), ())
    assert issubclass(emu.EmuCompileError, KernelError)
