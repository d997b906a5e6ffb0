"""keras.losses.ctc / CTC: values computed by tensorflow-cpu 2.21 (Keras 3.15) for the
same inputs (a seeded NumPy generator)."""

import numpy as np
import pytest

import gpuflow as tf


def _inputs():
    rng = np.random.default_rng(0)
    y_pred = rng.standard_normal((2, 6, 5)).astype("float32")
    y_true = np.array([[1, 2, 2, 0], [3, 4, 0, 0]])
    return y_true, y_pred


def test_ctc_equals_keras():
    y_true, y_pred = _inputs()
    np.testing.assert_allclose(
        tf.keras.losses.ctc(y_true, y_pred).numpy(),
        [8.370888710021973, 6.543844699859619],
        rtol=1e-5,
    )
    assert float(tf.keras.losses.CTC()(y_true, y_pred)) == pytest.approx(
        7.457366943359375, rel=1e-5
    )
    assert tf.keras.losses.CTC().get_config() == {"name": "ctc", "reduction": "sum_over_batch_size"}


def test_ctc_trains_a_model():
    y_true, y_pred = _inputs()
    logits = tf.Variable(y_pred)
    loss_fn = tf.keras.losses.CTC()
    opt = tf.keras.optimizers.Adam(0.1)
    first = None
    for _ in range(20):
        with tf.GradientTape() as tape:
            loss = loss_fn(y_true, logits)
        first = float(loss) if first is None else first
        opt.apply_gradients([(tape.gradient(loss, logits), logits)])
    assert float(loss_fn(y_true, logits)) < 0.5 * first


def test_ctc_shape_errors():
    with pytest.raises(ValueError, match=r"ctc: targets `y_true`.*received y_true.shape=\(2,\)"):
        tf.keras.losses.ctc(np.array([1, 2]), np.zeros((2, 3, 4), np.float32))
    with pytest.raises(ValueError, match=r"ctc: `y_pred`.*received y_pred.shape=\(2, 3\)"):
        tf.keras.losses.ctc(np.array([[1], [2]]), np.zeros((2, 3), np.float32))
