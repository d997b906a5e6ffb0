"""DataAdapter: the one interface the Trainer's loops read batches through.

Arrays, ``gpuflow.data.Dataset``, ``PyDataset`` and Python generators each get an
adapter; the :class:`~gpuflow.trainers.epoch_iterator.EpochIterator` turns any of them
into one iterator of batches for an epoch.
"""

from __future__ import annotations


class DataAdapter:
    """Base class of data adapters (the interface of ``keras.src.trainers.data_adapters``).

    A subclass implements :meth:`get_iterator` and the four size properties; the epoch
    hooks are optional.
    """

    def get_iterator(self):
        """A fresh iterator over one epoch's batches.

        Each batch is ``x``, ``(x,)``, ``(x, y)`` or ``(x, y, sample_weight)``, where each
        part is an array or a list/tuple/dict of arrays; the leaves are NumPy arrays (the
        epoch iterator moves them to the model's device) or gpuflow Tensors already on it.
        A finite adapter's iterator ends after :attr:`num_batches` batches; an infinite one
        never ends (the loop then needs ``steps_per_epoch``).
        """
        raise NotImplementedError(f"{type(self).__name__} must implement get_iterator()")

    @property
    def num_batches(self):
        """Batches per epoch, or None when unknown (a generator, a repeated dataset)."""
        raise NotImplementedError(f"{type(self).__name__} must implement num_batches")

    @property
    def batch_size(self):
        """The batch size, or None when unknown."""
        raise NotImplementedError(f"{type(self).__name__} must implement batch_size")

    @property
    def has_partial_batch(self):
        """Whether the last batch is smaller than :attr:`batch_size` (None when unknown)."""
        raise NotImplementedError(f"{type(self).__name__} must implement has_partial_batch")

    @property
    def partial_batch_size(self):
        """The size of the last, partial batch, or None."""
        raise NotImplementedError(f"{type(self).__name__} must implement partial_batch_size")

    @property
    def is_infinite(self) -> bool:
        """Whether the data never ends (a repeated dataset, an endless PyDataset): the loops
        then require a step count instead of running forever. Default False."""
        return False

    @property
    def batches_on_device(self) -> bool:
        """Whether every batch's leaves are already Tensors on the model's device with the
        input dtype (the epoch iterator then passes them on untouched). Default False."""
        return False

    def on_epoch_begin(self):
        """Called before each epoch's first batch."""

    def on_epoch_end(self):
        """Called after each epoch (PyDataset shuffles or refreshes here)."""
