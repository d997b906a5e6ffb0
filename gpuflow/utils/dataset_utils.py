"""``keras.utils.split_dataset``: two datasets from one, by count or fraction."""

from __future__ import annotations

import random

import numpy as np

from .. import nest
from ..data import Dataset
from ..data.batching import BatchDataset
from ..data.structure import to_array


def _sizes(left_size, right_size, total: int) -> tuple[int, int]:
    """Keras' rules: ints are counts, floats fractions; None is the complement."""
    for name, size in (("left_size", left_size), ("right_size", right_size)):
        if size is not None and type(size) not in (int, float):
            raise TypeError(
                f"split_dataset: {name} must be an int, a float or None, received "
                f"{type(size).__name__}"
            )
        if (type(size) is int and not 0 < size < total) or (
            type(size) is float and not 0 < size < 1
        ):
            raise ValueError(
                f"split_dataset: {name} must be a positive int smaller than "
                f"{total} or a float in (0, 1), received {size!r}"
            )
    if type(left_size) is float and type(right_size) is float and left_size + right_size > 1:
        raise ValueError("split_dataset: left_size + right_size is greater than 1")
    left = round(left_size * total) if type(left_size) is float else left_size
    right = round(right_size * total) if type(right_size) is float else right_size
    left = total - right if left is None else left
    right = total - left if right is None else right
    if left + right > total:
        raise ValueError(
            f"split_dataset: left_size + right_size = {left + right} is more than "
            f"the {total} samples"
        )
    for side, size in (("left", left), ("right", right)):
        if size == 0:
            raise ValueError(
                f"split_dataset: with {total} samples, left_size={left} and "
                f"right_size={right} leave the {side} split empty"
            )
    return int(left), int(right)


def _samples(dataset) -> list:
    if isinstance(dataset, Dataset):
        return list(dataset.as_numpy_iterator())
    if isinstance(dataset, (list, tuple)) and dataset and not np.isscalar(dataset[0]):
        columns = [to_array(part, "split_dataset") for part in dataset]
        lengths = {len(c) for c in columns}
        if len(lengths) != 1:
            raise ValueError(f"split_dataset: the arrays have different lengths {sorted(lengths)}")
        return [tuple(c[i] for c in columns) for i in range(lengths.pop())]
    array = to_array(dataset, "split_dataset")
    return list(array)


def split_dataset(dataset, left_size=None, right_size=None, shuffle=False, seed=None):
    """Split a Dataset, an array, or a tuple of arrays into two Datasets.

    Args:
        dataset: a Dataset (a batched one is split by sample and batched again), a NumPy
            array, or a list / tuple of arrays of one length.
        left_size: samples (int) or fraction (float) in the left split; None: the rest.
        right_size: samples or fraction in the right split; None: the rest.
        shuffle: shuffle the samples before splitting.
        seed: seed for the shuffle.

    Returns:
        ``(left, right)``: two Datasets.
    """
    if left_size is None and right_size is None:
        raise ValueError("split_dataset: at least one of left_size and right_size must be given")
    batch_size = None
    if isinstance(dataset, BatchDataset):
        batch_size = dataset._size
        dataset = dataset.unbatch()
    samples = _samples(dataset)
    if not samples:
        raise ValueError("split_dataset: the dataset is empty")
    if shuffle:
        random.Random(random.randint(0, 10**6) if seed is None else seed).shuffle(samples)
    left, right = _sizes(left_size, right_size, len(samples))
    splits = []
    for part in (samples[:left], samples[len(samples) - right :]):
        columns = [np.stack(c) for c in zip(*[nest.flatten(s) for s in part])]
        split = Dataset.from_tensor_slices(nest.pack_sequence_as(part[0], columns))
        splits.append(split.batch(batch_size) if batch_size else split)
    return tuple(splits)
