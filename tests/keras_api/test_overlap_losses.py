"""losses.Dice, Tversky, CategoricalGeneralizedCrossEntropy: values tf.keras 3.15 gave for
the same inputs (recorded in /work/tfvenv), NumPy formulas, config and training use."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf

L = gf.keras.losses
Y_TRUE = np.array([[1, 0, 1, 1], [0, 0, 1, 0]], "float32")
Y_PRED = np.array([[0.9, 0.2, 0.6, 0.3], [0.1, 0.4, 0.8, 0.2]], "float32")
PROBS = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]], "float32")


def test_values_recorded_from_keras():
    assert float(L.Dice()(Y_TRUE, Y_PRED)) == pytest.approx(0.3066666, rel=1e-5)
    assert float(L.Dice(axis=1)(Y_TRUE, Y_PRED)) == pytest.approx(0.32, rel=1e-5)
    np.testing.assert_allclose(L.dice(Y_TRUE, Y_PRED, axis=1).numpy(), [0.28, 0.36], rtol=1e-5)
    assert float(L.Tversky(0.3, 0.7)(Y_TRUE, Y_PRED)) == pytest.approx(0.2876712, rel=1e-5)
    np.testing.assert_allclose(
        L.tversky(Y_TRUE, Y_PRED, alpha=0.3, beta=0.7, axis=1).numpy(),
        [0.21739131, 0.40740746],
        rtol=1e-5,
    )
    gce = L.CategoricalGeneralizedCrossEntropy(q=0.3)
    assert float(gce(np.array([0, 2]), PROBS)) == pytest.approx(0.40593225, rel=1e-5)


def test_against_numpy_formulas():
    t, p = Y_TRUE.astype("float64"), Y_PRED.astype("float64")
    dice = 1 - 2 * (t * p).sum() / (t.sum() + p.sum() + 1e-7)
    assert float(L.dice(Y_TRUE, Y_PRED)) == pytest.approx(dice, rel=1e-5)
    tp, fp, fn = (t * p).sum(1), ((1 - p) * t).sum(1), (p * (1 - t)).sum(1)
    np.testing.assert_allclose(
        L.tversky(Y_TRUE, Y_PRED, 0.2, 0.8, axis=1).numpy(),
        1 - tp / (tp + 0.2 * fp + 0.8 * fn + 1e-7),
        rtol=1e-5,
    )
    p_y = PROBS[[0, 1], [1, 0]].astype("float64")
    np.testing.assert_allclose(
        L.categorical_generalized_cross_entropy(np.array([1, 0]), PROBS, q=0.5).numpy(),
        (1 - p_y**0.5) / 0.5,
        rtol=1e-5,
    )


def test_config_lookup_and_errors():
    assert L.Tversky(alpha=0.1).get_config() == {
        "name": "tversky",
        "reduction": "sum_over_batch_size",
        "alpha": 0.1,
        "beta": 0.5,
        "axis": None,
    }
    assert L.get("dice") is L.dice and isinstance(L.get("Tversky"), L.Tversky)
    assert isinstance(L.as_loss("dice"), L.Dice)
    again = L.deserialize(L.serialize(L.CategoricalGeneralizedCrossEntropy(q=0.2)))
    assert isinstance(again, L.CategoricalGeneralizedCrossEntropy) and again.q == 0.2
    with pytest.raises(ValueError, match=r"q must be in the interval \(0, 1\)"):
        L.CategoricalGeneralizedCrossEntropy(q=1.0)


def test_dice_trains_a_segmenter():
    rng = np.random.default_rng(0)
    x = rng.uniform(size=(32, 8, 8, 1)).astype("float32")
    y = (x > 0.5).astype("float32")
    model = gf.keras.Sequential(
        [gf.keras.Input((8, 8, 1)), gf.keras.layers.Conv2D(1, 1, activation="sigmoid")]
    )
    model.compile(optimizer=gf.keras.optimizers.Adam(0.1), loss=L.Dice(axis=(1, 2, 3)))
    history = model.fit(x, y, epochs=15, batch_size=8, verbose=0)
    assert history.history["loss"][-1] < 0.75 * history.history["loss"][0]
