"""callbacks.SwapEMAWeights: validation runs on the moving averages; the values below are
what tf.keras 3.15 gives for the same run (recorded in /work/tfvenv)."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf

keras = gf.keras


def _run(swap_on_epoch):
    x = np.random.default_rng(0).normal(size=(16, 3)).astype("float32")
    y = x.sum(1, keepdims=True) * 2
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, kernel_initializer="ones")])
    model.compile(keras.optimizers.SGD(0.1, use_ema=True, ema_momentum=0.5), "mse")
    seen = []

    class Record(keras.callbacks.Callback):
        def on_test_begin(self, logs=None):
            seen.append(("test", self.model.get_weights()[0].ravel().copy()))

        def on_epoch_end(self, epoch, logs=None):
            seen.append(("end", self.model.get_weights()[0].ravel().copy()))

    history = model.fit(
        x,
        y,
        epochs=2,
        batch_size=8,
        shuffle=False,
        verbose=0,
        validation_data=(x, y),
        callbacks=[keras.callbacks.SwapEMAWeights(swap_on_epoch=swap_on_epoch), Record()],
    )
    return model, history, seen


EMA_1 = [1.4732613563537598, 1.1833078861236572, 1.2213284969329834]
EMA_2 = [1.7149863243103027, 1.333268642425537, 1.4164958000183105]
RAW_1 = [1.536778450012207, 1.242917776107788, 1.3266336917877197]


def test_validation_sees_the_averages():
    model, history, seen = _run(False)
    np.testing.assert_allclose(history.history["val_loss"], [1.36357, 0.66276], atol=1e-5)
    np.testing.assert_allclose(seen[0][1], EMA_1, rtol=1e-6)
    np.testing.assert_allclose(seen[1][1], RAW_1, rtol=1e-6)  # swapped back after validation
    np.testing.assert_allclose(seen[2][1], EMA_2, rtol=1e-6)
    np.testing.assert_allclose(model.get_weights()[0].ravel(), EMA_2, rtol=1e-6)


def test_swap_on_epoch_keeps_the_averages_for_later_callbacks():
    model, _, seen = _run(True)
    np.testing.assert_allclose(seen[1][1], EMA_1, rtol=1e-6)  # epoch end: the averages
    np.testing.assert_allclose(seen[3][1], EMA_2, rtol=1e-6)
    np.testing.assert_allclose(model.get_weights()[0].ravel(), EMA_2, rtol=1e-6)


def test_needs_an_ema_optimizer():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    with pytest.raises(ValueError, match="use_ema=True"):
        model.fit(
            np.ones((4, 2)),
            np.ones((4, 1)),
            validation_data=(np.ones((4, 2)), np.ones((4, 1))),
            verbose=0,
            callbacks=[keras.callbacks.SwapEMAWeights()],
        )
