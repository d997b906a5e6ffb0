"""device.upload_async: the pinned-buffer ring never overwrites a buffer a copy may still
read; the cuda-emu stand-ins defer copies so that a wrong order shows as wrong values."""

from __future__ import annotations

import numpy as np
import pytest

from gpuflow.backend import get_device
from gpuflow.backend.upload import EmuRuntime, PinnedUploader, Upload


class FakeEvent:
    """An event that completes only when the test says so (or the host synchronizes)."""

    count = 0

    def __init__(self, log) -> None:
        FakeEvent.count += 1
        self.name = f"e{FakeEvent.count}"
        self.log = log
        self.done = False

    def record(self, stream) -> None:
        self.log.append(("record", self.name, stream))

    def synchronize(self) -> None:
        self.log.append(("sync", self.name))
        self.done = True


class FakeStream:
    def __init__(self, log, name) -> None:
        self.log, self.name = log, name

    def wait_event(self, event) -> None:
        self.log.append(("stream_wait", self.name, event.name))


class FakeRuntime:
    """Logs every step of an upload; copies are never run (the test checks the order)."""

    def __init__(self) -> None:
        import contextlib

        self.log: list = []
        self.events: list[FakeEvent] = []
        self.buffers: list[np.ndarray] = []
        self._compute = FakeStream(self.log, "compute")
        self.context = contextlib.nullcontext

    def Stream(self):  # noqa: N802
        return FakeStream(self.log, "copy")

    def Event(self):  # noqa: N802
        event = FakeEvent(self.log)
        self.events.append(event)
        return event

    def current_stream(self):
        return self._compute

    def empty_pinned(self, nbytes):
        buffer = np.zeros(nbytes, np.uint8)
        self.buffers.append(buffer)
        return buffer

    def empty(self, shape, dtype):
        return np.zeros(shape, dtype)

    def copy_async(self, dst, src, stream):
        # which staging buffer the copy reads, and what it holds when the copy is issued
        index = next(i for i, b in enumerate(self.buffers) if np.shares_memory(b, src))
        self.log.append(("copy", index, src.copy()))

    def asarray(self, array):
        return np.asarray(array)

    def wait_on_compute_stream(self, event):
        self.log.append(("compute_wait", event.name))


def _writes(log):
    """The staging buffer each copy read, in order."""
    return [entry[1] for entry in log if entry[0] == "copy"]


def test_ring_reuses_a_buffer_only_after_its_copy_completed():
    rt = FakeRuntime()
    up = PinnedUploader(rt, slots=2)
    first = up.upload([np.full(4, 1.0, np.float32)])
    up.upload([np.full(4, 2.0, np.float32)])
    assert _writes(rt.log) == [0, 1] and len(rt.buffers) == 2
    assert up.in_flight() == 2
    copy_event_of_first = first._event
    assert not copy_event_of_first.done
    mark = len(rt.log)
    up.upload([np.full(4, 3.0, np.float32)])  # the ring wraps to buffer 0, still in flight
    tail = rt.log[mark:]
    sync_at = tail.index(("sync", copy_event_of_first.name))
    copy_at = next(i for i, e in enumerate(tail) if e[0] == "copy")
    assert sync_at < copy_at and tail[copy_at][1] == 0  # synchronized before overwritten
    np.testing.assert_array_equal(tail[copy_at][2], np.full(4, 3.0, np.float32))
    assert up.reuse_waits == 1 and len(rt.buffers) == 2  # no third buffer


def test_a_completed_copy_frees_its_buffer_without_a_host_sync():
    rt = FakeRuntime()
    up = PinnedUploader(rt, slots=2)
    for i in range(6):
        handle = up.upload([np.full(3, float(i))])
        handle._event.done = True  # the GPU finished the copy meanwhile
    assert not any(e[0] == "sync" for e in rt.log)
    assert up.reuse_waits == 0 and len(rt.buffers) == 2 and up.in_flight() == 0
    assert _writes(rt.log) == [0, 1, 0, 1, 0, 1]


