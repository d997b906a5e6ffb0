"""EpochIterator: one epoch's batches from any DataAdapter, on the model's device.

Separation of concerns, as in Keras: the DataAdapter knows the data (arrays, datasets,
generators), shuffling, sample and class weights; the EpochIterator knows steps (an epoch
of ``steps_per_epoch`` batches may stop early or continue the previous epoch's
iterator) and device placement; the Trainer knows epochs, validation and callbacks.
"""

from __future__ import annotations

import warnings

import numpy as np

from .. import dtypes, nest
from ..ragged import RaggedTensor
from ..sparse import SparseTensor
from ..tensor import Tensor
from . import data_adapters, distribution, limits
from .data_adapters.array_data_adapter import (
    ArrayDataAdapter,
    ragged_on_device,
    sparse_on_device,
)


class EpochIterator:
    """Yields ``(step, batch)`` pairs for one epoch each time it is iterated.

    Args:
        x, y, sample_weight, batch_size, shuffle, class_weight: as ``fit``'s arguments
            (``x`` may also be a DataAdapter).
        steps_per_epoch: batches per epoch; None means until the data ends. When set
            and smaller than the data, the next epoch continues where this one stopped,
            as Keras does.
        device: the device batches are moved to (their leaves become Tensors there).
        x_dtype: the compute dtype float inputs are cast to.
        op: the calling method's name, for error messages.
        strategy: a distribution strategy: each worker then gets its rows of every global
            batch of arrays (datasets are sharded before, by the Trainer).
    """

    def __init__(
        self,
        x,
        y=None,
        sample_weight=None,
        batch_size=None,
        steps_per_epoch=None,
        shuffle=False,
        class_weight=None,
        device=None,
        x_dtype=None,
        op="fit",
        strategy=None,
    ) -> None:
        if steps_per_epoch is not None and (
            isinstance(steps_per_epoch, bool)
            or not isinstance(steps_per_epoch, (int, np.integer))
            or steps_per_epoch < 1
        ):
            raise ValueError(
                f"{op}: steps_per_epoch must be a positive int or None, received "
                f"{steps_per_epoch!r}"
            )
        steps_per_epoch = limits.capped_steps(steps_per_epoch)
        self.steps_per_epoch = None if steps_per_epoch is None else int(steps_per_epoch)
        self.device = device
        self.x_dtype = None if x_dtype is None else np.dtype(x_dtype)
        self.data_adapter = data_adapters.get_data_adapter(
            x,
            y,
            sample_weight=sample_weight,
            batch_size=batch_size,
            steps_per_epoch=steps_per_epoch,
            shuffle=shuffle,
            class_weight=class_weight,
            device=device,
            x_dtype=x_dtype,
            op=op,
        )
        if not isinstance(self.data_adapter, ArrayDataAdapter):
            # as Keras 3: arrays are cast to the float type once; a tf.data.Dataset's,
            # a generator's or a PyDataset's batches reach train_step as they come (a
            # float64 dataset stays float64: the layers cast what they compute on)
            self.x_dtype = None
        if self.steps_per_epoch is None and self.data_adapter.is_infinite:
            name = {"fit": "steps_per_epoch", "fit(validation_data)": "validation_steps"}.get(
                op, "steps"
            )
            raise ValueError(
                f"{op}: the data is infinite (a repeated Dataset, or a PyDataset "
                f"whose num_batches is None) and no step count was given: pass "
                f"{name}=... to say when an epoch ends"
            )
        self._iterator = None
        self._left = None  # batches left in the kept iterator (finite adapters)
        self._held = None  # a batch read ahead that an early stop left unused
        self._produced = 0  # batches given in this epoch
        split = (
            strategy is not None
            and strategy._comm.size > 1
            and isinstance(self.data_adapter, data_adapters.ArrayDataAdapter)
        )
        self._strategy = strategy if split else None

    @property
    def num_batches(self):
        """Steps per epoch: ``steps_per_epoch`` if given, else the adapter's (None if unknown)."""
        return self.steps_per_epoch or self.data_adapter.num_batches

    def reset(self) -> None:
        """Forget a partly consumed iterator (the next epoch starts from the data's start)
        and, as Keras 3's ``EpochIterator.reset`` (at the start of ``fit`` and of each
        evaluation), call the adapter's ``on_epoch_end``: a PyDataset's runs once more
        than there are epochs."""
        self.close()
        self.data_adapter.on_epoch_end()

    def close(self) -> None:
        """End the kept pass now: a Dataset's prefetch thread and map pool, a PyDataset's
        workers stop here rather than whenever the iterator is garbage collected."""
        iterator, self._iterator = self._iterator, None
        self._held = None
        close = getattr(iterator, "close", None)
        if close is not None:
            close()

    def __iter__(self):
        adapter = self.data_adapter
        adapter.on_epoch_begin()
        steps = self.steps_per_epoch
        self._produced = 0
        convert = self.device is not None and not adapter.batches_on_device
        if steps is None or self._iterator is None:
            self.close()  # a pass left unfinished (an early stop) ends before the next starts
            self._iterator, self._left = iter(adapter.get_iterator()), adapter.num_batches
        if convert and prefetches_to_device(self.device):
            yield from self._lookahead(steps)
        else:
            step = 0
            while steps is None or step < steps:
                batch = self._next_batch(steps)
                if batch is _END:
                    break
                yield step, to_device(batch, self.device, self.x_dtype) if convert else batch
                step += 1
        if self._left == 0:  # the data is used up: the next epoch starts it again
            self.close()
        adapter.on_epoch_end()

    def _next_batch(self, steps):
        """The kept iterator's next batch (this worker's rows of it), or ``_END``."""
        if self._held is not None:  # read ahead by an epoch that stopped early
            batch, self._held = self._held, None
            return batch
        try:
            batch = next(self._iterator)
        except StopIteration:
            self._iterator = None
            if steps is not None or self._produced == 0:  # none at all: Keras warns too
                warnings.warn(
                    "Your input ran out of data; interrupting training. Make sure "
                    "that your dataset or generator can generate at least "
                    "`steps_per_epoch * epochs` batches. You may need to use "
                    "the `.repeat()` function when building your dataset.",
                    stacklevel=3,
                )
            return _END
        if self._left is not None:
            self._left -= 1
        self._produced += 1
        if self._strategy is not None:
            batch = distribution.local_batch(self._strategy, batch)
        return batch

    def _lookahead(self, steps):
        """The batches of one epoch, batch k+1's upload started before batch k is yielded
        (its copy then overlaps step k); the same batches, steps and order as without. An
        error reading or uploading batch k+1 is raised after step k, where it was before."""
        ahead = None
        step = 0
        try:
            batch = self._next_batch(steps)
            if batch is not _END:
                ahead = _StagedBatch(batch, self.device, self.x_dtype)
            while ahead is not None:
                current, ahead, error = ahead, None, None
                if steps is None or step + 1 < steps:
                    try:
                        batch = self._next_batch(steps)
                        if batch is not _END:
                            ahead = _StagedBatch(batch, self.device, self.x_dtype)
                    except Exception as exc:  # noqa: BLE001 (raised below, after step k)
                        error = exc
                yield step, current.finish()
                step += 1
                if error is not None:
                    raise error
        finally:
            if ahead is not None:  # stopped early: release the upload, keep the batch
                ahead.release()
                if self._iterator is not None:
                    self._held = ahead.batch


