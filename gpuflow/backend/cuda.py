"""The CUDA device: CuPy arrays plus our kernels. The only module that imports cupy.

``cuda_status()`` answers whether CUDA can run here and, if not, why, without
raising: ``import gpuflow`` must work with no CuPy, and with CuPy but no driver.
"""

from __future__ import annotations

import functools

import numpy as np

from ..dtypes import HALF_NP
from .device import Device, DeviceUnavailableError

INSTALL_HINT = "pip install 'gpuflow[cuda12]' (CUDA 12) or 'gpuflow[cuda13]' (CUDA 13)"


@functools.lru_cache(maxsize=1)
def cuda_status() -> tuple[int, str]:
    """``(device_count, reason)``: how many GPUs answer and a one-line explanation."""
    try:
        import cupy  # noqa: F401
    except ImportError as exc:
        return (
            0,
            f"CuPy is not installed ({exc.__class__.__name__}: {exc}); for GPUs: {INSTALL_HINT}",
        )
    except Exception as exc:  # a broken CuPy install must not break `import gpuflow`
        return 0, f"CuPy failed to import ({exc.__class__.__name__}: {exc})"
    try:
        count = cupy.cuda.runtime.getDeviceCount()
    except Exception as exc:
        return 0, (
            f"CuPy {cupy.__version__} is installed but no CUDA driver answers "
            f"({_short(exc)}); install the NVIDIA driver or use device='cpu'"
        )
    if count == 0:
        return 0, f"CuPy {cupy.__version__} is installed but the driver reports no GPU"
    names = ", ".join(gpu_name(i) for i in range(count))
    return count, f"CuPy {cupy.__version__}, {count} GPU(s): {names}"


def _short(exc: Exception) -> str:
    return f"{exc.__class__.__name__}: {str(exc).splitlines()[0] if str(exc) else ''}".strip()


_HOST_SPECIAL = frozenset("j0 j1 y0 y1 k0 k1 k0e k1e dawsn expi fresnel_s fresnel_c spence".split())


def bfloat16_refused(dtype) -> bool:
    """Whether ``dtype`` (None, a NumPy dtype or a DType) is bfloat16, which CuPy lacks."""
    if dtype is None:
        return False
    try:
        dt = np.dtype(dtype)
    except TypeError:
        return False
    return dt in HALF_NP and dt != np.float16


def no_bfloat16_on_cuda(device_name: str) -> str:
    """The error text for a bfloat16 tensor asked of a CUDA device."""
    return (
        f"bfloat16 tensors are not supported on device '{device_name}' (CuPy has no "
        "bfloat16 arrays): keep bfloat16 work on the CPU (gpuflow.device('cpu')), or use "
        "float16 / the mixed_float16 policy on the GPU"
    )


def gpu_name(index: int) -> str:
    import cupy

    props = cupy.cuda.runtime.getDeviceProperties(index)
    name = props["name"]
    name = name.decode() if isinstance(name, bytes) else name
    return f"{name} ({props['totalGlobalMem'] / 2**30:.0f} GiB)"


class CudaDevice(Device):
    kind = "cuda"

    def __init__(self, index: int = 0) -> None:
        super().__init__()
        count, reason = cuda_status()
        if count == 0:
            raise DeviceUnavailableError(f"device 'cuda:{index}' is not available: {reason}")
        if not 0 <= index < count:
            raise DeviceUnavailableError(
                f"device 'cuda:{index}' does not exist: {count} GPU(s) found "
                f"(cuda:0..cuda:{count - 1})"
            )
        import cupy

        self.index = index
        self.name = f"cuda:{index}"
        self.xp = cupy
        self._cupy_device = cupy.cuda.Device(index)
        self._kernels = None
        from .upload import PinnedUploader

        self._uploader = PinnedUploader(CupyRuntime(self._cupy_device))

    def asarray(self, data, dtype=None):
        if bfloat16_refused(getattr(data, "dtype", None)) or bfloat16_refused(dtype):
            raise TypeError(no_bfloat16_on_cuda(self.name))
        with self._cupy_device:
            return self.xp.asarray(data, dtype=dtype)

    def to_host(self, array) -> np.ndarray:
        return self.xp.asnumpy(array)

    async_uploads = True

    def upload_async(self, arrays):
        """Pinned staging buffers and a copy stream (see ``upload.py``)."""
        return self._uploader.upload(arrays)

    def owns(self, array) -> bool:
        return isinstance(array, self.xp.ndarray) and array.device.id == self.index

    def synchronize(self) -> None:
        self._cupy_device.synchronize()

    def erf(self, x):
        import cupyx.scipy.special

        return cupyx.scipy.special.erf(x)

    def erfc(self, x):
        import cupyx.scipy.special

        return cupyx.scipy.special.erfc(x)

    def special(self, name: str, x):
        """cupyx's functions; the Bessel J/Y/K functions and the integrals run on the host,
        so that their values at the edges (x <= 0, inf) are TensorFlow's, as on the CPU
        (cupyx follows SciPy there, and has no fresnel_s / fresnel_c)."""
        import cupyx.scipy.special

        if name == "polygamma1":
            return cupyx.scipy.special.polygamma(1, x).astype(x.dtype, copy=False)
        if name in _HOST_SPECIAL:
            return super().special(name, x)
        return getattr(cupyx.scipy.special, name)(x).astype(x.dtype, copy=False)

    @property
    def kernels(self):
        if self._kernels is None:
            from .cuda_launcher import CudaLauncher
            from .kernel_ops import KernelOps

            self._kernels = KernelOps(CudaLauncher(self))
        return self._kernels

    def _make_rng(self, seed):
        with self._cupy_device:
            return self.xp.random.default_rng(seed)

    def random_uniform(self, shape, low, high, dtype, rng=None):
        with self._cupy_device:
            return super().random_uniform(shape, low, high, dtype, rng)

    def random_normal(self, shape, mean, stddev, dtype, rng=None):
        with self._cupy_device:
            return super().random_normal(shape, mean, stddev, dtype, rng)


class CupyRuntime:
    """CuPy's streams, events and pinned memory as ``upload.PinnedUploader`` uses them."""

    def __init__(self, cupy_device) -> None:
        import cupy
        import cupyx

        self._cupy, self._cupyx, self._device = cupy, cupyx, cupy_device

    def context(self):
        return self._device

    def Stream(self):  # noqa: N802 (cupy's name)
        return self._cupy.cuda.Stream(non_blocking=True)

    def Event(self):  # noqa: N802 (cupy's name)
        return self._cupy.cuda.Event(block=False, disable_timing=True)

    def current_stream(self):
        return self._cupy.cuda.get_current_stream()

    def empty_pinned(self, nbytes: int) -> np.ndarray:
        return self._cupyx.empty_pinned((nbytes,), dtype=np.uint8)

    def empty(self, shape, dtype):
        return self._cupy.empty(shape, dtype=dtype)

    def copy_async(self, dst, src, stream) -> None:
        dst.set(src, stream=stream)

    def asarray(self, array):
        return self._cupy.asarray(array)

    def wait_on_compute_stream(self, event) -> None:
        with self._device:
            self._cupy.cuda.get_current_stream().wait_event(event)