def test_leaves_of_one_batch_in_one_bucket_do_not_share_a_buffer_in_flight():
    rt = FakeRuntime()
    up = PinnedUploader(rt, slots=2)
    leaves = [np.full(5, float(i), np.float32) for i in range(3)]  # 20 bytes: one bucket
    handle = up.upload(leaves)
    assert _writes(rt.log) == [0, 1, 0]
    syncs = [e for e in rt.log if e[0] == "sync"]
    assert syncs == [("sync", rt.events[1].name)]  # the first leaf's copy, before the third
    # the handle waits on the last copy's event: stream order covers the earlier ones
    handle.wait()
    assert rt.log[-1] == ("compute_wait", rt.events[-1].name)
    # and the copy stream first waited for the compute work queued before the upload
    assert rt.log[1][0] == "stream_wait" and rt.log[1][1] == "copy"


def test_size_buckets_are_bounded_and_an_evicted_buffer_is_settled_first():
    rt = FakeRuntime()
    up = PinnedUploader(rt, slots=2, max_buckets=2)
    handles = [up.upload([np.zeros(n, np.uint8)]) for n in (3, 30, 300)]  # buckets 4, 32, 512
    assert up.buffers() == 2  # bucket 4 was dropped...
    assert ("sync", handles[0]._event.name) in rt.log  # ...after its copy completed


def _emu_upload_rounds(up, rounds=12, leaves=2):
    rng = np.random.default_rng(0)
    sources, handles = [], []
    for _ in range(rounds):  # nothing is waited on: every copy stays deferred until needed
        batch = [rng.standard_normal((4, 3)).astype(np.float32) for _ in range(leaves)]
        sources.append([b.copy() for b in batch])
        handles.append(up.upload(batch))
        for b in batch:
            b[...] = np.nan  # the caller's arrays may change once upload() returned
    return sources, [h.wait() for h in handles]


def test_emu_copies_run_late_and_still_deliver_every_batch_exactly():
    up = PinnedUploader(EmuRuntime(), slots=3)
    sources, results = _emu_upload_rounds(up)
    for src, got in zip(sources, results):
        for a, b in zip(src, got):
            np.testing.assert_array_equal(a, b)
    assert up.reuse_waits > 0  # the ring wrapped while copies were pending
    assert up.in_flight() == 0 and up.buffers() == 3


def test_emu_shows_a_buffer_overwritten_in_flight(monkeypatch):
    """The check above is not vacuous: without the settle before reuse, values go wrong."""
    monkeypatch.setattr(PinnedUploader, "_settle", lambda self, slot: None)
    up = PinnedUploader(EmuRuntime(), slots=3)
    sources, results = _emu_upload_rounds(up)
    wrong = sum(
        not np.array_equal(a, b) for src, got in zip(sources, results) for a, b in zip(src, got)
    )
    assert wrong > 0


def test_emu_device_array_holds_the_data_only_after_wait(emu):
    device = get_device(emu)
    assert device.async_uploads
    host = np.arange(12, dtype=np.float32).reshape(3, 4)
    handle = device.upload_async([host, np.array([1, 2, 3])])
    assert handle.pending and device._uploader.in_flight() == 2  # deferred on the copy stream
    x, y = handle.wait()
    assert not handle.pending and device._uploader.in_flight() == 0
    np.testing.assert_array_equal(x, host)
    assert x.dtype == np.float32 and y.dtype == np.array([1]).dtype
    with pytest.raises(RuntimeError, match="called already"):
        handle.wait()


def test_cpu_upload_is_a_plain_conversion():
    device = get_device("cpu")
    assert not device.async_uploads
    handle = device.upload_async([np.ones(3), [1, 2]])
    assert isinstance(handle, Upload) and handle.pending
    a, b = handle.wait()
    assert isinstance(a, np.ndarray) and a.tolist() == [1.0, 1.0, 1.0] and b.tolist() == [1, 2]
