"""``Dataset.prefetch``: a background thread prepares elements while the consumer works.

The thread ends when the pass ends, when the consumer stops early (the iterator is closed
or garbage collected), or when the pipeline raises (the error reaches the consumer).
"""

from __future__ import annotations

import queue
import threading

from .arguments import as_int
from .dataset import Dataset
from .transformations import AUTOTUNE

_ITEM, _END, _ERROR = 0, 1, 2
#: elements kept ready for ``AUTOTUNE`` (gpuflow does not retune the depth while running)
AUTOTUNE_DEPTH = 4
_POLL_S = 0.05  # how often a producer blocked on a full queue checks for a stop


def _put(q: queue.Queue, item, stop: threading.Event) -> bool:
    """Put ``item`` unless the consumer stopped first; whether it was put."""
    while not stop.is_set():
        try:
            q.put(item, timeout=_POLL_S)
            return True
        except queue.Full:
            continue
    return False


def _produce(upstream, q: queue.Queue, stop: threading.Event) -> None:
    try:
        for element in upstream:
            if not _put(q, (_ITEM, element), stop):
                return
        _put(q, (_END, None), stop)
    except BaseException as exc:  # noqa: BLE001 (handed to the consumer, raised there)
        _put(q, (_ERROR, exc), stop)
    finally:
        upstream.close()  # stops an inner prefetch or map pool in this thread, now


class PrefetchDataset(Dataset):
    """The input's elements, ``buffer_size`` of them prepared ahead on a background thread."""

    def __init__(self, dataset, buffer_size) -> None:
        super().__init__((dataset,))
        if buffer_size == AUTOTUNE or buffer_size is None:
            buffer_size = AUTOTUNE_DEPTH
        self._depth = as_int(buffer_size, "Dataset.prefetch", "buffer_size", minimum=0)

    def _compute_spec(self):
        return self._inputs[0].element_spec

    def _cardinality(self) -> int:
        return self._inputs[0]._cardinality()

    def _elements(self, ctx):
        upstream = iter(self._inputs[0]._elements(ctx))
        if self._depth == 0 or self._inputs[0]._works_ahead_without_thread():
            yield from upstream
            return
        q: queue.Queue = queue.Queue(maxsize=self._depth)
        stop = threading.Event()
        thread = threading.Thread(
            target=_produce, args=(upstream, q, stop), daemon=True, name="gpuflow.data.prefetch"
        )
        del upstream  # the thread owns it now
        thread.start()
        try:
            while True:
                kind, value = q.get()
                if kind == _ITEM:
                    yield value
                elif kind == _END:
                    return
                else:
                    raise value
        finally:
            stop.set()
            if threading.current_thread() is not thread:
                thread.join()


def prefetch(self, buffer_size, name=None) -> Dataset:
    """Prepare up to ``buffer_size`` elements ahead on a background thread.

    Args:
        buffer_size: elements to keep ready; ``gpuflow.data.AUTOTUNE`` keeps
            ``AUTOTUNE_DEPTH`` (4); 0 turns prefetching off. Batches that are only gathered
            from arrays in memory (``from_tensor_slices`` or a filled ``cache``, then shuffle /
            take / skip / shard / repeat, then ``batch``) are made on the consumer's thread:
            such a short copy gains nothing from a thread hand-off; after a parallel ``map``,
            whose pool already works ahead, no second thread is added either.
        name: unused; accepted for TensorFlow's signature.
    """
    return PrefetchDataset(self, buffer_size)
