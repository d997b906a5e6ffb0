"""More tf.nn, composed of differentiable ops: softsign, crelu, weighted and Poisson
cross-entropies, batch_normalization, normalize_moments, compute_average_loss,
space_to_depth / depth_to_space."""

from __future__ import annotations

from ..tensor import Tensor
from ._common import as_int, as_tensor, invalid_argument, unsupported_dtype
from .math_more import softsign  # noqa: F401  (tf.nn.softsign)


def _float(x, op):
    t = as_tensor(x)
    if t.dtype.kind != "f":
        raise unsupported_dtype(op, f"expected a float tensor, received dtype {t.dtype.name}")
    return t


def crelu(features, axis=-1, name=None) -> Tensor:
    """``concat([relu(x), relu(-x)], axis)``."""
    from .nn import relu
    from .shape import concat

    x = _float(features, "crelu")
    return concat([relu(x), relu(-x)], axis)


def weighted_cross_entropy_with_logits(labels, logits, pos_weight, name=None) -> Tensor:
    """Sigmoid cross-entropy with the positive term weighted by ``pos_weight``:
    ``(1 - z) x + (1 + (q - 1) z) log(1 + exp(-x))``, computed stably."""
    from .math import maximum
    from .unary import abs as abs_
    from .unary import exp, log1p

    x = _float(logits, "weighted_cross_entropy_with_logits")
    z = as_tensor(labels, device=x._device, dtype=x.dtype)
    if tuple(z.shape) != tuple(x.shape):
        raise invalid_argument(
            "weighted_cross_entropy_with_logits",
            f"labels shape {tuple(z.shape)} differs from logits shape {tuple(x.shape)}",
        )
    q = as_tensor(pos_weight, device=x._device, dtype=x.dtype)
    log_weight = (q - 1) * z + 1
    softplus_neg = log1p(exp(-abs_(x))) + maximum(-x, 0)
    return (1 - z) * x + log_weight * softplus_neg


def log_poisson_loss(targets, log_input, compute_full_loss=False, name=None) -> Tensor:
    """``exp(log_input) - log_input * targets`` (plus Stirling's term with
    ``compute_full_loss``)."""
    from .math import where
    from .unary import exp, log

    c = _float(log_input, "log_poisson_loss")
    z = as_tensor(targets, device=c._device, dtype=c.dtype)
    loss = exp(c) - c * z
    if compute_full_loss:
        safe = where(z > 1, z, z * 0 + 1)
        stirling = safe * log(safe) - safe + 0.5 * log(safe * 6.283185307179586)
        loss = loss + where(z > 1, stirling, z * 0)
    return loss


def batch_normalization(x, mean, variance, offset, scale, variance_epsilon, name=None) -> Tensor:
    """``scale * (x - mean) / sqrt(variance + eps) + offset`` (offset/scale may be None)."""
    from .unary import rsqrt

    t = _float(x, "batch_normalization")

    def on_x(value):
        return None if value is None else as_tensor(value, device=t._device, dtype=t.dtype)

    mean, variance, offset, scale = on_x(mean), on_x(variance), on_x(offset), on_x(scale)
    inv = rsqrt(variance + variance_epsilon)
    if scale is not None:
        inv = inv * scale
    out = (t - mean) * inv
    return out + offset if offset is not None else out


def normalize_moments(counts, mean_ss, variance_ss, shift, name=None):
    """``(mean, variance)`` from sufficient statistics (sums and sums of squares)."""
    from .unary import square

    divisor = 1 / as_tensor(counts)
    shifted_mean = mean_ss * divisor
    mean = shifted_mean + shift if shift is not None else shifted_mean
    variance = variance_ss * divisor - square(shifted_mean)
    return mean, variance


def compute_average_loss(
    per_example_loss, sample_weight=None, global_batch_size=None, name=None
) -> Tensor:
    """The sum of (weighted) per-example losses divided by the global batch size (by
    default this replica's batch times the replicas in sync, as TF).

    Raises:
        RuntimeError: without ``global_batch_size`` in a strategy's cross-replica context
            (inside ``scope()``, outside ``run``), as TF.
    """
    from ..distribute import replica_context
    from .reduce import reduce_sum

    loss = _float(per_example_loss, "compute_average_loss")
    if sample_weight is not None:
        loss = loss * sample_weight
    batch = global_batch_size
    if batch is None and loss.ndim:
        batch = loss.shape[0] * replica_context.replicas_here("compute_average_loss")
    batch = (
        1
        if batch is None
        else as_int("compute_average_loss", "global_batch_size", batch, minimum=1)
    )
    return reduce_sum(loss) * (1.0 / batch)


def space_to_depth(input, block_size, data_format="NHWC", name=None) -> Tensor:  # noqa: A002
    """Blocks of ``block_size x block_size`` pixels moved into channels (NHWC)."""
    from .shape import reshape, transpose

    x = as_tensor(input)
    b = as_int("space_to_depth", "block_size", block_size, minimum=2)
    if x.ndim != 4 or x.shape[1] % b or x.shape[2] % b:
        raise invalid_argument(
            "space_to_depth",
            f"expected [N, H, W, C] with H and W divisible by {b}, received shape {tuple(x.shape)}",
        )
    n, h, w, c = x.shape
    y = reshape(x, [n, h // b, b, w // b, b, c])
    return reshape(transpose(y, [0, 1, 3, 2, 4, 5]), [n, h // b, w // b, b * b * c])


def depth_to_space(input, block_size, data_format="NHWC", name=None) -> Tensor:  # noqa: A002
    """The inverse of :func:`space_to_depth`."""
    from .shape import reshape, transpose

    x = as_tensor(input)
    b = as_int("depth_to_space", "block_size", block_size, minimum=2)
    if x.ndim != 4 or x.shape[3] % (b * b):
        raise invalid_argument(
            "depth_to_space",
            f"expected [N, H, W, C] with C divisible by {b * b}, received shape {tuple(x.shape)}",
        )
    n, h, w, c = x.shape
    y = reshape(x, [n, h, w, b, b, c // (b * b)])
    return reshape(transpose(y, [0, 1, 3, 2, 4, 5]), [n, h * b, w * b, c // (b * b)])
