"""``tf.nn.avg_pool`` and ``tf.nn.max_pool``: the pool of the input's rank (3: 1-D,
4: 2-D, 5: 3-D), as TensorFlow's rank-dispatching ops."""

from __future__ import annotations

from ..tensor import Tensor
from ._common import as_tensor, invalid_argument

_CHANNELS_LAST = {3: "NWC", 4: "NHWC", 5: "NDHWC"}


def _pool_nd(kind: str, input, ksize, strides, padding, data_format):  # noqa: A002
    from .conv3d import avg_pool3d, max_pool3d
    from .nn_conv import max_pool2d
    from .nn_conv1d import avg_pool1d, max_pool1d

    op = f"{kind}_pool"
    x = as_tensor(input)
    layout = _CHANNELS_LAST.get(x.ndim)
    if layout is None:
        raise invalid_argument(
            op, f"expected input of rank 3, 4 or 5 [N, ..., C], received shape {tuple(x.shape)}"
        )
    if data_format is not None and data_format != layout:
        raise invalid_argument(
            op, f"only data_format={layout!r} is supported, received {data_format!r}"
        )
    if x.ndim == 4:
        if kind == "max":
            return max_pool2d(x, ksize, strides, padding)
        from .conv import avg_pool2d

        return avg_pool2d(x, ksize, strides, padding)
    fn = {3: (max_pool1d, avg_pool1d), 5: (max_pool3d, avg_pool3d)}[x.ndim][kind == "avg"]
    return fn(x, ksize, strides, padding)


def max_pool(input, ksize, strides, padding, data_format=None, name=None) -> Tensor:  # noqa: A002
    """Max over ``ksize`` windows of a ``[N, W, C]``, ``[N, H, W, C]`` or
    ``[N, D, H, W, C]`` input."""
    return _pool_nd("max", input, ksize, strides, padding, data_format)


def avg_pool(input, ksize, strides, padding, data_format=None, name=None) -> Tensor:  # noqa: A002
    """Average over ``ksize`` windows of a ``[N, W, C]``, ``[N, H, W, C]`` or
    ``[N, D, H, W, C]`` input (SAME padding averages only the real elements, as TF)."""
    return _pool_nd("avg", input, ksize, strides, padding, data_format)