PREFETCH_TO_DEVICE = True
"""Whether batches are uploaded one step ahead where the device overlaps uploads; the one
switch (tests and ``benchmarks/bench_prefetch.py`` compare with it off)."""
_END = object()


def prefetches_to_device(device) -> bool:
    """Whether the epoch iterator uploads batch k+1 while step k runs: on devices whose
    ``upload_async`` overlaps the copy with the step (``cuda``; ``cuda-emu`` runs the same
    code on the CPU), unless :data:`PREFETCH_TO_DEVICE` is off."""
    return PREFETCH_TO_DEVICE and device.async_uploads


class _StagedBatch:
    """A host batch whose array leaves are being uploaded (one ``upload_async`` call)."""

    def __init__(self, batch, device, x_dtype) -> None:
        self.batch, self._device, self._x_dtype = batch, device, x_dtype
        x, y, sw = data_adapters.unpack_x_y_sample_weight(batch)
        hosts = []

        def mark(value):
            if value is None or isinstance(value, (Tensor, SparseTensor, RaggedTensor)):
                return value  # moved by _leaf when the batch is finished
            if np.asarray(value).dtype.kind == "O":
                return Tensor(value)  # tf.string: stays on the host, never uploaded
            hosts.append(np.asarray(value))
            return _Pending(len(hosts) - 1)

        self._parts = tuple(nest.map_structure(mark, part) for part in (x, y, sw))
        self._upload = device.upload_async(hosts)

    def finish(self):
        """The batch as :func:`to_device` makes it, from the uploaded arrays."""
        arrays = self._upload.wait()
        device = self._device

        def leaf(value, dtype):
            if isinstance(value, _Pending):
                value = Tensor._wrap(arrays[value.index], device)
            return _leaf(value, device, dtype)

        x, y, sw = self._parts
        x = nest.map_structure(lambda a: leaf(a, self._x_dtype), x)
        y, sw = (nest.map_structure(lambda a: leaf(a, None), part) for part in (y, sw))
        return data_adapters.pack_x_y_sample_weight(x, y, sw)

    def release(self) -> None:
        """Drops a batch that will not be used: the compute stream waits for its copy (no
        host sync), so its device memory returns to the pool only after the copy ends."""
        if self._upload.pending:
            self._upload.wait()


class _Pending:
    __slots__ = ("index",)

    def __init__(self, index: int) -> None:
        self.index = index


def to_device(batch, device, x_dtype=None):
    """A ``(x, y, sample_weight)`` batch with every leaf a Tensor on ``device`` (float
    inputs cast to ``x_dtype``); leaves already there are kept, not copied."""
    x, y, sw = data_adapters.unpack_x_y_sample_weight(batch)
    x = nest.map_structure(lambda a: _leaf(a, device, x_dtype), x)
    y, sw = (nest.map_structure(lambda a: _leaf(a, device, None), part) for part in (y, sw))
    return data_adapters.pack_x_y_sample_weight(x, y, sw)


def structure_to_device(structure, device, dtype=None):
    """Every leaf of ``structure`` as a Tensor on ``device`` (see :func:`to_device`)."""
    return nest.map_structure(lambda a: _leaf(a, device, dtype), structure)


def _leaf(value, device, dtype):
    if value is None:
        return None
    if isinstance(value, SparseTensor):
        return sparse_on_device(value, device, dtype)
    if isinstance(value, RaggedTensor):
        return ragged_on_device(value, device, dtype)
    if isinstance(value, Tensor):
        if value._data.dtype.kind == "O":  # tf.string stays on the host
            return value
        if value._device is not device:
            value = Tensor._wrap(device.asarray(value.numpy()), device)
        data = value._data
    else:
        host = np.asarray(value)
        if host.dtype.kind == "O":
            return Tensor(host)  # tf.string stays on the host
        data = device.asarray(host)
    if dtype is not None and data.dtype != dtype and dtypes.kind(data.dtype) == "f":
        data = data.astype(dtype)
    if isinstance(value, Tensor) and data is value._data:
        return value
    return Tensor._wrap(data, device)
