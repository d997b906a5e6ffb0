"""Keras 3's CTC loss: ``keras.losses.ctc`` / ``keras.losses.CTC`` over ``tf.nn.ctc_loss``.

``y_true``: ``[batch, max_label_length]`` integer labels padded with 0 (0 is the blank
and the padding, as Keras); ``y_pred``: ``[batch, time, classes]`` logits. Every sequence
uses all ``time`` steps; a label's length is its count of non-zero ids.
"""

from __future__ import annotations

from ..ops._common import as_tensor
from ..ops.math import cast, not_equal
from ..ops.nn_ctc import ctc_loss
from ..ops.reduce import reduce_sum
from ..tensor import Tensor
from .classes import Loss, LossFunctionWrapper


def ctc(y_true, y_pred) -> Tensor:
    """The CTC loss of each sample, shape ``[batch]``."""
    labels, logits = as_tensor(y_true), as_tensor(y_pred)
    if labels.ndim != 2:
        raise ValueError(
            "ctc: targets `y_true` are expected to be a tensor of shape `(batch_size, "
            f"max_length)` in integer format, received y_true.shape={tuple(labels.shape)}"
        )
    if logits.ndim != 3:
        raise ValueError(
            "ctc: `y_pred` is expected to be a tensor of shape `(batch_size, max_length, "
            f"num_classes)`, received y_pred.shape={tuple(logits.shape)}"
        )
    batch, steps = logits.shape[0], logits.shape[1]
    labels = cast(labels, "int32")
    label_length = reduce_sum(cast(not_equal(labels, 0), "int32"), axis=-1)
    logit_length = Tensor([steps] * batch, dtype="int32")
    return ctc_loss(
        labels, logits, label_length, logit_length, logits_time_major=False, blank_index=0
    )


class CTC(LossFunctionWrapper):
    """:func:`ctc` as a Loss (mean over the batch by default)."""

    def __init__(self, reduction="sum_over_batch_size", name="ctc", dtype=None):
        super().__init__(ctc, reduction=reduction, name=name, dtype=dtype)

    def get_config(self) -> dict:
        return Loss.get_config(self)
