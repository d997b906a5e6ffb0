"""Turning op inputs into tensors: the first thing every op does (a leaf of gpuflow.ops)."""

from __future__ import annotations

from ..backend import current_device
from ..tensor import Tensor
from ._conversions import registry
from ._pack import holds_tensor, pack


def as_tensor(value, device=None, dtype=None) -> Tensor:
    """``value`` as a Tensor (a Tensor passes through unchanged, keeping its device).

    Python scalars and array-likes are placed on ``device`` (default: the current one). A
    list holding tensors is stacked by a recorded, differentiable op (TensorFlow's
    auto-packing).
    """
    if isinstance(value, Tensor):
        return value
    if isinstance(value, (list, tuple)) and value and holds_tensor(value):
        return pack(value, as_tensor, dtype)
    dense = getattr(type(value), "_gpuflow_dense", None)  # IndexedSlices: its dense tensor
    if dense is not None:
        return dense(value)
    if registry.entries:  # tf.register_tensor_conversion_function
        converted = registry.convert(value, dtype)
        if converted is not None:
            return converted
    return Tensor(value, device=device if device is not None else current_device(), dtype=dtype)
