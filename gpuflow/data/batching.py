"""Combining elements: batch, padded_batch, unbatch."""

from __future__ import annotations

import numpy as np

from .. import errors, nest
from ..tensor_spec import TensorSpec
from . import structure, tf_names
from .arguments import as_int
from .dataset import INFINITE, UNKNOWN, Dataset


def _positive(value, op: str) -> int:
    return as_int(value, op, "batch_size", minimum=1)


def _batched_cardinality(n: int, size: int, drop_remainder: bool) -> int:
    if n < 0:
        return n
    return n // size if drop_remainder else -(-n // size)


_stack = structure.stack  # the one place elements are stacked (dense, ragged, sparse)


class BatchDataset(Dataset):
    """Consecutive elements stacked along a new first axis, ``batch_size`` at a time."""

    def __init__(self, dataset, batch_size, drop_remainder) -> None:
        super().__init__((dataset,))
        self._size = _positive(batch_size, "Dataset.batch")
        self._drop = bool(drop_remainder)

    def _compute_spec(self):
        # As TensorFlow: the batch dimension is known only when partial batches are dropped.
        return structure.batched_spec(
            self._inputs[0].element_spec, self._size if self._drop else None
        )

    def _cardinality(self) -> int:
        return _batched_cardinality(self._inputs[0]._cardinality(), self._size, self._drop)

    def _works_ahead_without_thread(self) -> bool:
        # Batches gathered from arrays in memory: a copy this short (~0.1 ms for a batch of
        # 128 MNIST images) gains nothing from a thread hand-off, and the thread would
        # compete with the training step's BLAS threads for the cores.
        return type(self) is BatchDataset and self._inputs[0]._index_plan() is not None

    def _elements(self, ctx):
        plan = self._inputs[0]._index_plan()
        if plan is not None:
            yield from self._gathered(plan, ctx)
            return
        batch: list = []
        for element in self._inputs[0]._elements(ctx):
            batch.append(element)
            if len(batch) == self._size:
                yield _stack(batch, "Dataset.batch")
                batch = []
        if batch and not self._drop:
            yield _stack(batch, "Dataset.batch")

    def _gathered(self, plan, ctx):
        """Whole batches by one fancy index per component (same order as element by element)."""
        flat = nest.flatten(plan.arrays)
        size = self._size
        pending = np.zeros(0, dtype=np.int64)
        for chunk in plan.orders(ctx):
            pending = np.concatenate((pending, chunk)) if len(pending) else chunk
            start = 0
            while len(pending) - start >= size:
                index = pending[start : start + size]
                yield nest.pack_sequence_as(plan.arrays, [a[index] for a in flat])
                start += size
            pending = pending[start:]
        if len(pending) and not self._drop:
            yield nest.pack_sequence_as(plan.arrays, [a[pending] for a in flat])


