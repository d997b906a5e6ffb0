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


class _CTCEndpoint(tf.keras.layers.Layer):
    """keras.io captcha OCR's endpoint: the labels are a model input, the loss an add_loss."""

    def call(self, y_true, y_pred):
        batch = tf.keras.ops.shape(y_true)[0]
        target_length = tf.keras.ops.shape(y_true)[1] * tf.keras.ops.ones((batch,), "int32")
        output_length = tf.keras.ops.shape(y_pred)[1] * tf.keras.ops.ones((batch,), "int32")
        labels = tf.keras.ops.cast(y_true, "int32")
        loss = tf.keras.ops.ctc_loss(labels, y_pred, target_length, output_length, mask_index=0)
        self.add_loss(tf.keras.ops.mean(loss))
        return y_pred


def test_ctc_endpoint_layer_on_keras_inputs_builds_and_trains():
    # the symbolic call runs on zero probes: labels all equal to the blank must not be refused
    image = tf.keras.Input((6, 3), name="image")
    labels = tf.keras.Input((None,), name="label", dtype="float32")
    logits = tf.keras.layers.Dense(5)(image)
    out = _CTCEndpoint()(labels, logits)
    model = tf.keras.Model([image, labels], out)
    assert model.output_shape == (None, 6, 5)
    model.compile(optimizer=tf.keras.optimizers.Adam(0.05))
    rng = np.random.default_rng(1)
    x = rng.standard_normal((8, 6, 3)).astype("float32")
    y = rng.integers(1, 5, (8, 2)).astype("float32")
    history = model.fit({"image": x, "label": y}, epochs=5, batch_size=4, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    # outside the symbolic stage a blank label is still an error
    with pytest.raises(tf.errors.InvalidArgumentError, match="differ from the blank 0"):
        model({"image": x[:2], "label": np.zeros((2, 2), "float32")})
