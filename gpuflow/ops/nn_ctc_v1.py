"""``tf.compat.v1.nn.ctc_loss``: TF 1's signature (SparseTensor labels, time-major
``inputs``, ``sequence_length``; the blank is the last class) over the one CTC loss of
:mod:`gpuflow.ops.nn_ctc`."""

from __future__ import annotations

import numpy as np

from ..symbolic_scope import in_symbolic_scope
from ..tensor import Tensor
from ._common import as_tensor, invalid_argument
from .creation import zeros_like
from .nn_ctc import ctc_loss as _ctc_loss
from .select import where


def _collapsed(labels):
    """``labels`` (a SparseTensor) with each run of a repeated label kept once per row."""
    from ..sparse import SparseTensor

    indices = np.asarray(labels.indices.numpy(), dtype=np.int64).reshape(-1, 2)
    values = np.asarray(labels.values.numpy())
    order = np.lexsort((indices[:, 1], indices[:, 0])) if len(values) else np.zeros(0, int)
    kept_idx, kept_val, row, col, prev = [], [], None, 0, None
    for i in order:
        r, v = int(indices[i, 0]), values[i]
        if r != row:
            row, col, prev = r, 0, None
        if v != prev:
            kept_idx.append([r, col])
            kept_val.append(v)
            col += 1
        prev = v
    return SparseTensor(
        np.asarray(kept_idx, dtype=np.int64).reshape(-1, 2),
        Tensor(np.asarray(kept_val, dtype=values.dtype)),
        labels.dense_shape,
    )


def ctc_loss(
    labels,
    inputs=None,
    sequence_length=None,
    preprocess_collapse_repeated=False,
    ctc_merge_repeated=True,
    ignore_longer_outputs_than_inputs=False,
    time_major=True,
    logits=None,
) -> Tensor:
    """The CTC negative log-likelihood of each sequence, ``[batch]``, TF 1's way.

    Args:
        labels: a SparseTensor of int labels in ``[0, num_classes - 1)``.
        inputs (or its old name ``logits``): unnormalised scores ``[max_time, batch,
            num_classes]`` (``[batch, max_time, num_classes]`` with ``time_major=False``);
            the last class is the blank.
        sequence_length: ``[batch]`` number of valid frames of each sequence.
        preprocess_collapse_repeated: merge repeated labels before the loss.
        ignore_longer_outputs_than_inputs: a sequence with more labels than frames gives a
            loss of 0 (else InvalidArgumentError); one that needs more frames only through
            repeated labels gives ``inf``, as TensorFlow.

    Raises:
        TypeError: when ``labels`` is not a SparseTensor.
        ValueError: for ``ctc_merge_repeated=False`` (not implemented by gpuflow) or both
            ``inputs`` and ``logits``.
    """
    from ..sparse import SparseTensor

    if not isinstance(labels, SparseTensor):
        raise TypeError(
            "Expected argument `labels` to be a SparseTensor. "
            f"Received labels={labels} of type: {type(labels).__name__}"
        )
    if inputs is not None and logits is not None:
        raise ValueError("Cannot specify both 'logits' and 'inputs'")
    inputs = logits if inputs is None else inputs
    if not ctc_merge_repeated:
        raise ValueError(
            "ctc_loss: ctc_merge_repeated=False is not implemented by gpuflow "
            "(the default, True, is)"
        )
    if sequence_length is None:
        raise invalid_argument("ctc_loss", "sequence_length is required")
    x = as_tensor(inputs)
    if preprocess_collapse_repeated:
        labels = _collapsed(labels)
    frames = as_tensor(sequence_length)
    too_long = _longer_than_inputs(labels, frames, ignore_longer_outputs_than_inputs)
    loss = _ctc_loss(
        labels,
        x,
        None,
        sequence_length,
        logits_time_major=bool(time_major),
        blank_index=x.shape[-1] - 1,
    )
    if too_long is not None:
        loss = where(too_long, zeros_like(loss), loss)
    return loss


def _longer_than_inputs(labels, frames, ignore):
    """Which sequences have more labels than frames (a bool Tensor, for ``ignore``), as
    TF's CTCLoss kernel counts them; without ``ignore`` such a sequence raises."""
    if in_symbolic_scope():  # zero probes of a symbolic trace: only shapes matter
        return None
    shape = labels.dense_shape
    batch = int(np.asarray(shape.numpy() if isinstance(shape, Tensor) else shape)[0])
    rows = np.asarray(labels.indices.numpy(), dtype=np.int64).reshape(-1, 2)[:, 0]
    counts = np.bincount(rows, minlength=batch)[:batch]
    available = np.asarray(frames.numpy()).reshape(-1)
    longer = counts > available
    if ignore:
        return Tensor(longer)
    if longer.any():
        i = int(np.argmax(longer))
        raise invalid_argument(
            "ctc_loss",
            f"Not enough time for target transition sequence (required: {int(counts[i])}, "
            f"available: {int(available[i])}), batch element {i}; pass "
            "ignore_longer_outputs_than_inputs=True to give such sequences a loss of 0",
        )
    return None
