"""Sampled losses of ``tf.nn``: ``nce_loss`` and ``sampled_softmax_loss``, built as
TensorFlow builds them (``_compute_sampled_logits``): the true and the sampled classes'
logits from rows of ``weights`` and ``biases``, each less the log of its expected count,
accidental hits pushed to ``-FLT_MAX``; then a sigmoid (NCE) or softmax cross-entropy.
Gradients reach ``weights``, ``biases`` and ``inputs`` through the differentiable ops."""

from __future__ import annotations

import numpy as np

from ..random_samplers import compute_accidental_hits, log_uniform_candidate_sampler
from ..tensor import Tensor
from ._common import as_tensor, invalid_argument


def _params(value, op):
    if isinstance(value, (list, tuple)):
        if len(value) != 1:
            raise invalid_argument(
                op, f"sharded {op} parameters (a list of {len(value)} tensors) are not supported"
            )
        value = value[0]
    return as_tensor(value)


def _sampled_logits(
    weights,
    biases,
    labels,
    inputs,
    num_sampled,
    num_classes,
    num_true,
    sampled_values,
    remove_accidental_hits,
    seed,
    op,
):
    from .creation import constant
    from .indexing import gather
    from .linalg import matmul
    from .math import cast, log
    from .reduce import reduce_sum
    from .shape import concat, expand_dims, reshape

    w, b, x = _params(weights, op), _params(biases, op), as_tensor(inputs)
    lab = as_tensor(labels).numpy()
    if lab.ndim == 1:
        lab = lab.reshape(-1, 1)
    if lab.ndim != 2 or lab.shape[1] != int(num_true) or lab.dtype.kind not in "iu":
        raise invalid_argument(
            op,
            f"labels must be integers of shape [batch, num_true={num_true}], received "
            f"{lab.dtype.name} {lab.shape}",
        )
    if x.ndim != 2 or w.ndim != 2 or w.shape[1] != x.shape[1] or lab.shape[0] != x.shape[0]:
        raise invalid_argument(
            op,
            f"expected inputs [batch, dim], weights [num_classes, dim] and labels [batch, "
            f"num_true] with the same batch and dim, received {tuple(x.shape)}, "
            f"{tuple(w.shape)} and {lab.shape}",
        )
    if sampled_values is None:
        sampled_values = log_uniform_candidate_sampler(
            lab, num_true, num_sampled, True, num_classes, seed=seed
        )
    sampled, true_expected, sampled_expected = (as_tensor(v) for v in sampled_values)
    sampled_ids = sampled.numpy().astype(np.int64).reshape(-1)
    all_ids = constant(np.concatenate([lab.reshape(-1), sampled_ids]), device=x._device)
    n_true = lab.size
    all_w = gather(w, all_ids)
    all_b = gather(b, all_ids)
    true_w, sampled_w = all_w[:n_true], all_w[n_true:]
    true_b, sampled_b = all_b[:n_true], all_b[n_true:]
    sampled_logits = matmul(x, sampled_w, transpose_b=True) + sampled_b
    dots = expand_dims(x, 1) * reshape(true_w, (-1, int(num_true), w.shape[1]))
    true_logits = reduce_sum(dots, axis=2) + reshape(true_b, (-1, int(num_true)))
    if remove_accidental_hits:
        rows, ids, hit = compute_accidental_hits(lab, sampled_ids, num_true)
        mask = np.zeros((lab.shape[0], sampled_ids.size), dtype=x.dtype.as_numpy_dtype)
        mask[rows.numpy(), ids.numpy()] = hit.numpy().astype(mask.dtype)
        sampled_logits = sampled_logits + constant(mask, device=x._device)
    true_logits = true_logits - log(cast(true_expected, x.dtype))
    sampled_logits = sampled_logits - log(cast(sampled_expected, x.dtype))
    logits = concat([true_logits, sampled_logits], 1)
    targets = np.concatenate(
        [
            np.full(true_logits.shape, 1.0 / int(num_true)),
            np.zeros(sampled_logits.shape),
        ],
        axis=1,
    ).astype(x.dtype.as_numpy_dtype)
    return logits, constant(targets, device=x._device)


def nce_loss(
    weights,
    biases,
    labels,
    inputs,
    num_sampled,
    num_classes,
    num_true=1,
    sampled_values=None,
    remove_accidental_hits=False,
    name="nce_loss",
) -> Tensor:
    """Noise-contrastive estimation loss per example, shape ``[batch]``: sigmoid
    cross-entropy of the true classes against ``num_sampled`` sampled ones (log-uniform
    unless ``sampled_values`` gives a sampler's result)."""
    from .nn import sigmoid_cross_entropy_with_logits
    from .reduce import reduce_sum

    logits, targets = _sampled_logits(
        weights,
        biases,
        labels,
        inputs,
        num_sampled,
        num_classes,
        num_true,
        sampled_values,
        remove_accidental_hits,
        None,
        "nce_loss",
    )
    return reduce_sum(sigmoid_cross_entropy_with_logits(labels=targets, logits=logits), axis=1)


def sampled_softmax_loss(
    weights,
    biases,
    labels,
    inputs,
    num_sampled,
    num_classes,
    num_true=1,
    sampled_values=None,
    remove_accidental_hits=True,
    seed=None,
    name="sampled_softmax_loss",
) -> Tensor:
    """Softmax cross-entropy over the true classes and ``num_sampled`` sampled ones, per
    example (shape ``[batch]``): a cheap training stand-in for the full softmax."""
    from .nn import softmax_cross_entropy_with_logits

    logits, targets = _sampled_logits(
        weights,
        biases,
        labels,
        inputs,
        num_sampled,
        num_classes,
        num_true,
        sampled_values,
        remove_accidental_hits,
        seed,
        "sampled_softmax_loss",
    )
    return softmax_cross_entropy_with_logits(labels=targets, logits=logits)


__all__ = ["nce_loss", "sampled_softmax_loss"]
