"""The DTensor: a gpuflow Tensor holding the global value, plus its :class:`Layout`.

Every gpuflow op runs on a DTensor as on the tensor of its global value (so values,
gradients and ``tf.function`` are those of plain tensors); :mod:`.propagate` gives op
results their layouts. The per-device components exist only when asked for
(``dtensor.unpack``): each is the slice of the global value its device holds.
"""

from __future__ import annotations

import numpy as np

from ...errors import UnimplementedError
from ...tensor import Tensor
from .names import short_device_name


class DTensor(Tensor):
    """A Tensor with a layout (what ``tf.experimental.dtensor`` ops return)."""

    __slots__ = ("_layout",)

    @classmethod
    def _of(cls, tensor: Tensor, layout) -> "DTensor":
        """A DTensor sharing ``tensor``'s array and autodiff node (no copy)."""
        if tensor.ndim != layout.rank:
            raise ValueError(
                f"dtensor: layout of rank {layout.rank} ({layout.sharding_specs}) does not "
                f"match a tensor of shape {tuple(tensor.shape)}"
            )
        check_divisible(tuple(tensor.shape), layout)
        t = object.__new__(cls)
        t._data = tensor._data
        t._device = tensor._device
        t._node = tensor._node
        t._trainable = False
        t._name = None
        t._layout = layout
        return t

    def numpy(self) -> np.ndarray:
        """The value, for a replicated DTensor; TF's ``UnimplementedError`` for a sharded one
        (``dtensor.unpack`` gives its components)."""
        if not self._layout.is_fully_replicated():
            raise UnimplementedError(
                None,
                "numpy",
                "Trying to copy a non-single-device and non-replicated DTensor is not "
                f"supported. Input tensor is: {self!s} (use dtensor.unpack for its components)",
            )
        return Tensor.numpy(self)

    def __repr__(self) -> str:
        return (
            f"<tf.Tensor: shape={tuple(self.shape)}, dtype={self.dtype.name}, "
            f'value={_value_text(self)}, layout="{self._layout.to_string()}">'
        )

    def __str__(self) -> str:
        return (
            f'tf.Tensor({_value_text(self)}, layout="{self._layout.to_string()}", '
            f"shape={tuple(self.shape)}, dtype={self.dtype.name})"
        )


def _value_text(t: Tensor) -> str:
    array = np.asarray(Tensor.numpy(t))
    layout = t._layout
    if layout.is_fully_replicated():
        return str(array)
    parts = [
        f'"{short_device_name(d)}": {c}'
        for d, c in zip(layout.mesh.local_devices(), component_arrays(array, layout))
    ]
    return "{" + ", ".join(parts) + "}"


def check_divisible(shape: tuple, layout) -> None:
    for axis, size in enumerate(shape):
        shards = layout.num_shards(axis)
        if size is not None and size % shards:
            raise ValueError(
                f"dtensor: axis {axis} of size {size} cannot be sharded over mesh dimension "
                f"{layout.sharding_specs[axis]!r} of size {shards} (sizes must divide evenly)"
            )


def component_arrays(array, layout) -> list:
    """The slice of ``array`` each local device of ``layout``'s mesh holds, in mesh order."""
    mesh = layout.mesh
    out = []
    for loc in mesh.local_device_locations():
        index = []
        for axis, spec in enumerate(layout.sharding_specs):
            shards = layout.num_shards(axis)
            if shards == 1:
                index.append(slice(None))
                continue
            step = array.shape[axis] // shards
            start = loc[spec] * step
            index.append(slice(start, start + step))
        out.append(array[tuple(index)])
    return out
