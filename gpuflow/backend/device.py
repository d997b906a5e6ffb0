"""The Device interface every op sees: an array module, transfers, RNG, kernels.

Ops never ask which device they are on; they use ``device.xp`` for array math and
``device.kernels`` (a :class:`~gpuflow.backend.kernel_set.KernelSet`, present on every
device) for GEMMs and the fused ops: dense, convolution, int8. A new device is a subclass
of :class:`Device` with its own ``KernelSet``, registered in ``gpuflow/backend/registry.py``.
"""

from __future__ import annotations

import contextlib
import threading

import numpy as np

from . import erf as erf_functions


class _Scratch(threading.local):
    def __init__(self) -> None:
        self.rngs: dict | None = None  # device -> throwaway generator inside scratch_rngs()


_scratch = _Scratch()


@contextlib.contextmanager
def scratch_rngs():
    """Random draws on this thread inside the block come from throwaway generators.

    Every device's own stream stays where it was, for every thread: a seeded run continues
    exactly as without the block. Other threads keep drawing from the devices' streams.
    """
    before = _scratch.rngs
    _scratch.rngs = {}
    try:
        yield
    finally:
        _scratch.rngs = before


class Device:
    """Base class of all devices.

    Attributes:
        name: canonical name, e.g. ``"cpu"``, ``"cuda:0"``, ``"cuda-emu"``.
        kind: ``"cpu"``, ``"cuda"`` or ``"cuda-emu"``.
        xp: the array module (``numpy`` or ``cupy``).
    """

    name: str = "?"
    kind: str = "?"
    xp = np

    def __init__(self) -> None:
        self._rng = None
        self._seed: int | None = None
        self._rng_lock = threading.Lock()

    # -- transfers ---------------------------------------------------------------
    def asarray(self, data, dtype=None):
        """An array of this device holding ``data`` (host or device array, list, scalar)."""
        return self.xp.asarray(data, dtype=dtype)

    def to_host(self, array) -> np.ndarray:
        """A NumPy array with the contents of ``array`` (an array of this device)."""
        return np.asarray(array)

    def owns(self, array) -> bool:
        """Whether ``array`` is an array this device computes on directly."""
        return isinstance(array, np.ndarray)

    def synchronize(self) -> None:
        """Wait for all queued work on this device (a no-op on the CPU)."""

    async_uploads: bool = False
    """Whether :meth:`upload_async` overlaps the copy with the ops queued after it (the
    epoch iterator then starts the next batch's upload before the current step runs)."""

    def upload_async(self, arrays):
        """Starts copying ``arrays`` (a list of host arrays) to this device; returns an
        :class:`~gpuflow.backend.upload.Upload` whose ``wait()`` gives the device arrays.

        Here (the CPU) a plain conversion, done at once; ``cuda`` and ``cuda-emu`` copy
        through pinned staging buffers on a copy stream (see ``upload.py``).
        """
        from .upload import Upload

        return Upload([self.asarray(a) for a in arrays])

    # -- math the CPU and GPU do differently --------------------------------------
    def matmul(self, a, b):
        """``a @ b`` with float16 accumulated in float32 (``self.kernels.matmul``)."""
        return self.kernels.matmul(a, b)

    def relu(self, x):
        """``max(x, 0)`` elementwise."""
        return self.xp.maximum(x, 0)

    def erf(self, x):
        """The error function, elementwise (NumPy has none: ``backend/erf.py``)."""
        return erf_functions.erf(x)

    def erfc(self, x):
        """``1 - erf(x)``, elementwise, computed without cancelling for large ``x``."""
        return erf_functions.erfc(x)

    def special(self, name: str, x):
        """A special function (``gammaln``, ``digamma``, ``polygamma1``, ``erfinv``,
        ``ndtri``, ``i0e``, ``i1e``) of ``x``, elementwise, in ``x``'s dtype."""
        from .special import FUNCTIONS

        out = FUNCTIONS[name](self.to_host(x))
        return self.asarray(out.astype(x.dtype, copy=False))

    @property
    def kernels(self):
        """This device's :class:`~gpuflow.backend.kernel_set.KernelSet` (every device has one)."""
        raise NotImplementedError(f"device {self.name!r} defines no kernel set")

    # -- random numbers ----------------------------------------------------------
    # The stream is owned by the device and shared by all threads (as TensorFlow's global
    # seed): ``reseed`` is a process-wide setting; only ``scratch_rngs`` is per thread.
    def reseed(self, seed: int | None) -> None:
        """Restart this device's random stream from ``seed`` (``None``: from entropy)."""
        with self._rng_lock:
            self._seed = seed
            self._rng = None

    def rng(self):
        """This device's random generator (NumPy ``Generator`` API subset)."""
        scratch = _scratch.rngs
        if scratch is not None:
            rng = scratch.get(self)
            if rng is None:
                rng = scratch[self] = self._make_rng(None)
            return rng
        rng = self._rng
        if rng is None:
            with self._rng_lock:
                if self._rng is None:
                    self._rng = self._make_rng(self._seed)
                rng = self._rng
        return rng

    def _make_rng(self, seed):
        return np.random.default_rng(seed)

    def random_uniform(self, shape, low, high, dtype, rng=None):
        """Uniform samples on ``[low, high)``; from ``rng`` when given, else :meth:`rng`."""
        rng = self.rng() if rng is None else rng
        values = rng.random(tuple(shape), dtype=np.float64 if dtype == np.float64 else np.float32)
        return (values * (high - low) + low).astype(dtype, copy=False)

    def random_normal(self, shape, mean, stddev, dtype, rng=None):
        """Normal samples; from ``rng`` when given, else :meth:`rng`."""
        rng = self.rng() if rng is None else rng
        values = rng.standard_normal(
            tuple(shape), dtype=np.float64 if dtype == np.float64 else np.float32
        )
        return (values * stddev + mean).astype(dtype, copy=False)

    def __repr__(self) -> str:
        return f"<gpuflow device {self.name}>"

    def __str__(self) -> str:
        return self.name


class DeviceUnavailableError(RuntimeError):
    """A device asked for explicitly cannot run here; the message says why and how to fix."""


class DeviceMismatchError(ValueError):
    """An op received tensors that live on two different devices."""


def mismatch_error(op: str, first: Device, second: Device) -> DeviceMismatchError:
    """The error for an op whose inputs live on ``first`` and ``second``."""
    return DeviceMismatchError(
        f"{op}: inputs live on two devices, {first.name} and {second.name}; "
        f"move one with tensor.to({first.name!r})"
    )
