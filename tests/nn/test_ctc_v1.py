"""tf.compat.v1.nn.ctc_loss: TF 1's signature (SparseTensor labels, ``inputs``/``logits``,
``sequence_length``, the blank last); values from TensorFlow 2.21 written in as literals."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf
from gpuflow.errors import InvalidArgumentError

LOGITS = np.random.default_rng(0).normal(size=(6, 2, 5)).astype(np.float32)


def _sparse(rows):
    dense = gf.constant(rows, dtype=gf.int64)
    return gf.cast(gf.sparse.from_dense(dense), gf.int32)


def test_v1_ctc_loss_values_and_gradient_as_tensorflow():
    logits = gf.constant(LOGITS)
    labels = _sparse([[1, 2, 2, 0], [3, 3, 0, 0]])
    with gf.GradientTape() as tape:
        tape.watch(logits)
        loss = gf.compat.v1.nn.ctc_loss(labels=labels, inputs=logits, sequence_length=[6, 5])
    grad = tape.gradient(loss, logits)
    np.testing.assert_allclose(loss.numpy(), [7.5188, 5.2281], atol=1e-3)
    np.testing.assert_allclose(
        grad.numpy()[0, 0], [0.2024, -0.5069, 0.3386, 0.1982, -0.2323], atol=1e-3
    )
    batch_major = gf.compat.v1.nn.ctc_loss(
        labels, logits=np.transpose(LOGITS, (1, 0, 2)), sequence_length=[6, 6], time_major=False
    )
    np.testing.assert_allclose(batch_major.numpy(), [7.5188, 7.1194], atol=1e-3)
    collapsed = gf.compat.v1.nn.ctc_loss(labels, logits, [6, 6], preprocess_collapse_repeated=True)
    np.testing.assert_allclose(collapsed.numpy(), [5.352, 7.8029], atol=1e-3)


def test_v1_ctc_loss_longer_labels_than_frames():
    labels = _sparse([[1, 2, 1, 2, 1, 2, 3], [1, 1, 1, 1, 1, 0, 0]])
    # row 0 has 7 labels for 6 frames (ignored: 0); row 1 needs 9 frames only through its
    # repeats, which TF does not count: inf
    loss = gf.compat.v1.nn.ctc_loss(labels, LOGITS, [6, 6], ignore_longer_outputs_than_inputs=True)
    assert loss.numpy().tolist() == [0.0, np.inf]
    with pytest.raises(InvalidArgumentError, match=r"required: 7, available: 6"):
        gf.compat.v1.nn.ctc_loss(labels, LOGITS, [6, 6])


def test_v1_ctc_loss_argument_errors_and_namespace():
    with pytest.raises(TypeError, match="Expected argument `labels` to be a SparseTensor"):
        gf.compat.v1.nn.ctc_loss(np.array([[1, 2]]), LOGITS, [6, 6])
    with pytest.raises(ValueError, match="ctc_merge_repeated=False"):
        gf.compat.v1.nn.ctc_loss(_sparse([[1], [2]]), LOGITS, [6, 6], ctc_merge_repeated=False)
    assert gf.compat.v1.nn.relu is gf.nn.relu
    assert gf.compat.v1.nn.ctc_loss is not gf.nn.ctc_loss
