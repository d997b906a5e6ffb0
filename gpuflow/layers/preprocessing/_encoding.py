"""Integer ids to one-hot, multi-hot or count vectors (shared by the categorical layers)."""

from __future__ import annotations

from ...tensor import Tensor

MODES = ("int", "one_hot", "multi_hot", "count")


def check_mode(mode, where: str, allowed=MODES) -> str:
    if mode not in allowed:
        raise ValueError(
            f"{where}: output_mode must be one of {', '.join(map(repr, allowed))}, "
            f"received output_mode={mode!r}"
        )
    return mode


def encode(ids: Tensor, mode: str, depth: int, dtype, where: str, count_weights=None) -> Tensor:
    """``ids`` (ints in ``[0, depth)``) encoded as ``mode``; "int" returns them as int64.

    As Keras 3 on TensorFlow: one-hot encodes each element (a trailing axis of size 1 is
    dropped first); multi-hot and count encode each row of a rank-2 input, and a rank-0 or
    rank-1 input as one sample (``[2, 3]`` -> one vector of shape ``(depth,)``).
    """
    xp, dev = ids._device.xp, ids._device
    data = ids._data
    if mode == "int":
        return Tensor._wrap(data.astype("int64"), dev)
    if data.size and (int(data.min()) < 0 or int(data.max()) >= depth):
        raise ValueError(
            f"{where}: input values must be in the range 0 <= values < {depth} "
            f"(num_tokens), received values in [{int(data.min())}, {int(data.max())}]"
        )
    if data.ndim == 0:
        data = data[None]
    if mode == "one_hot":
        if data.ndim > 1 and data.shape[-1] == 1:
            data = data[..., 0]
        return Tensor._wrap((data[..., None] == xp.arange(depth)).astype(dtype), dev)
    hot = data[..., None] == xp.arange(depth)  # [..., T, depth]
    if mode == "multi_hot":
        return Tensor._wrap(hot.any(axis=-2).astype(dtype), dev)
    if count_weights is not None:
        weights = (
            count_weights._data if isinstance(count_weights, Tensor) else xp.asarray(count_weights)
        )
        weights = weights.reshape(data.shape)
        return Tensor._wrap((hot * weights[..., None]).sum(axis=-2).astype(dtype), dev)  # as Keras
    return Tensor._wrap(hot.sum(axis=-2).astype(dtype), dev)
