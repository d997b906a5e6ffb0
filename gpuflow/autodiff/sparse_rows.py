"""Row-sparse gradients: the gradient of a variable read only by ``tf.gather`` along axis 0
(``tf.nn.embedding_lookup``, ``Embedding``) is rows of the variable, which
``tape.gradient`` hands out as a ``tf.IndexedSlices``, as TensorFlow does.

A gather's Function carries its row indices as ``sparse_rows``; the backward walk, when
asked for sparse leaves (``tape.gradient`` outside a trace, no second derivative), keeps
such a leaf's gradient as a ``SparseRows`` (its gathered rows and their indices) instead of
scattering them into a dense array. Two of them for one leaf concatenate, as TensorFlow's
aggregation of IndexedSlices; a dense gradient for the same leaf makes the sum dense.
"""

from __future__ import annotations

from ..tensor import Tensor
from . import grad_ops

# tf.IndexedSlices, registered by gpuflow/indexed_slices.py (which sits above the ops that
# sit above autodiff)
_SLICES: list = []


def register_slices(cls) -> None:
    _SLICES[:] = [cls]


class SparseRows:
    """Rows ``values`` added at ``indices`` of an array of ``shape`` (arrays, one device)."""

    __slots__ = ("values", "indices", "shape", "device")
    __array_ufunc__ = None  # `dense_array + rows` calls __radd__, not NumPy's broadcasting

    def __init__(self, values, indices, shape, device) -> None:
        self.values, self.indices, self.shape, self.device = values, indices, shape, device

    @property
    def dtype(self):
        return self.values.dtype

    def dense(self):
        """The dense array: rows of repeated indices summed."""
        return grad_ops.array_ops(self.device).scatter_add(self.values, (self.indices,), self.shape)

    def summed(self):
        """``(rows, sums)``: the distinct indices, sorted, and the sum of each one's values,
        added in the order the dense array's scatter adds them (so they round alike)."""
        xp = self.device.xp
        rows, inverse = xp.unique(self.indices, return_inverse=True)
        sums = xp.zeros((rows.shape[0],) + tuple(self.shape[1:]), dtype=self.values.dtype)
        xp.add.at(sums, inverse.reshape(-1), self.values)
        return rows, sums

    def to_slices(self):
        """The tf.IndexedSlices ``tape.gradient`` returns: its indices in the gather
        indices' dtype, its dense_shape int32, as TensorFlow's for a variable."""
        device = self.device
        shape = device.asarray(self.shape, dtype="int32")
        return _SLICES[0](
            Tensor._wrap(self.values, device),
            Tensor._wrap(self.indices, device),
            Tensor._wrap(shape, device),
        )

    def __add__(self, other):
        if isinstance(other, SparseRows):
            xp = self.device.xp
            indices = other.indices
            if indices.dtype != self.indices.dtype:
                indices = indices.astype(self.indices.dtype)
            return SparseRows(
                xp.concatenate([self.values, other.values]),
                xp.concatenate([self.indices, indices]),
                self.shape,
                self.device,
            )
        return self.dense() + other

    def __radd__(self, other):
        return other + self.dense()


def leaf_rows(fn, gy, t, record: bool):
    """``fn``'s gradient for its leaf input ``t`` as SparseRows, or None where ``fn`` is
    not a row gather of ``t`` (or the gradient is recorded for a second derivative)."""
    rows = getattr(fn, "sparse_rows", None)
    if rows is None or record or t._node is not None:
        return None
    values = gy.reshape((-1,) + tuple(t._data.shape[1:]))
    if values.dtype != t._data.dtype:
        values = values.astype(t._data.dtype)
    return SparseRows(values, rows.reshape(-1), tuple(t._data.shape), t._device)
