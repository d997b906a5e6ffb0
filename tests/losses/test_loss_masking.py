"""Predictions carrying a Keras mask (Embedding(mask_zero=True), Masking) weigh losses and
metrics by that mask, as Keras 3: padded steps count for nothing."""

import warnings

import numpy as np
import pytest

import gpuflow as tf

keras = tf.keras
X = np.array([[1, 2, 3, 0, 0], [4, 5, 0, 0, 0]])
MASK = (X != 0).astype("float32")
Y = np.random.default_rng(0).random((2, 5, 1)).astype("float32")


def _masked(values):
    t = tf.constant(values)
    t._keras_mask = tf.constant(MASK > 0)
    return t


def test_loss_averages_over_unmasked_steps_only():
    pred = np.arange(10, dtype="float32").reshape(2, 5, 1) / 10
    se = (pred[..., 0] - Y[..., 0]) ** 2
    got = keras.losses.MeanSquaredError()(Y, _masked(pred))
    np.testing.assert_allclose(float(got), (se * MASK).sum() / MASK.sum(), rtol=1e-6)
    summed = keras.losses.MeanSquaredError(reduction="sum")(Y, _masked(pred))
    np.testing.assert_allclose(float(summed), (se * MASK).sum(), rtol=1e-6)
    w = np.array([1.0, 3.0], dtype="float32")
    weighted = keras.losses.MeanSquaredError()(Y, _masked(pred), sample_weight=w)
    want = (se * MASK * w[:, None]).sum() / MASK.sum()
    np.testing.assert_allclose(float(weighted), want, rtol=1e-6)
    # without the mask: the plain mean over all steps
    plain = keras.losses.MeanSquaredError()(Y, tf.constant(pred))
    np.testing.assert_allclose(float(plain), se.mean(), rtol=1e-6)


def test_all_masked_gives_zero_not_nan():
    t = tf.constant(np.ones((2, 5, 1), "float32"))
    t._keras_mask = tf.constant(np.zeros((2, 5), bool))
    assert float(keras.losses.MeanSquaredError()(Y, t)) == 0.0


def test_metric_averages_over_unmasked_steps_only():
    pred = np.arange(10, dtype="float32").reshape(2, 5, 1) / 10
    metric = keras.metrics.MeanAbsoluteError()
    metric.update_state(Y, _masked(pred))
    ae = np.abs(pred[..., 0] - Y[..., 0])
    np.testing.assert_allclose(float(metric.result()), (ae * MASK).sum() / MASK.sum(), rtol=1e-6)


def test_mask_that_does_not_fit_the_losses_is_an_error():
    t = tf.constant(np.ones((2, 5, 1), "float32"))
    t._keras_mask = tf.constant(np.ones((2, 4), bool))
    with pytest.raises(ValueError, match="mean_squared_error: the predictions' mask"):
        keras.losses.MeanSquaredError()(Y, t)


def test_function_loss_reduced_to_a_scalar_keeps_its_value_under_a_mask():
    # A compiled function loss that already averages (the NMT tutorials' masked_loss) on a
    # masked output: Keras 3 broadcasts the scalar over the mask's weights (total / kept),
    # so the reported loss is the function's value.
    inputs = keras.Input(shape=(None,), dtype="int32")
    outputs = keras.layers.Dense(1)(keras.layers.Embedding(6, 3, mask_zero=True)(inputs))
    model = keras.Model(inputs, outputs)

    def mean_prediction(y_true, y_pred):
        return tf.reduce_mean(y_pred)

    model.compile(loss=mean_prediction)
    want = float(tf.reduce_mean(model(X)))
    np.testing.assert_allclose(model.evaluate(X, Y, verbose=0), want, rtol=1e-5)


@pytest.mark.parametrize("run_eagerly", [True, False])
def test_fit_and_evaluate_use_the_output_mask(run_eagerly):
    inputs = keras.Input((5,), dtype="int32")
    e = keras.layers.Embedding(10, 4, mask_zero=True, embeddings_initializer="ones")(inputs)
    out = keras.layers.Dense(1, kernel_initializer="ones")(e)
    model = keras.Model(inputs, out)
    model.compile(loss="mse", optimizer="sgd", metrics=["mae"], run_eagerly=run_eagerly)
    se = (4.0 - Y[..., 0]) ** 2
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = model.evaluate(X, Y, verbose=0, return_dict=True)
    np.testing.assert_allclose(got["loss"], (se * MASK).sum() / MASK.sum(), rtol=1e-5)
    ae = np.abs(4.0 - Y[..., 0])
    np.testing.assert_allclose(got["mae"], (ae * MASK).sum() / MASK.sum(), rtol=1e-5)
    history = model.fit(X, Y, epochs=1, verbose=0).history
    np.testing.assert_allclose(history["loss"][0], got["loss"], rtol=1e-5)
