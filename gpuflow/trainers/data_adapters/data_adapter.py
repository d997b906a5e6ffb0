"""``DataAdapter``: one interface over every kind of input that fit / evaluate / predict take.

An adapter yields batches as tuples ``(x,)``, ``(x, y)`` or ``(x, y, sample_weight)`` of
NumPy arrays (``x`` and ``y`` may be nested structures), as Keras 3's adapters do.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np


class DataAdapter:
    """Base class: iteration of batches and what is known about them."""

    def get_numpy_iterator(self):
        """A new iterator over one pass of batches (tuples of NumPy arrays)."""
        raise NotImplementedError

    @property
    def num_batches(self) -> int | None:
        """Batches in one pass, or None when unknown or infinite."""
        raise NotImplementedError

    @property
    def batch_size(self) -> int | None:
        """The batch size, or None when it is unknown without looking at the data."""
        raise NotImplementedError

    @property
    def has_partial_batch(self) -> bool | None:
        """Whether the last batch is smaller (None when unknown)."""
        raise NotImplementedError

    @property
    def partial_batch_size(self) -> int | None:
        """The size of the last, partial batch (None when unknown or absent)."""
        raise NotImplementedError

    def on_epoch_begin(self) -> None:
        """Called before each epoch."""

    def on_epoch_end(self) -> None:
        """Called after each epoch."""


def standardize_batch(batch, source: str) -> tuple:
    """A batch as ``(x,)``, ``(x, y)`` or ``(x, y, sample_weight)``, as Keras unpacks it.

    A tuple (or list) of one to three parts is ``x``, ``y``, ``sample_weight``; anything else
    (an array, a dict of inputs) is ``x`` alone.

    Raises:
        ValueError: for a tuple of more than three parts, naming ``source``.
    """
    if isinstance(batch, list):
        batch = tuple(batch)
    if isinstance(batch, tuple) and not hasattr(type(batch), "_fields"):
        if not 1 <= len(batch) <= 3:
            raise ValueError(f"{source} must yield x, (x,), (x, y) or (x, y, sample_weight); "
                             f"received a tuple of {len(batch)} parts")
        return tuple(_to_numpy(part) for part in batch)
    return (_to_numpy(batch),)


def _to_numpy(value):
    if value is None:
        return None
    if isinstance(value, Mapping):
        return type(value)((k, _to_numpy(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)) and not isinstance(value, np.ndarray) and value and \
            not np.isscalar(value[0]) and hasattr(value[0], "shape"):
        return type(value)(_to_numpy(v) for v in value)  # several inputs or outputs
    if hasattr(value, "numpy"):
        return np.asarray(value.numpy())
    return np.asarray(value)
