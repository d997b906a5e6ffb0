"""``tf.approx_top_k``: the raw op behind ``tf.math.approx_max_k`` / ``approx_min_k``,
with its own argument names (``input``, ``reduction_dimension``, ``is_max_k``).

gpuflow returns the exact top-k, which TensorFlow documents as a valid result of every
``recall_target``."""

from __future__ import annotations

from .special_more import ApproxTopK, _approx_top_k


def approx_top_k(
    input,  # noqa: A002 - TensorFlow's name
    k,
    reduction_dimension=-1,
    recall_target=0.95,
    is_max_k=True,
    reduction_input_size_override=-1,
    aggregate_to_topk=True,
    name=None,
) -> ApproxTopK:
    """``(values, indices)`` of the ``k`` largest (``is_max_k``) or smallest entries along
    ``reduction_dimension``, sorted, with int32 indices."""
    return _approx_top_k("approx_top_k", input, k, reduction_dimension, bool(is_max_k))
