"""Data adapters: every kind of input ``fit``/``evaluate``/``predict`` accept, as one interface.

:func:`get_data_adapter` picks the adapter for ``x``. Another input kind (a Dataset, a
PyDataset, a generator) plugs in by subclassing :class:`DataAdapter` and adding its case
here, before the final error.
"""
from __future__ import annotations

from .array_data_adapter import ArrayDataAdapter, can_convert_arrays
from .data_adapter import DataAdapter
from .data_adapter_utils import (
    check_batch_size,
    check_data,
    class_weight_to_sample_weights,
    pack_x_y_sample_weight,
    train_validation_split,
    unpack_x_y_sample_weight,
)

__all__ = ["ArrayDataAdapter", "DataAdapter", "can_convert_arrays", "check_batch_size",
           "check_data", "class_weight_to_sample_weights", "get_data_adapter",
           "pack_x_y_sample_weight", "train_validation_split", "unpack_x_y_sample_weight"]


def get_data_adapter(x, y=None, sample_weight=None, batch_size=None, steps_per_epoch=None,
                     shuffle=False, class_weight=None, device=None, x_dtype=None, op="fit"):
    """The DataAdapter for ``x`` (and ``y``, ``sample_weight``).

    Args:
        x: a DataAdapter (returned as is), or arrays/Tensors (one, or a list/tuple/dict).
        y, sample_weight: arrays (or structures) for array ``x``.
        batch_size, steps_per_epoch, shuffle, class_weight: as ``fit``'s arguments.
        device: the model's device; array data moves there once.
        x_dtype: the model's compute dtype; numeric array ``x`` is cast to it once.
        op: the calling method's name, for error messages.

    Raises:
        ValueError: for data no adapter accepts, naming its type.
    """
    if isinstance(x, DataAdapter):
        return x
    if can_convert_arrays((x, y, sample_weight)):
        return ArrayDataAdapter(x, y, sample_weight=sample_weight, batch_size=batch_size,
                                steps=steps_per_epoch, shuffle=shuffle, class_weight=class_weight,
                                device=device, x_dtype=x_dtype, op=op)
    raise ValueError(f"{op}: unrecognized data type: x={type(x).__name__} (of type "
                     f"{type(x)!r}); expected NumPy arrays, gpuflow Tensors, or lists/dicts of "
                     "them")
