"""Asynchronous host-to-device copies: ``device.upload_async(host_arrays)`` and its handle.

``Device.upload_async(arrays)`` starts copying a list of host arrays to the device and
returns an :class:`Upload` at once; ``upload.wait()`` returns the device arrays (in the
order given), ready for the ops queued after it. On the CPU the copy is a plain
conversion, done before ``upload_async`` returns.

On ``cuda`` (:class:`PinnedUploader` over CuPy): each array is copied on the host into a
page-locked (pinned) staging buffer, then to a new device array on a dedicated
non-blocking copy stream, and an event is recorded on that stream after it. ``wait()``
makes the current (compute) stream wait on the event (``stream.wait_event``): no host
synchronization, so the copy overlaps whatever the compute stream runs meanwhile.
Staging buffers are reused: a ring of :data:`RING_SLOTS` per byte-size bucket (sizes
rounded up to a power of two, at most :data:`MAX_BUCKETS` buckets), and a buffer is
written again only once the event of the last copy from it has completed (the host
synchronizes on that event when it has not). The copy stream first waits for the work
already queued on the compute stream, so a device array the memory pool hands to the copy
is no longer read by an earlier kernel.

On ``cuda-emu`` the same :class:`PinnedUploader` runs over :class:`EmuRuntime`: NumPy
stand-ins for pinned buffers, streams and events in which the copy stream *defers* its
copies until an event after them is synchronized or waited on. A staging buffer
overwritten too early, or a device array read before ``wait()``, then shows up as wrong
values on the CPU, so the double buffering is tested without a GPU.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

RING_SLOTS = 3
"""Staging buffers per size bucket: the batch being copied, the one being consumed, a spare."""
MAX_BUCKETS = 8
"""Size buckets kept (least recently used dropped first): bounds the pinned memory held."""
_STAGED_KINDS = frozenset("biufc")  # dtypes copied through a staging buffer (others: asarray)


class Upload:
    """The handle of one :meth:`Device.upload_async` call."""

    def __init__(self, arrays, event=None, runtime=None) -> None:
        self._arrays = list(arrays)
        self._event = event
        self._runtime = runtime

    @property
    def pending(self) -> bool:
        """Whether :meth:`wait` has not been called yet."""
        return self._arrays is not None

    def wait(self) -> list:
        """The device arrays; ops queued from now on see their contents (no host sync).

        Call it once; a second call raises. Calling it and dropping the result is how an
        upload that will not be used is released: its device memory then goes back to the
        pool only after the copy into it (in stream order).
        """
        if self._arrays is None:
            raise RuntimeError("Upload.wait() was called already")
        if self._event is not None:
            self._runtime.wait_on_compute_stream(self._event)
            self._event = None
        arrays, self._arrays = self._arrays, None
        return arrays


class _Slot:
    __slots__ = ("buffer", "event")

    def __init__(self, buffer) -> None:
        self.buffer = buffer  # a 1-D uint8 host array (pinned on cuda)
        self.event = None  # the event recorded after the last copy from ``buffer``


def _bucket(nbytes: int) -> int:
    return 1 << max(int(nbytes) - 1, 0).bit_length()


class PinnedUploader:
    """Copies host arrays to a device through reused pinned buffers on a copy stream.

    ``runtime`` is the device's stand-in for CuPy's pieces (see :class:`EmuRuntime` and
    ``cuda.CupyRuntime``): ``empty_pinned(nbytes)``, ``Stream()``, ``Event()``,
    ``current_stream()``, ``empty(shape, dtype)``, ``copy_async(dst, src, stream)``,
    ``asarray(array)``, ``wait_on_compute_stream(event)`` and ``context()``.
    """

    def __init__(self, runtime, slots: int = RING_SLOTS, max_buckets: int = MAX_BUCKETS) -> None:
        self.runtime = runtime
        self.slots = slots
        self.max_buckets = max_buckets
        self._stream = None
        self._rings: OrderedDict[int, list] = OrderedDict()  # bucket -> [slots, next index]
        self._lock = threading.Lock()
        self.reuse_waits = 0  # host synchronizations before overwriting a staging buffer

    def upload(self, arrays) -> Upload:
        """Starts copying ``arrays`` (host arrays); see :meth:`Device.upload_async`."""
        rt = self.runtime
        with self._lock, rt.context():
            if self._stream is None:
                self._stream = rt.Stream()
            stream = self._stream
            # the copy comes after the compute work queued so far (memory the pool hands
            # out below may have been read by it), and overlaps what is queued from now on
            queued = rt.Event()
            queued.record(rt.current_stream())
            stream.wait_event(queued)
            out, last = [], None
            for array in arrays:
                host = np.asarray(array)
                if host.dtype.kind not in _STAGED_KINDS or host.size == 0:
                    out.append(rt.asarray(host))
                    continue
                slot = self._take_slot(host.nbytes)
                staged = slot.buffer[: host.nbytes].view(host.dtype).reshape(host.shape)
                np.copyto(staged, host)
                device_array = rt.empty(host.shape, host.dtype)
                rt.copy_async(device_array, staged, stream)
                last = slot.event = rt.Event()
                last.record(stream)
                out.append(device_array)
            return Upload(out, last, rt)

    def _take_slot(self, nbytes: int) -> _Slot:
        size = _bucket(nbytes)
        ring = self._rings.get(size)
        if ring is None:
            while len(self._rings) >= self.max_buckets:
                _, (old, _) = self._rings.popitem(last=False)
                for slot in old:  # no copy may still read a buffer that is let go
                    self._settle(slot)
            ring = self._rings[size] = [[], 0]
        else:
            self._rings.move_to_end(size)
        slots, index = ring
        ring[1] = (index + 1) % self.slots
        if index == len(slots):
            slots.append(_Slot(self.runtime.empty_pinned(size)))
        slot = slots[index]
        self._settle(slot)
        return slot

    def _settle(self, slot: _Slot) -> None:
        """Wait (on the host) until no copy reads ``slot``'s buffer any more."""
        if slot.event is not None:
            if not slot.event.done:
                self.reuse_waits += 1
                slot.event.synchronize()
            slot.event = None

    def in_flight(self) -> int:
        """Staging buffers whose last copy has not completed yet (0: nothing pending)."""
        with self._lock:
            return sum(
                1
                for slots, _ in self._rings.values()
                for slot in slots
                if slot.event is not None and not slot.event.done
            )

    def buffers(self) -> int:
        """Staging buffers held, all buckets together."""
        with self._lock:
            return sum(len(slots) for slots, _ in self._rings.values())


