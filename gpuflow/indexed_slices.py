"""``tf.IndexedSlices``: rows ``values`` at ``indices`` of a tensor of ``dense_shape``.

TensorFlow returns them as the gradients of ``tf.gather`` and ``Embedding``; so does
``tape.gradient`` for a variable read only by row gathers (``autodiff/sparse_rows.py``).
``tf.convert_to_tensor`` (and every op, through it) turns one into the dense tensor, with
the rows of repeated indices summed, differentiably.
"""

from __future__ import annotations

from .autodiff.sparse_rows import register_slices
from .tensor import Tensor, TensorShape


class IndexedSlices:
    """A sparse set of rows of a dense tensor.

    Args:
        values: a tensor whose first axis lists the rows.
        indices: a 1-D integer tensor, the row index of each of ``values``' rows.
        dense_shape: the dense tensor's shape (a 1-D integer tensor or list), or None.
    """

    def __init__(self, values, indices, dense_shape=None) -> None:
        from .ops.creation import convert_to_tensor

        self._values = convert_to_tensor(values)
        self._indices = convert_to_tensor(indices)
        if self._indices.ndim != 1 or self._indices.dtype.kind not in "iu":
            raise ValueError(
                f"IndexedSlices: indices must be a 1-D integer tensor, received dtype "
                f"{self._indices.dtype.name} and shape {list(self._indices.shape)}"
            )
        if self._values.ndim == 0 or self._values.shape[0] != self._indices.shape[0]:
            raise ValueError(
                f"IndexedSlices: values must have one row per index ({self._indices.shape[0]}),"
                f" received shape {list(self._values.shape)}"
            )
        self._dense_shape = None if dense_shape is None else convert_to_tensor(dense_shape)

    @property
    def values(self) -> Tensor:
        return self._values

    @property
    def indices(self) -> Tensor:
        return self._indices

    @property
    def dense_shape(self):
        return self._dense_shape

    @property
    def dtype(self):
        return self._values.dtype

    @property
    def device(self) -> str:
        return self._values.device

    @property
    def shape(self) -> TensorShape:
        """The dense shape (its first dimension unknown without ``dense_shape``)."""
        if self._dense_shape is not None:
            return TensorShape(self._dense_shape.numpy().tolist())
        return TensorShape([None, *self._values.shape[1:]])

    def _gpuflow_dense(self) -> Tensor:
        from .ops.math_extra import unsorted_segment_sum

        if self._dense_shape is None:
            raise ValueError("IndexedSlices: cannot convert to a dense tensor without dense_shape")
        rows = int(self._dense_shape.numpy()[0])
        return unsorted_segment_sum(self._values, self._indices, rows)

    def __neg__(self) -> "IndexedSlices":
        return IndexedSlices(-self._values, self._indices, self._dense_shape)

    def __repr__(self) -> str:
        shape = None if self._dense_shape is None else self._dense_shape.numpy().tolist()
        return (
            f"IndexedSlices(indices={self._indices.numpy().tolist()}, values=<shape "
            f"{list(self._values.shape)}>, dense_shape={shape})"
        )


register_slices(IndexedSlices)  # tape.gradient's row gradients are made of this class
