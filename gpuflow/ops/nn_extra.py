"""Smaller tf.nn ops built from differentiable ops: bias_add, l2_loss, moments,
embedding_lookup."""

from __future__ import annotations

from ..tensor import Tensor
from ._common import as_tensor, invalid_argument, normalize_axis, unsupported_dtype


def bias_add(value, bias, data_format=None, name=None) -> Tensor:
    """``value + bias`` with ``bias`` (1-D) along the channels axis (last, or 1 for "NC...")."""
    from .math import add
    from .shape import reshape

    x = as_tensor(value)
    b = as_tensor(bias, device=x._device)
    if b.ndim != 1:
        raise invalid_argument("bias_add", f"bias must be 1-D, received shape {tuple(b.shape)}")
    if x.ndim < 2:
        raise invalid_argument(
            "bias_add", f"value must have rank >= 2, received shape {tuple(x.shape)}"
        )
    channels_first = data_format is not None and str(data_format).startswith("NC")
    axis = 1 if channels_first else x.ndim - 1
    if x.shape[axis] != b.shape[0]:
        raise invalid_argument(
            "bias_add",
            f"bias of size {b.shape[0]} does not match axis {axis} of value shape {tuple(x.shape)}",
        )
    if channels_first:
        b = reshape(b, (b.shape[0],) + (1,) * (x.ndim - 2))
    return add(x, b)


def l2_loss(t, name=None) -> Tensor:
    """``sum(t ** 2) / 2``."""
    from .reduce import reduce_sum
    from .unary import square

    x = as_tensor(t)
    if x.dtype.kind != "f":
        raise unsupported_dtype(
            "l2_loss", f"expected a float tensor, received dtype {x.dtype.name}"
        )
    return reduce_sum(square(x)) * 0.5


def moments(x, axes, shift=None, keepdims=False, name=None):
    """``(mean, variance)`` of ``x`` over ``axes``."""
    from .math import subtract
    from .reduce import reduce_mean
    from .unary import square

    t = as_tensor(x)
    if t.dtype.kind != "f":
        raise unsupported_dtype(
            "moments", f"expected a float tensor, received dtype {t.dtype.name}"
        )
    axes = normalize_axis(axes, t.ndim, "moments")
    mean = reduce_mean(t, axes, keepdims=True)
    variance = reduce_mean(square(subtract(t, mean)), axes, keepdims=keepdims)
    if not keepdims:
        mean = reduce_mean(t, axes)
    return mean, variance


def embedding_lookup(params, ids, max_norm=None, name=None) -> Tensor:
    """Rows of ``params`` at ``ids`` (``gather`` along axis 0); differentiable in params.

    ``params`` may be a list of shards split as TF2's "div" strategy splits N rows over P
    shards (the first N % P shards one row longer): then id i is row i of their
    concatenation. ``max_norm`` clips each looked-up embedding (all its axes) to that norm.
    """
    from .indexing import gather_v2 as gather  # tf.gather: IndexedSlices gradients

    if isinstance(params, (list, tuple)):
        params = _div_shards(params)
    ids_t = as_tensor(ids)
    out = gather(params, ids_t)
    if max_norm is not None:
        from .math_extra import clip_by_norm

        out = clip_by_norm(out, max_norm, axes=list(range(ids_t.ndim, out.ndim)))
    return out


def _div_shards(shards):
    from .shape import concat

    tensors = [as_tensor(p) for p in shards]
    if not tensors:
        raise invalid_argument("embedding_lookup", "params is an empty list")
    if len(tensors) == 1:
        return tensors[0]
    sizes = [int(t.shape[0]) if t.ndim else -1 for t in tensors]
    total, count = sum(sizes), len(sizes)
    expected = [total // count + (1 if i < total % count else 0) for i in range(count)]
    if sizes != expected:
        raise invalid_argument(
            "embedding_lookup",
            f"sharded params must split their {total} rows as TensorFlow's 'div' strategy "
            f"does ({expected}), received shards of {sizes} rows",
        )
    return concat(tensors, 0)
