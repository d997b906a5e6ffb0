"""Token ids to one-hot / multi-hot / count vectors as Keras' encode_categorical_inputs does
on TensorFlow, for the text layers (ids < 0 are masked tokens: they count nowhere)."""

from __future__ import annotations

import numpy as np

from ...backend import current_device
from ...tensor import Tensor

MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")


def encode_ids(ids: np.ndarray, mode: str, depth: int) -> np.ndarray:
    """``ids`` (int64, host) as int64 counts of shape ``ids.shape[:-1] + (depth,)``
    (one_hot: one vector per id, a trailing axis of 1 dropped); a scalar is one sample."""
    if ids.size and int(ids.max()) >= depth:
        raise ValueError(
            f"token indices must be < {depth} (the output depth), received {int(ids.max())}; "
            "raise max_tokens or turn off pad_to_max_tokens"
        )
    if ids.ndim == 0:
        ids = ids[None]
    if mode == "one_hot":
        if ids.ndim > 1 and ids.shape[-1] == 1:
            ids = ids[..., 0]
        return (ids[..., None] == np.arange(depth)).astype(np.int64)
    hot = ids[..., None] == np.arange(depth)
    return hot.sum(axis=-2).astype(np.int64)


def on_device(array: np.ndarray) -> Tensor:
    """A layer output: numbers on the current device, strings on the host."""
    if array.dtype == object:
        from ...backend import get_device

        return Tensor._wrap(array, get_device("cpu"))
    device = current_device()
    return Tensor._wrap(device.asarray(array), device)