# -- cuda-emu: the stand-ins -----------------------------------------------------------------
class EmuStream:
    """A CUDA stream on the CPU. The compute stream (``deferred=False``) runs its work as
    it is issued, as NumPy does; a copy stream (``deferred=True``) queues it and runs it,
    in order, only when an event after it is synchronized or waited on."""

    def __init__(self, deferred: bool = True) -> None:
        self.deferred = deferred
        self._queue: list = []  # callables not run yet
        self.issued = 0  # operations issued so far
        self.completed = 0  # operations run so far

    def enqueue(self, fn) -> None:
        self.issued += 1
        if self.deferred:
            self._queue.append(fn)
        else:
            fn()
            self.completed += 1

    def run_until(self, position: int) -> None:
        while self.completed < position:
            self._queue.pop(0)()
            self.completed += 1

    def wait_event(self, event) -> None:
        """Work issued on this stream from now on starts after ``event``'s."""
        if event.done:
            return
        self.enqueue(event.synchronize)

    def synchronize(self) -> None:
        self.run_until(self.issued)


class EmuEvent:
    """A CUDA event on the CPU: done once its stream ran what was issued before it."""

    def __init__(self) -> None:
        self._stream = None
        self._position = 0

    def record(self, stream) -> None:
        self._stream, self._position = stream, stream.issued

    @property
    def done(self) -> bool:
        return self._stream is None or self._stream.completed >= self._position

    def synchronize(self) -> None:
        if self._stream is not None:
            self._stream.run_until(self._position)


class EmuRuntime:
    """CuPy's pieces as :class:`PinnedUploader` uses them, on NumPy (``cuda-emu``)."""

    def __init__(self) -> None:
        self._compute = EmuStream(deferred=False)

    def context(self):
        import contextlib

        return contextlib.nullcontext()

    def Stream(self) -> EmuStream:  # noqa: N802 (named as cupy.cuda.Stream)
        return EmuStream(deferred=True)

    def Event(self) -> EmuEvent:  # noqa: N802 (named as cupy.cuda.Event)
        return EmuEvent()

    def current_stream(self) -> EmuStream:
        return self._compute

    def empty_pinned(self, nbytes: int) -> np.ndarray:
        return np.empty(nbytes, dtype=np.uint8)

    def empty(self, shape, dtype) -> np.ndarray:
        return np.empty(shape, dtype=dtype)

    def copy_async(self, dst, src, stream) -> None:
        stream.enqueue(lambda: np.copyto(dst, src))

    def asarray(self, array) -> np.ndarray:
        return np.asarray(array)

    def wait_on_compute_stream(self, event) -> None:
        # NumPy computes on the host as soon as an op is called: the compute stream's wait
        # for the copy is the host's
        self._compute.wait_event(event)
