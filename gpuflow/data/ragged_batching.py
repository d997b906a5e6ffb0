"""``Dataset.ragged_batch``: batches whose rows may differ in length, as RaggedTensors."""

from __future__ import annotations

import numpy as np

from .. import dtypes, nest
from ..backend import current_device
from ..backend import device as device_scope
from ..ragged import stack_rows
from ..tensor import Tensor
from ..tensor_spec import RaggedTensorSpec, TensorSpec
from .batching import BatchDataset


def _has_unknown_dim(spec) -> bool:
    return (
        isinstance(spec, TensorSpec)
        and spec.shape is not None
        and len(spec.shape) > 0
        and None in tuple(spec.shape)
    )


class RaggedBatchDataset(BatchDataset):
    """``batch_size`` consecutive elements per batch; a component whose rows may differ in
    their first dimension becomes a RaggedTensor (ragged_rank 1), the others stack densely.

    A component is ragged when its spec has an unknown dimension (TensorFlow's rule), and
    also in a batch whose rows differ in shape: gpuflow learns a mapped dataset's spec from
    its first element, so the spec of ``map(lambda n: tf.range(n))`` has an exact shape
    where TensorFlow's traced spec has None. Such a component comes out dense in a batch
    whose rows happen to agree, where TensorFlow would give a RaggedTensor; give the
    source's spec a None dimension (``from_generator``'s ``output_signature``) to have
    every batch ragged.
    """

    def _compute_spec(self):
        inner = self._inputs[0].element_spec
        batch_dim = self._size if self._drop else None

        def spec(s):
            if _has_unknown_dim(s):
                return RaggedTensorSpec((batch_dim,) + tuple(s.shape), s.dtype, 1, dtypes.int64)
            return TensorSpec(None if s.shape is None else (batch_dim,) + tuple(s.shape), s.dtype)

        return nest.map_structure(spec, inner)

    def _works_ahead_without_thread(self) -> bool:
        return False

    def _elements(self, ctx):
        flat_specs = nest.flatten(self._inputs[0].element_spec)
        ragged = [_has_unknown_dim(s) for s in flat_specs]
        batch: list = []
        for element in self._inputs[0]._elements(ctx):
            batch.append(element)
            if len(batch) == self._size:
                yield self._combine(batch, ragged, ctx)
                batch = []
        if batch and not self._drop:
            yield self._combine(batch, ragged, ctx)

    @staticmethod
    def _combine(batch: list, ragged: list, ctx):
        flat = [nest.flatten(e) for e in batch]
        out = []
        for c, column in enumerate(zip(*flat)):
            if not ragged[c] and len({a.shape for a in column}) == 1:
                out.append(np.stack(column))
                continue
            if any(a.ndim == 0 for a in column):
                raise ValueError(
                    f"Dataset.ragged_batch: component {c} has scalar elements; "
                    f"only elements of rank >= 1 can form ragged rows"
                )
            device = ctx.device
            rows = [Tensor._wrap(device.asarray(a), device) for a in column]
            try:
                if current_device() is device:
                    out.append(stack_rows(rows))
                else:  # a prefetch thread: the rows' partition goes on the pass's device
                    with device_scope(device):
                        out.append(stack_rows(rows))
            except ValueError as exc:
                raise ValueError(
                    f"Dataset.ragged_batch: component {c}: {exc} (only the "
                    f"first dimension may vary; use padded_batch otherwise)"
                ) from None
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
        ragged.
    """
    if dtypes.as_dtype(row_splits_dtype, "Dataset.ragged_batch") != np.dtype("int64"):
        raise NotImplementedError(
            f"Dataset.ragged_batch: row_splits_dtype="
            f"{np.dtype(row_splits_dtype).name} is not supported; "
            "gpuflow's RaggedTensor keeps int64 row splits"
        )
    return RaggedBatchDataset(self, batch_size, drop_remainder)
