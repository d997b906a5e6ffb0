"""``Dataset.ragged_batch``: batches whose rows may differ in length, as RaggedTensors."""

from __future__ import annotations

import numpy as np

from .. import dtypes, nest
from ..tensor_spec import RaggedTensorSpec, TensorSpec
from . import composite, structure
from .batching import BatchDataset


def _ragged_rank_of(spec) -> int | None:
    """TensorFlow's rule: a dense component whose spec has unknown dimensions is ragged,
    with ragged_rank the last unknown axis (its rows are cut there); None if it is not."""
    if not isinstance(spec, TensorSpec) or not spec.shape.rank:
        return None
    unknown = [axis for axis, size in enumerate(spec.shape) if size is None]
    return max(unknown) if unknown else None


class RaggedBatchDataset(BatchDataset):
    """``batch_size`` consecutive elements per batch; a dense component whose rows may
    differ in shape becomes a RaggedTensor, the other dense ones stack densely, and
    RaggedTensor / SparseTensor components batch as ``batch`` batches them.

    A dense component is ragged when its spec has an unknown dimension (TensorFlow's rule:
    ragged up to the last unknown axis), and also in a batch whose rows differ in shape
    (ragged up to the last axis where they differ): gpuflow learns a mapped dataset's spec
    from its first element, so the spec of ``map(lambda n: tf.range(n))`` has an exact
    shape where TensorFlow's traced spec has None. Such a component comes out dense in a
    batch whose rows happen to agree, where TensorFlow would give a RaggedTensor; give the
    source's spec a None dimension (``from_generator``'s ``output_signature``) to have
    every batch ragged.
    """

    def _compute_spec(self):
        inner = self._inputs[0].element_spec
        batch_dim = self._size if self._drop else None

        def spec(s):
            rank = _ragged_rank_of(s)
            if rank is not None:
                return RaggedTensorSpec(
                    (batch_dim,) + tuple(s.shape), s.dtype, rank + 1, dtypes.int64
                )
            return structure.batched_spec(s, batch_dim)

        return nest.map_structure(spec, inner)

    def _works_ahead_without_thread(self) -> bool:
        return False

    def _elements(self, ctx):
        ranks = [_ragged_rank_of(s) for s in nest.flatten(self._inputs[0].element_spec)]
        batch: list = []
        for element in self._inputs[0]._elements(ctx):
            batch.append(element)
            if len(batch) == self._size:
                yield self._combine(batch, ranks)
                batch = []
        if batch and not self._drop:
            yield self._combine(batch, ranks)

    @staticmethod
    def _combine(batch: list, ranks: list):
        flat = [nest.flatten(e) for e in batch]
        out = []
        for c, column in enumerate(zip(*flat)):
            if any(isinstance(a, composite.LEAF_TYPES) for a in column):
                out.append(composite.stack(column, "Dataset.ragged_batch", c))
                continue
            rank = ranks[c]
            shapes = {a.shape for a in column}
            if rank is None and len(shapes) == 1:
                out.append(np.stack(column))
                continue
            if any(a.ndim == 0 for a in column):
                raise ValueError(
                    f"Dataset.ragged_batch: component {c} has scalar elements; "
                    f"only elements of rank >= 1 can form ragged rows"
                )
            if len({a.ndim for a in column}) > 1:
                raise ValueError(
                    f"Dataset.ragged_batch: component {c} has elements of different "
                    f"ranks {sorted({a.ndim for a in column})}"
                )
            if rank is None:  # exact spec, rows that differ: ragged up to the last difference
                rank = max(axis for axis, sizes in enumerate(zip(*shapes)) if len(set(sizes)) > 1)
            rows = [composite.dense_as_ragged(a, rank) for a in column]
            out.append(composite.stack(rows, "Dataset.ragged_batch", c))
        return nest.pack_sequence_as(batch[0], out)


def ragged_batch(self, batch_size, drop_remainder=False, row_splits_dtype=dtypes.int64, name=None):
    """Batch elements whose first dimension varies: such components become RaggedTensors.

    Args:
        batch_size: elements per batch.
        drop_remainder: drop a last, smaller batch.
        row_splits_dtype: the RaggedTensors' row partition dtype; gpuflow's RaggedTensor
            keeps int64 row splits, so only int64 is accepted.
        name: unused; accepted for TensorFlow's signature.

    Returns:
        A Dataset of batches; see :class:`RaggedBatchDataset` for which components are
        ragged (a component of RaggedTensors gains a ragged dimension, as with ``batch``).
    """
    if dtypes.as_dtype(row_splits_dtype, "Dataset.ragged_batch") != np.dtype("int64"):
        raise NotImplementedError(
            f"Dataset.ragged_batch: row_splits_dtype="
            f"{np.dtype(row_splits_dtype).name} is not supported; "
            "gpuflow's RaggedTensor keeps int64 row splits"
        )
    return RaggedBatchDataset(self, batch_size, drop_remainder)
