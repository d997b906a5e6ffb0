"""``tf.nn.local_response_normalization`` (``lrn``), ``weighted_moments`` and
``sufficient_statistics``, composed of differentiable ops with TensorFlow's formulas."""

from __future__ import annotations

from ..errors import InvalidArgumentError
from ..tensor import Tensor
from ._common import (
    as_int,
    as_tensor,
    invalid_argument,
    invalid_type,
    normalize_axis,
    unsupported_dtype,
)


def _axes(axes, ndim, op) -> tuple:
    if axes is None or isinstance(axes, (str, bytes, float)):
        raise invalid_type(op, f"axes must be an int or a list of ints, received {axes!r}")
    return normalize_axis(axes, ndim, op)


def _float(x, op) -> Tensor:
    t = as_tensor(x)
    if t.dtype.kind != "f":
        raise unsupported_dtype(op, f"expected a float tensor, received dtype {t.dtype.name}")
    return t


def local_response_normalization(
    input,
    depth_radius=5,
    bias=1,
    alpha=1,
    beta=0.5,
    name=None,  # noqa: A002
) -> Tensor:
    """``input / (bias + alpha * sqr_sum) ** beta``, where ``sqr_sum`` sums the squares of
    the ``2 * depth_radius + 1`` channels around each one (input ``[N, H, W, C]``)."""
    from .indexing import getitem
    from .math import add_n
    from .rearrange import pad

    op = "local_response_normalization"
    x = _float(input, op)
    if x.ndim != 4:
        raise invalid_argument(op, f"input must be 4-dimensional, received shape {tuple(x.shape)}")
    r = as_int(op, "depth_radius", depth_radius, minimum=0)
    channels = x.shape[3]
    padded = pad(x * x, [[0, 0], [0, 0], [0, 0], [r, r]])
    window = [getitem(padded, (Ellipsis, slice(i, i + channels))) for i in range(2 * r + 1)]
    sqr_sum = add_n(window) if len(window) > 1 else window[0]
    return x / (sqr_sum * float(alpha) + float(bias)) ** float(beta)


lrn = local_response_normalization


def weighted_moments(x, axes, frequency_weights, keepdims=False, name=None):
    """``(mean, variance)`` of ``x`` over ``axes``, each element counted
    ``frequency_weights`` times (weights broadcast against ``x``)."""
    from .cast import cast
    from .math import divide
    from .reduce import reduce_sum
    from .shape import squeeze

    op = "weighted_moments"
    t = _float(x, op)
    w = as_tensor(frequency_weights, device=t._device)
    if w.dtype != t.dtype:
        w = cast(w, t.dtype)
    axes = _axes(axes, t.ndim, op)
    try:
        weighted_sum = reduce_sum(w * t, axes, keepdims=True)
    except (ValueError, InvalidArgumentError) as exc:
        raise invalid_argument(
            op,
            f"frequency_weights of shape {tuple(w.shape)} do not broadcast against x of "
            f"shape {tuple(t.shape)}",
        ) from exc
    total = reduce_sum(w + t * 0, axes, keepdims=True)
    mean = divide(weighted_sum, total)
    variance = divide(reduce_sum(w * (t - mean) ** 2, axes, keepdims=True), total)
    if not keepdims:
        mean, variance = squeeze(mean, list(axes)), squeeze(variance, list(axes))
    return mean, variance


def sufficient_statistics(x, axes, shift=None, keepdims=False, name=None):
    """``(count, sum(x - shift), sum((x - shift) ** 2), shift)`` over ``axes``: the
    statistics that ``normalize_moments`` turns into a mean and variance."""
    from .creation import constant
    from .reduce import reduce_sum

    op = "sufficient_statistics"
    t = _float(x, op)
    axes = _axes(axes, t.ndim, op)
    count = 1
    for a in axes:
        count *= t.shape[a]
    if shift is not None:
        shift = as_tensor(shift, device=t._device, dtype=t.dtype)
        centred = t - shift
    else:
        centred = t
    m_ss = reduce_sum(centred, axes, keepdims=keepdims)
    v_ss = reduce_sum(centred * centred, axes, keepdims=keepdims)
    return constant(float(count), dtype=t.dtype), m_ss, v_ss, shift
