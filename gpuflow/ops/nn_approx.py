"""``tf.nn.approx_max_k`` / ``approx_min_k``: TensorFlow computes these approximately on
TPUs only; on CPUs and GPUs they are the exact top-k, and so they are here (recall 1)."""

from __future__ import annotations

from ._common import as_tensor, invalid_argument


def _approx(op, operand, k, reduction_dimension, recall_target, largest):
    from .shape import transpose
    from .sorting import top_k

    x = as_tensor(operand)
    if not 0.0 < float(recall_target) <= 1.0:
        raise invalid_argument(op, f"recall_target must be in (0, 1], received {recall_target}")
    if x.ndim == 0:
        raise invalid_argument(op, "operand must have rank >= 1")
    axis = int(reduction_dimension) % x.ndim
    if not 1 <= int(k) <= x.shape[axis]:
        raise invalid_argument(op, f"k must be in [1, {x.shape[axis]}], received {k}")
    perm = [i for i in range(x.ndim) if i != axis] + [axis]
    moved = x if axis == x.ndim - 1 else transpose(x, perm)
    values, indices = top_k(moved if largest else -moved, int(k))
    if not largest:
        values = -values
    if axis != x.ndim - 1:
        back = [perm.index(i) for i in range(x.ndim)]
        values, indices = transpose(values, back), transpose(indices, back)
    return values, indices


def approx_max_k(
    operand,
    k,
    reduction_dimension=-1,
    recall_target=0.95,
    reduction_input_size_override=-1,
    aggregate_to_topk=True,
    name=None,
):
    """``(values, int32 indices)`` of the ``k`` largest entries along ``reduction_dimension``."""
    return _approx("approx_max_k", operand, k, reduction_dimension, recall_target, True)


def approx_min_k(
    operand,
    k,
    reduction_dimension=-1,
    recall_target=0.95,
    reduction_input_size_override=-1,
    aggregate_to_topk=True,
    name=None,
):
    """``(values, int32 indices)`` of the ``k`` smallest entries along ``reduction_dimension``."""
    return _approx("approx_min_k", operand, k, reduction_dimension, recall_target, False)


__all__ = ["approx_max_k", "approx_min_k"]
