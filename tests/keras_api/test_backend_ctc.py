"""keras.backend.ctc_batch_cost / ctc_decode / ctc_label_dense_to_sparse against
tensorflow-cpu 2.21 (ctc_backend_tf221.json, written by it from the same inputs)."""

import json
import os

import numpy as np
import pytest

import gpuflow as tf

REF = json.load(open(os.path.join(os.path.dirname(__file__), "ctc_backend_tf221.json")))
PROBS = np.array(REF["probs"], np.float32)
K = tf.keras.backend


def test_ctc_batch_cost():
    y_true = np.array([[1, 2, 2, 0], [3, 1, 0, 0]], "float32")
    cost = K.ctc_batch_cost(y_true, PROBS, np.array([[6], [5]]), np.array([[3], [2]]))
    assert tuple(cost.shape) == (2, 1)
    np.testing.assert_allclose(cost.numpy(), REF["cost"], rtol=1e-5)


def test_ctc_decode_greedy_and_beam():
    decoded, log_prob = K.ctc_decode(PROBS, np.array([6, 5]))
    assert decoded[0].numpy().tolist() == REF["greedy"]
    np.testing.assert_allclose(log_prob.numpy(), REF["greedy_lp"], rtol=1e-5)
    decoded, log_prob = K.ctc_decode(
        PROBS, np.array([6, 5]), greedy=False, beam_width=5, top_paths=2
    )
    assert [d.numpy().tolist() for d in decoded] == REF["beam"]
    np.testing.assert_allclose(log_prob.numpy(), REF["beam_lp"], rtol=1e-4)


def test_ctc_label_dense_to_sparse():
    st = K.ctc_label_dense_to_sparse(tf.constant([[1, 2, 2, 0], [3, 1, 0, 0]]), tf.constant([3, 2]))
    indices, values, shape = REF["sparse"]
    assert st.indices.numpy().tolist() == indices
    assert st.values.numpy().tolist() == values
    assert st.dense_shape.numpy().tolist() == shape
    with pytest.raises(ValueError, match="ctc_label_dense_to_sparse: labels must be"):
        K.ctc_label_dense_to_sparse(tf.constant([1, 2]), tf.constant([1]))
