"""``tf.SparseTensor``: ``indices`` [N, rank] int64, ``values`` [N], ``dense_shape`` [rank].

The values are a gpuflow Tensor (gradients flow through them); the indices live on the
values' device, so sparse ops never copy structure to the host for their math.
"""

from __future__ import annotations

import numpy as np

from .. import dtypes
from ..errors import InvalidArgumentError
from ..ops._common import as_tensor
from ..tensor import Tensor, TensorShape


class SparseTensor:
    """A sparse tensor as TensorFlow represents it (``tf.sparse.SparseTensor``).

    Args:
        indices: int64 ``[N, rank]``, the positions of the stored values.
        values: ``[N]``, the stored values (a Tensor or array-like; its device is the
            sparse tensor's).
        dense_shape: int64 ``[rank]``, the shape of the dense tensor it stands for.

    Raises:
        InvalidArgumentError: when the three do not fit together (a count or rank that
            differs, an index outside ``dense_shape``), naming the numbers.
    """

    _is_composite_tensor = True  # layers pass these through instead of converting them

    def __init__(self, indices, values, dense_shape) -> None:
        values = as_tensor(values)
        if values.ndim != 1:
            raise _error(f"values must be a vector, received shape {tuple(values.shape)}")
        device = values._device
        shape = _as_host_int(dense_shape, "dense_shape")
        if shape.ndim != 1 or (shape < 0).any():
            raise _error(f"dense_shape must be a vector of sizes >= 0, received {shape.tolist()}")
        index_array = _on_device(indices, device, shape.size)
        if (
            index_array.ndim != 2
            or index_array.shape[1] != shape.size
            or index_array.shape[0] != values.shape[0]
        ):
            raise _error(
                f"indices of shape {tuple(index_array.shape)} do not fit "
                f"{values.shape[0]} values of a rank-{shape.size} dense_shape "
                f"{shape.tolist()}; expected indices of shape "
                f"({values.shape[0]}, {shape.size})"
            )
        if index_array.shape[0]:
            xp = device.xp
            bad = xp.logical_or(index_array < 0, index_array >= xp.asarray(shape)).any(axis=1)
            if bool(bad.any()):
                i = int(xp.argmax(bad))
                raise _error(
                    f"indices[{i}] = {device.to_host(index_array[i]).tolist()} is out "
                    f"of bounds: need 0 <= index < {shape.tolist()}"
                )
        self._indices = Tensor._wrap(index_array, device)
        self._values = values
        self._dense_shape = Tensor._wrap(device.asarray(shape), device)
        self._shape = TensorShape(int(n) for n in shape)

    @classmethod
    def _trusted(cls, indices, values: Tensor, shape) -> "SparseTensor":
        """Built by sparse ops whose output is valid by construction (no checks, no syncs)."""
        st = object.__new__(cls)
        device = values._device
        st._indices = Tensor._wrap(indices, device)
        st._values = values
        st._shape = TensorShape(int(n) for n in shape)
        st._dense_shape = Tensor._wrap(
            device.asarray(np.asarray(st._shape, dtype=np.int64).reshape(len(st._shape))), device
        )
        return st

    # -- TensorFlow's attributes ------------------------------------------------------------
    @property
    def indices(self) -> Tensor:
        return self._indices

    @property
    def values(self) -> Tensor:
        return self._values

    @property
    def dense_shape(self) -> Tensor:
        return self._dense_shape

    @property
    def shape(self) -> TensorShape:
        return self._shape

    def get_shape(self) -> TensorShape:
        return self._shape

    def set_shape(self, shape) -> None:
        """Asserts that the dense shape is compatible with ``shape`` (None: any size), as
        TensorFlow does eagerly.

        Raises:
            ValueError: when the shapes are not compatible.
        """
        wanted = TensorShape(shape)
        if not self._shape.is_compatible_with(wanted):
            raise ValueError(
                f"SparseTensor.set_shape: Tensor's shape {self._shape} is not compatible with "
                f"supplied shape {wanted}"
            )
        self._shape = self._shape.merge_with(wanted)

    @property
    def dtype(self):
        return self._values.dtype

    @property
    def device(self):
        return self._values.device

    @property
    def ndim(self) -> int:
        return len(self._shape)

    def with_values(self, new_values) -> "SparseTensor":
        """The same positions holding ``new_values`` (of the same length)."""
        new_values = as_tensor(new_values, device=self._values._device)
        if tuple(new_values.shape) != tuple(self._values.shape):
            raise _error(
                f"with_values: expected {self._values.shape[0]} values, received shape "
                f"{tuple(new_values.shape)}"
            )
        return SparseTensor._trusted(self._indices._data, new_values, self._shape)

    @classmethod
    def from_value(cls, value) -> "SparseTensor":
        if isinstance(value, SparseTensor):
            return value
        raise TypeError(
            f"SparseTensor.from_value: expected a SparseTensor, received {type(value).__name__}"
        )

    def __neg__(self) -> "SparseTensor":
        return self.with_values(-self._values)

    def __repr__(self) -> str:
        # as TensorFlow: the three component tensors as they print
        return (
            f"SparseTensor(indices={self.indices!s}, values={self.values!s}, "
            f"dense_shape={self.dense_shape!s})"
        )


def _error(message: str) -> InvalidArgumentError:
    return InvalidArgumentError(None, "SparseTensor", f"SparseTensor: {message}")


def _as_host_int(value, what) -> np.ndarray:
    array = value.numpy() if isinstance(value, Tensor) else np.asarray(value)
    if array.dtype.kind not in "iu" and array.size:
        raise _error(f"{what} must hold integers, received dtype {array.dtype.name}")
    return array.astype(np.int64)


def _on_device(indices, device, rank: int):
    if isinstance(indices, Tensor):
        if not dtypes.is_integer(indices.dtype):
            raise _error(f"indices must be integers, received dtype {indices.dtype.name}")
        array = indices._data if indices._device is device else device.asarray(indices.numpy())
    else:
        host = np.asarray(indices)
        if host.size == 0:
            host = host.reshape(0, rank).astype(np.int64)
        elif host.dtype.kind not in "iu":
            raise _error(f"indices must be integers, received dtype {host.dtype.name}")
        array = device.asarray(host)
    return array.astype(np.int64, copy=False)
