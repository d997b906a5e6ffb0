"""The adapter for ``keras.utils.PyDataset`` (Keras 3's ``PyDatasetAdapter``).

With ``workers > 1`` (or ``use_multiprocessing``) an ordered enqueuer prepares up to
``max_queue_size`` batches ahead on a thread (or forked process) pool, which ends with the
pass, when the pass stops early, or when the pass's iterator is garbage collected.
"""

from __future__ import annotations

import collections
import itertools
import multiprocessing
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

from ...random import host_rng
from ...utils.py_dataset import PyDataset
from .data_adapter import DataAdapter
from .data_adapter_utils import apply_class_weight, standardize_batch

_WORKER_DATASET = None  # the PyDataset in a forked worker process


def _init_worker(dataset) -> None:
    global _WORKER_DATASET
    _WORKER_DATASET = dataset


def _get_in_worker(index: int):
    return _WORKER_DATASET[index]


class PyDatasetAdapter(DataAdapter):
    """Iterates a PyDataset by index; ``shuffle`` shuffles the batch order per epoch.

    Args:
        x: the PyDataset.
        class_weight: ``{class: weight}``, turned into each batch's sample weights.
        shuffle: shuffle the batch order each epoch (a finite PyDataset only).
    """

    def __init__(self, x: PyDataset, class_weight=None, shuffle: bool = False) -> None:
        if not isinstance(x, PyDataset):
            raise ValueError(f"Expected a keras.utils.PyDataset, received {type(x).__name__}")
        self.py_dataset = x
        self.class_weight = class_weight
        self.shuffle = bool(shuffle)
        self._workers = int(x.workers or 0)
        self._processes = bool(x.use_multiprocessing) and self._workers > 0
        self._queue_size = max(1, int(x.max_queue_size or 1))

    def _indices(self):
        count = self.py_dataset.num_batches
        if count is None:
            return itertools.count()
        indices = list(range(count))
        if self.shuffle:
            host_rng().shuffle(indices)
        return indices

    def get_iterator(self):
        indices = self._indices()
        if self._workers > 1 or self._processes:
            batches = self._enqueued(indices)
        else:
            batches = (self.py_dataset[i] for i in indices)
        try:
            for batch in batches:
                batch = standardize_batch(batch, "PyDataset.__getitem__()")
                if self.class_weight is not None:
                    batch = apply_class_weight(batch, self.class_weight, "the PyDataset")
                yield batch
        finally:  # a pass stopped early shuts its worker pool down now
            batches.close()

    def _enqueued(self, indices):
        """``__getitem__`` results in index order, ``max_queue_size`` requested ahead."""
        if self._processes:
            # A fresh fork per pass, so that workers see what on_epoch_end changed.
            pool = ProcessPoolExecutor(
                self._workers,
                mp_context=multiprocessing.get_context("fork"),
                initializer=_init_worker,
                initargs=(self.py_dataset,),
            )
            get = _get_in_worker
        else:
            pool = ThreadPoolExecutor(self._workers, thread_name_prefix="gpuflow.py_dataset")
            get = self.py_dataset.__getitem__
        pending: collections.deque = collections.deque()
        try:
            for index in indices:
                pending.append(pool.submit(get, index))
                if len(pending) >= self._queue_size:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()
            pool.shutdown(wait=True, cancel_futures=True)

    @property
    def num_batches(self) -> int | None:
        return self.py_dataset.num_batches

    @property
    def is_infinite(self) -> bool:
        return self.py_dataset.num_batches is None

    @property
    def batch_size(self) -> None:
        return None

    @property
    def has_partial_batch(self) -> None:
        return None

    @property
    def partial_batch_size(self) -> None:
        return None

    def on_epoch_begin(self) -> None:
        self.py_dataset.on_epoch_begin()

    def on_epoch_end(self) -> None:
        self.py_dataset.on_epoch_end()
