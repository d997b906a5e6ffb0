"""``Dataset.sparse_batch`` (``tf.data.experimental.dense_to_sparse_batch``): batches of
dense elements of different shapes as one SparseTensor each."""

from __future__ import annotations

import numpy as np

from ..errors import DataLossError, InvalidArgumentError
from ..tensor_spec import TensorSpec
from ..type_specs import SparseTensorSpec
from . import composite
from .arguments import as_int
from .dataset import Dataset


def _row_shape(row_shape, op: str) -> tuple:
    """``row_shape`` (a list, TensorShape or int vector; None or -1 for a dimension taken
    from the batch) as a tuple of ints and None."""
    if hasattr(row_shape, "numpy"):
        row_shape = row_shape.numpy().tolist()
    if isinstance(row_shape, (int, np.integer)):
        row_shape = [row_shape]
    try:
        dims = list(row_shape)
    except TypeError:
        raise TypeError(
            f"{op}: row_shape must be a list of ints (None or -1 for any size), "
            f"received {row_shape!r}"
        ) from None
    out = []
    for d in dims:
        if d is None or int(d) == -1:
            out.append(None)
        elif int(d) < 0:
            raise ValueError(f"{op}: row_shape dimensions must be >= -1, received {dims}")
        else:
            out.append(int(d))
    return tuple(out)


def _show(shape) -> str:
    return "[" + ",".join("-1" if d is None else str(d) for d in shape) + "]"


class SparseBatchDataset(Dataset):
    """Each batch of ``batch_size`` dense elements as a SparseTensor of dense shape
    ``[batch, *row_shape]`` (unknown row dimensions: the largest in the batch) that stores
    every value of every element, as TensorFlow's."""

    def __init__(self, dataset, batch_size, row_shape, op: str) -> None:
        super().__init__((dataset,))
        spec = dataset.element_spec
        if not isinstance(spec, TensorSpec):
            raise TypeError(
                "`dense_to_sparse_batch` requires an input dataset whose elements have a "
                "single component, but the given dataset has the following component "
                f"types: {spec!r}."
            )
        self._op = op
        self._size = as_int(batch_size, op, "batch_size", minimum=1)
        self._row_shape = _row_shape(row_shape, op)

    def _compute_spec(self):
        return SparseTensorSpec((None,) + self._row_shape, self._inputs[0].element_spec.dtype)

    def _cardinality(self) -> int:
        n = self._inputs[0]._cardinality()
        return n if n < 0 else -(-n // self._size)

    def _elements(self, ctx):
        batch: list = []
        for element in self._inputs[0]._elements(ctx):
            batch.append(element)
            if len(batch) == self._size:
                yield self._sparse(batch)
                batch = []
        if batch:
            yield self._sparse(batch)

    def _sparse(self, batch: list) -> composite.SparseValue:
        row_shape = self._row_shape
        for a in batch:
            if a.ndim != len(row_shape):
                raise InvalidArgumentError(
                    None,
                    self._op,
                    f"Input element had shape ({_show(a.shape)}) that is incompatible with "
                    f"the row shape ({_show(row_shape)}).",
                )
            if any(d is not None and n > d for n, d in zip(a.shape, row_shape)):
                raise DataLossError(
                    None,
                    self._op,
                    f"Input element had shape ({_show(a.shape)}) that is larger than the "
                    f"row shape ({_show(row_shape)}).",
                )
        shape = tuple(
            max((a.shape[i] for a in batch), default=0) if d is None else d
            for i, d in enumerate(row_shape)
        )
        rows = [
            composite.SparseValue(
                np.indices(a.shape, dtype=np.int64).reshape(a.ndim, -1).T, a.reshape(-1), shape
            )
            for a in batch
        ]
        return composite.stack(rows, self._op, 0)


def sparse_batch(self, batch_size, row_shape, name=None) -> Dataset:
    """Batch elements of different shapes into SparseTensors (every value stored).

    Args:
        batch_size: elements per batch (the last batch may be smaller).
        row_shape: the dense shape of one row: a list of ints, None or -1 for a dimension
            that is the largest in each batch. Each element must have its rank and be no
            larger in any dimension.
        name: unused; accepted for TensorFlow's signature.

    Raises:
        TypeError: when the elements are not single dense tensors.
        While iterating: ``InvalidArgumentError`` for an element of another rank,
        ``DataLossError`` for one larger than ``row_shape`` (TensorFlow's errors).

    Example:
        >>> ds = gpuflow.data.Dataset.range(4).map(lambda n: gpuflow.range(n))
        >>> ds.sparse_batch(2, [3]).element_spec
        SparseTensorSpec(TensorShape([None, 3]), tf.int64)
    """
    return SparseBatchDataset(self, batch_size, row_shape, "Dataset.sparse_batch")
