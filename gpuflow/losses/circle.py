"""Keras 3's Circle loss (Sun et al., 2020) for metric learning: ``keras.losses.circle`` /
``keras.losses.Circle`` over integer labels and L2-normalized embeddings."""

from __future__ import annotations

import numpy as np

from ..ops._common import as_tensor
from ..ops.linalg import matmul
from ..ops.math import cast, equal, logical_and, logical_not, maximum
from ..ops.nn import softplus
from ..ops.reduce import reduce_logsumexp
from ..ops.select import where
from ..ops.shape import reshape, transpose
from ..tensor import Tensor
from . import _checks
from .classes import Loss, LossFunctionWrapper


def _pos_neg_masks(query_labels, key_labels, remove_diagonal: bool):
    """Keras' ``build_pos_neg_masks``: same label (less the diagonal) and other label."""
    query = reshape(query_labels, (-1, 1))
    key = reshape(key_labels, (-1, 1))
    positive = equal(query, transpose(key))
    negative = logical_not(positive)
    if remove_diagonal:
        rows, cols = positive.shape
        off_diagonal = Tensor(~np.eye(rows, cols, dtype=bool), device=positive._device)
        positive = logical_and(positive, off_diagonal)
    return positive, negative


def circle(
    y_true,
    y_pred,
    ref_labels=None,
    ref_embeddings=None,
    remove_diagonal=True,
    gamma=80,
    margin=0.4,
) -> Tensor:
    """The Circle loss of each sample (shape ``[batch]``), as Keras 3.

    Args:
        y_true: integer labels, shape ``[batch]`` or ``[batch, 1]``.
        y_pred: L2-normalized embeddings, shape ``[batch, dim]``.
        ref_labels, ref_embeddings: the reference set (default: the batch itself).
        remove_diagonal: leave each sample's similarity to itself out of its positives.
        gamma: the scale of the similarities; margin: the relaxation margin.

    A sample with no positive pair has loss 0 and is masked out of the mean, as Keras.
    """
    y_pred = _checks.prediction(y_pred, "circle")
    y_pred = _checks.to_compute(y_pred, _checks.compute_dtype(y_pred))
    if y_pred.ndim != 2:
        raise ValueError(
            "circle: `y_pred` must be a batch of embeddings of shape (batch_size, dim), "
            f"received shape {tuple(y_pred.shape)}"
        )
    labels = cast(as_tensor(y_true), "int32")
    if labels.size != y_pred.shape[0]:
        raise ValueError(
            f"circle: expected one integer label per embedding ({y_pred.shape[0]}), received "
            f"y_true of shape {tuple(labels.shape)}"
        )
    ref = y_pred if ref_embeddings is None else as_tensor(ref_embeddings, dtype=y_pred.dtype)
    ref_labels = labels if ref_labels is None else cast(as_tensor(ref_labels), "int32")
    distances = maximum(1.0 - matmul(y_pred, transpose(ref)), 0.0)
    positive, negative = _pos_neg_masks(labels, ref_labels, remove_diagonal)
    pos_weights = maximum((margin + distances) * cast(positive, distances.dtype), 0.0)
    neg_weights = maximum((1.0 + margin - distances) * cast(negative, distances.dtype), 0.0)
    pos_scores = -1.0 * gamma * pos_weights * (margin - distances)
    neg_scores = gamma * neg_weights * ((1.0 - margin) - distances)
    p_loss = reduce_logsumexp(where(positive, pos_scores, float("-inf")), axis=1)
    n_loss = reduce_logsumexp(where(negative, neg_scores, float("-inf")), axis=1)
    loss = softplus(p_loss + n_loss)
    loss._keras_mask = loss > 0  # as Keras: samples without a positive pair are left out
    return loss


class Circle(LossFunctionWrapper):
    """:func:`circle` as a Loss (gamma 80, margin 0.4, diagonal removed, as Keras 3)."""

    def __init__(
        self,
        gamma=80.0,
        margin=0.4,
        remove_diagonal=True,
        reduction="sum_over_batch_size",
        name="circle",
        dtype=None,
    ):
        super().__init__(
            circle,
            reduction=reduction,
            name=name,
            gamma=gamma,
            margin=margin,
            remove_diagonal=remove_diagonal,
            dtype=dtype,
        )
        self.gamma, self.margin, self.remove_diagonal = gamma, margin, remove_diagonal

    def get_config(self) -> dict:
        return {
            **Loss.get_config(self),
            "gamma": self.gamma,
            "margin": self.margin,
            "remove_diagonal": self.remove_diagonal,
        }