class PaddedBatchDataset(BatchDataset):
    """Batches whose components are padded to common shapes."""

    def __init__(self, dataset, batch_size, padded_shapes, padding_values, drop_remainder):
        super().__init__(dataset, batch_size, drop_remainder)
        for s in nest.flatten(dataset.element_spec):
            if not isinstance(s, TensorSpec):
                raise TypeError(
                    "`padded_batch` is only supported for datasets that produce tensor "
                    "elements but type spec of elements in the input dataset is not a "
                    f"subclass of TensorSpec: `{s!r}`."
                )
        flat_specs = nest.flatten(dataset.element_spec)
        self._flat_shapes = self._normalize_shapes(dataset.element_spec, flat_specs, padded_shapes)
        self._flat_values = self._normalize_values(dataset.element_spec, flat_specs, padding_values)

    @staticmethod
    def _normalize_shapes(spec, flat_specs, padded_shapes) -> list:
        if padded_shapes is None:
            # Each dimension to the longest in the batch. Not the spec's dims: a mapped
            # dataset's spec has its first element's shapes (see Dataset.element_spec).
            return [None] * len(flat_specs)
        given = structure.flatten_up_to(spec, padded_shapes, "Dataset.padded_batch(padded_shapes)")
        shapes = []
        for shape, s in zip(given, flat_specs):
            if hasattr(shape, "numpy"):
                shape = shape.numpy().tolist()
            if isinstance(shape, (int, np.integer)) or shape is None:
                shape = [shape]  # padded_shapes=5 for vector components, as TensorFlow
            shape = tuple(None if d is None or int(d) == -1 else int(d) for d in shape)
            if s.shape.rank is not None and len(shape) != len(s.shape):
                raise ValueError(
                    f"Dataset.padded_batch: padded shape {shape} has rank "
                    f"{len(shape)}, the component {s!r} has rank {len(s.shape)}"
                )
            shapes.append(shape)
        return shapes

    @staticmethod
    def _normalize_values(spec, flat_specs, padding_values) -> list:
        if padding_values is None:  # 0, or b"" for strings (TensorFlow's zero string)
            return [
                np.array(b"", dtype=object) if s.dtype == "string" else np.zeros((), s.dtype)
                for s in flat_specs
            ]
        if not nest.is_nested(padding_values) and nest.is_nested(spec):
            given = [padding_values] * len(flat_specs)
        else:
            given = structure.flatten_up_to(
                spec, padding_values, "Dataset.padded_batch(padding_values)"
            )
        return [
            np.asarray(structure.to_array(v, "Dataset.padded_batch"), dtype=s.dtype)
            for v, s in zip(given, flat_specs)
        ]

    def _compute_spec(self):
        inner = self._inputs[0].element_spec
        specs = nest.pack_sequence_as(
            inner,
            [
                # without padded_shapes, TensorFlow's spec keeps the component's known sizes
                # (the channels of images of varying sizes); the unknown ones stay None
                TensorSpec(shape if shape is not None else s.shape, s.dtype)
                for s, shape in zip(nest.flatten(inner), self._flat_shapes)
            ],
        )
        return structure.batched_spec(specs, self._size if self._drop else None)

    def _elements(self, ctx):
        batch: list = []
        for element in self._inputs[0]._elements(ctx):
            batch.append(element)
            if len(batch) == self._size:
                yield self._pad(batch)
                batch = []
        if batch and not self._drop:
            yield self._pad(batch)

    def _pad(self, batch: list):
        flat_shapes, flat_values = self._flat_shapes, self._flat_values
        columns = list(zip(*[nest.flatten(e) for e in batch]))
        out = []
        for c, column in enumerate(columns):
            target = self._target_shape(c, column, flat_shapes[c])
            padded = np.empty((len(column),) + target, dtype=column[0].dtype)
            # `[...]` (not np.full, not a scalar index): a 0-d object array (a string)
            # is stored as its bytes, never as a nested array.
            padded[...] = flat_values[c]
            for j, a in enumerate(column):
                padded[(j,) + tuple(slice(0, d) for d in a.shape) + (Ellipsis,)] = a
            out.append(padded)
        return nest.pack_sequence_as(batch[0], out)

    @staticmethod
    def _target_shape(c: int, column, padded_shape) -> tuple:
        ranks = {a.ndim for a in column}
        if len(ranks) > 1:
            raise ValueError(
                f"Dataset.padded_batch: component {c} has elements of different "
                f"ranks {sorted(ranks)}"
            )
        longest = (
            tuple(max(dims) for dims in zip(*(a.shape for a in column))) if column[0].ndim else ()
        )
        if padded_shape is None:
            return longest
        target = tuple(m if d is None else d for d, m in zip(padded_shape, longest))
        for a in column:
            if any(n > t for n, t in zip(a.shape, target)):
                raise errors.DataLossError(  # TensorFlow's class for this
                    None,
                    "padded_batch",
                    f"Dataset.padded_batch: component {c} has an element of shape "
                    f"{a.shape}, larger than the padded shape {padded_shape} (attempted to "
                    "pad to a smaller size than the input element)",
                )
        return target


class UnbatchDataset(Dataset):
    """Each element split along its first axis into that many elements."""

    def __init__(self, dataset) -> None:
        super().__init__((dataset,))
        structure.unbatched_spec(dataset.element_spec, "Dataset.unbatch")

    def _compute_spec(self):
        return structure.unbatched_spec(self._inputs[0].element_spec, "Dataset.unbatch")

    def _cardinality(self) -> int:
        n = self._inputs[0]._cardinality()
        return n if n in (0, INFINITE) else UNKNOWN

    def _elements(self, ctx):
        for element in self._inputs[0]._elements(ctx):
            yield from structure.unstack(element, "Dataset.unbatch")


def batch(
    self, batch_size, drop_remainder=False, num_parallel_calls=None, deterministic=None, name=None
) -> Dataset:
    """Stack ``batch_size`` consecutive elements into one (a new first axis).

    Args:
        batch_size: elements per batch.
        drop_remainder: drop a last, smaller batch (then the batch dimension is known).
        num_parallel_calls: accepted for TensorFlow's signature; batches are built on the
            iterating thread (``prefetch`` moves that work to a background thread).
        deterministic: accepted for TensorFlow's signature (the order is always kept).
        name: unused; accepted for TensorFlow's signature.
    """
    return tf_names.parallel(
        BatchDataset(self, batch_size, drop_remainder), "_ParallelBatchDataset", num_parallel_calls
    )


def padded_batch(
    self, batch_size, padded_shapes=None, padding_values=None, drop_remainder=False, name=None
) -> Dataset:
    """Batch elements of different shapes, padding each component to a common shape.

    Args:
        batch_size: elements per batch.
        padded_shapes: per component, the shape to pad to (None or -1 dims: the longest in
            the batch); default: the longest in the batch along every dimension.
        padding_values: per component (or one for all), the fill value; default 0.
        drop_remainder: drop a last, smaller batch.
        name: unused; accepted for TensorFlow's signature.
    """
    return PaddedBatchDataset(self, batch_size, padded_shapes, padding_values, drop_remainder)


def unbatch(self, name=None) -> Dataset:
    """Split each element along its first axis: the inverse of ``batch``."""
    return UnbatchDataset(self)
