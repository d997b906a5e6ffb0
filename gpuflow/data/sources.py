"""Datasets made from values: ``from_tensor_slices``, ``from_tensors``, ``range``, ``zip``,
``concatenate``."""

from __future__ import annotations

import numpy as np

from .. import nest
from ..tensor_spec import TensorSpec
from . import composite, structure
from .dataset import INFINITE, UNKNOWN, Dataset, IndexPlan


class TensorSliceDataset(Dataset):
    """One element per row of the given arrays (they share their first dimension)."""

    def __init__(self, tensors) -> None:
        super().__init__()
        arrays = structure.normalize_input(tensors, "Dataset.from_tensor_slices")
        leaves = nest.flatten(arrays)
        for leaf in leaves:
            composite.check_sliceable(leaf, "Dataset.from_tensor_slices")
            if leaf.ndim == 0:
                raise ValueError(
                    f"Dataset.from_tensor_slices: every component needs a first "
                    f"dimension to slice, received a scalar in "
                    f"{structure.spec_of(arrays)}"
                )
        sizes = {leaf.shape[0] for leaf in leaves}
        if len(sizes) > 1:
            raise ValueError(
                f"Dataset.from_tensor_slices: all components must have the same "
                f"size in their first dimension, received "
                f"{structure.spec_of(arrays)}"
            )
        self._arrays = arrays
        self._n = leaves[0].shape[0]
        self._rows = None  # a ragged or sparse component's rows, made on the first pass

    def _compute_spec(self):
        return structure.unbatched_spec(structure.spec_of(self._arrays), "from_tensor_slices")

    def _cardinality(self) -> int:
        return self._n

    def _index_plan(self):
        if structure.has_composites(self._arrays):
            return None  # rows of a ragged or sparse component are not one indexing call
        n = self._n
        return IndexPlan(self._arrays, lambda ctx: iter((np.arange(n, dtype=np.int64),)))

    def _elements(self, ctx):
        flat = nest.flatten(self._arrays)
        pack = structure.packer(self._arrays)
        if structure.has_composites(self._arrays):
            if self._rows is None:
                self._rows = structure.unstack(self._arrays, "Dataset.from_tensor_slices")
            yield from self._rows
            return
        for i in range(self._n):
            yield pack([a[i, ...] for a in flat])  # `[i, ...]`: a 0-d array, not a scalar


class TensorDataset(Dataset):
    """One element: the given structure of tensors."""

    def __init__(self, tensors) -> None:
        super().__init__()
        self._element = structure.normalize_input(tensors, "Dataset.from_tensors")

    def _compute_spec(self):
        return structure.spec_of(self._element)

    def _cardinality(self) -> int:
        return 1

    def _elements(self, ctx):
        yield self._element


class RangeDataset(Dataset):
    """``range(start, stop, step)`` as int64 scalars (or ``output_type``)."""

    def __init__(self, *args, output_type=np.int64) -> None:
        super().__init__()
        if not 1 <= len(args) <= 3:
            raise TypeError(
                f"Dataset.range: expected 1 to 3 arguments (start, stop, step), "
                f"received {len(args)}"
            )
        bounds = [int(a) for a in args]
        self._range = range(*bounds)  # ValueError for step 0, as Python's
        self._dtype = np.dtype(output_type)

    def _compute_spec(self):
        return TensorSpec((), self._dtype)

    def _cardinality(self) -> int:
        return len(self._range)

    def _elements(self, ctx):
        dtype = self._dtype
        for value in self._range:
            yield np.asarray(value, dtype=dtype)


class ZipDataset(Dataset):
    """Elements of several datasets side by side, until the shortest ends."""

    def __init__(self, datasets) -> None:
        if isinstance(datasets, Dataset):
            datasets = (datasets,)
        wrapped = structure.lists_as_leaves(datasets)
        flat = nest.flatten(wrapped)
        for leaf in flat:
            if not isinstance(leaf.value, Dataset):
                raise TypeError(
                    f"Dataset.zip: expected a (nested) tuple or dict of datasets, "
                    f"received a {type(leaf.value).__name__} in it"
                )
        super().__init__(tuple(leaf.value for leaf in flat))
        self._structure = nest.map_structure(lambda leaf: leaf.value, wrapped)

    def _compute_spec(self):
        return nest.pack_sequence_as(self._structure, [d.element_spec for d in self._inputs])

    def _cardinality(self) -> int:
        sizes = [d._cardinality() for d in self._inputs]
        if UNKNOWN in sizes:
            return UNKNOWN
        finite = [n for n in sizes if n >= 0]
        return min(finite) if finite else INFINITE

    def _elements(self, ctx):
        iterators = [d._elements(ctx) for d in self._inputs]
        for parts in zip(*iterators):
            yield nest.pack_sequence_as(self._structure, list(parts))


class ConcatenateDataset(Dataset):
    """The elements of one dataset, then those of another (their specs must agree)."""

    def __init__(self, first: Dataset, second: Dataset) -> None:
        if not isinstance(second, Dataset):
            raise TypeError(
                f"Dataset.concatenate: expected a Dataset, received {type(second).__name__}"
            )
        super().__init__((first, second))

    def _compute_spec(self):
        first, second = self._inputs
        return structure.compatible_spec(
            first.element_spec, second.element_spec, "Dataset.concatenate"
        )

    def _cardinality(self) -> int:
        a, b = (d._cardinality() for d in self._inputs)
        if INFINITE in (a, b):
            return INFINITE
        return UNKNOWN if UNKNOWN in (a, b) else a + b

    def _elements(self, ctx):
        for dataset in self._inputs:
            yield from dataset._elements(ctx)


def from_tensor_slices(tensors, name=None) -> Dataset:
    """A dataset whose elements are the slices of ``tensors`` along their first dimension.

    Args:
        tensors: an array, Tensor, RaggedTensor, SparseTensor or list (one component), or a
            tuple / dict of them (the element keeps that structure); all components share
            the first dimension. A RaggedTensor's rows are RaggedTensors (ragged_rank - 1),
            or Tensors for ragged_rank 1 (still ragged components: ``batch`` makes them a
            RaggedTensor again); a SparseTensor (rank >= 2) gives SparseTensor rows.
        name: unused; accepted for TensorFlow's signature.
    """
    return TensorSliceDataset(tensors)


def from_tensors(tensors, name=None) -> Dataset:
    """A dataset of one element: ``tensors`` (an array or a tuple / dict of arrays)."""
    return TensorDataset(tensors)


def range_(*args, output_type=np.int64, name=None) -> Dataset:
    """A dataset of ``range(*args)`` as scalar tensors (int64 unless ``output_type``).

    Example:
        >>> list(gpuflow.data.Dataset.range(1, 7, 2).as_numpy_iterator())
        [1, 3, 5]
    """
    return RangeDataset(*args, output_type=output_type)


def zip_(*args, datasets=None, name=None) -> Dataset:
    """Zip a (nested) tuple or dict of datasets: each element holds one of each.

    Called as ``Dataset.zip((a, b))``, ``Dataset.zip(a, b)`` or ``Dataset.zip({"x": a})``.
    """
    if datasets is not None and args:
        raise TypeError("Dataset.zip: pass the datasets either positionally or as datasets=")
    if datasets is None:
        datasets = args[0] if len(args) == 1 else tuple(args)
    return ZipDataset(datasets)


def concatenate(self, dataset, name=None) -> Dataset:
    """This dataset's elements followed by ``dataset``'s (element specs must be compatible)."""
    result = ConcatenateDataset(self, dataset)
    result.element_spec  # noqa: B018  (fail now, naming both specs, not while iterating)
    return result
