"""Loss classes' constructor checks, config round trips, and lookup by name."""

from __future__ import annotations

import json

import numpy as np
import pytest

import gpuflow as gf
from gpuflow import losses

NEW = {
    "Huber": "huber",
    "LogCosh": "log_cosh",
    "KLDivergence": "kl_divergence",
    "Poisson": "poisson",
    "CosineSimilarity": "cosine_similarity",
    "Hinge": "hinge",
    "SquaredHinge": "squared_hinge",
    "CategoricalHinge": "categorical_hinge",
    "MeanAbsolutePercentageError": "mean_absolute_percentage_error",
    "MeanSquaredLogarithmicError": "mean_squared_logarithmic_error",
    "BinaryFocalCrossentropy": "binary_focal_crossentropy",
    "CategoricalFocalCrossentropy": "categorical_focal_crossentropy",
}


@pytest.mark.parametrize("cls", sorted(NEW))
def test_config_round_trip(cls):
    loss = getattr(losses, cls)(reduction="sum", name="custom")
    config = json.loads(json.dumps(losses.serialize(loss)))
    back = losses.deserialize(config)
    assert type(back) is type(loss) and back.get_config() == loss.get_config()
    assert back.reduction == "sum" and back.name == "custom"


@pytest.mark.parametrize("cls, fn", sorted(NEW.items()))
def test_get_by_class_or_function_name(cls, fn):
    assert type(losses.get(cls)).__name__ == cls
    assert type(losses.as_loss(fn)).__name__ == cls
    assert type(losses.as_loss(getattr(losses, fn))).__name__ == cls
    assert losses.get(fn) is getattr(losses, fn)  # Keras 3: a function's name, the function
    assert getattr(losses, cls)().name == ("huber_loss" if cls == "Huber" else fn)


def test_aliases():
    assert losses.as_loss("mape").name == "mean_absolute_percentage_error"
    assert losses.as_loss("msle").name == "mean_squared_logarithmic_error"
    assert losses.as_loss("kld").name == "kl_divergence"
    assert losses.get("kld") is losses.kl_divergence
    assert gf.keras.losses.Huber is losses.Huber


@pytest.mark.parametrize(
    "make, words",
    [
        (lambda: losses.Huber(delta=-1.0), ["Huber", "delta", "-1.0"]),
        (lambda: losses.Huber(reduction="average"), ["Huber", "reduction", "average"]),
        (lambda: losses.BinaryFocalCrossentropy(gamma=-2), ["BinaryFocalCrossentropy", "gamma"]),
        (
            lambda: losses.CategoricalFocalCrossentropy(label_smoothing=1.5),
            ["CategoricalFocalCrossentropy", "label_smoothing", "1.5"],
        ),
        (lambda: losses.CosineSimilarity(axis=True), ["CosineSimilarity", "axis", "True"]),
        (
            lambda: losses.BinaryCrossentropy(label_smoothing=-0.1),
            ["BinaryCrossentropy", "label_smoothing", "-0.1"],
        ),
        (
            lambda: losses.CategoricalCrossentropy(label_smoothing=2),
            ["CategoricalCrossentropy", "label_smoothing", "2"],
        ),
    ],
)
def test_bad_arguments_name_class_argument_and_value(make, words):
    with pytest.raises(ValueError) as err:
        make()
    assert all(w in str(err.value) for w in words), str(err.value)


def test_shape_mismatch_names_the_loss():
    with pytest.raises(ValueError, match=r"huber: y_true shape \(4, 3\) does not match"):
        losses.huber(np.zeros((4, 3)), np.zeros((4, 2)))
    with pytest.raises(ValueError, match="categorical_hinge: y_true shape"):
        losses.categorical_hinge(np.zeros((4, 3)), np.zeros((4, 2)))


def test_one_row_of_single_labels_broadcasts_over_the_outputs_as_keras():
    # Keras: (1,10) - (1,) broadcasts; (5,) labels for (5, 10) outputs stay an error here
    mse = losses.mean_squared_error(np.array([1.0]), np.zeros((1, 4), "float32"))
    assert mse.shape == (1,) and float(mse[0]) == 1.0
    mae = losses.mean_absolute_error(np.array([[2.0]]), np.zeros((1, 1, 3), "float32"))
    np.testing.assert_allclose(mae.numpy(), [[2.0]])
    with pytest.raises(ValueError, match=r"y_true shape \(5,\) does not match"):
        losses.mean_squared_error(np.zeros(5), np.zeros((5, 4), "float32"))


def test_labels_that_broadcast_at_the_same_rank_are_kept_as_keras():
    # (N, T, 1) targets for (N, T, F) predictions: Keras subtracts with broadcasting
    y_true = np.arange(6, dtype="float32").reshape(1, 2, 3)[..., :1]
    y_pred = np.ones((1, 2, 3), "float32")
    expected = np.mean((y_true - y_pred) ** 2, axis=-1)
    np.testing.assert_allclose(losses.mean_squared_error(y_true, y_pred).numpy(), expected)
    with pytest.raises(ValueError, match="does not match"):
        losses.mean_squared_error(np.zeros((2, 2, 2)), np.zeros((2, 2, 3)))


def test_reduction_none_alias_and_mean_with_zero_weights():
    y = np.ones((3, 2))
    assert losses.Huber(reduction=None).reduction is None  # Keras 3 keeps None
    value = losses.Poisson(reduction="mean_with_sample_weight")(y, y, sample_weight=np.zeros(3))
    assert float(value) == 0.0


def test_hinge_binary_label_conversion_stays_on_device():
    # 0/1 labels become -1/1; labels with other values are used as given.
    y_pred = gf.constant([[0.3, -0.8]], dtype="float64")
    np.testing.assert_allclose(losses.hinge([[0.0, 1.0]], y_pred).numpy(), [(1.3 + 1.8) / 2])
    np.testing.assert_allclose(losses.hinge([[-1.0, 1.0]], y_pred).numpy(), [(1.3 + 1.8) / 2])
    np.testing.assert_allclose(losses.hinge([[0.5, 1.0]], y_pred).numpy(), [(0.85 + 1.8) / 2])


def test_float16_predictions_compute_in_float32():
    value = losses.Huber()(np.zeros((2, 2)), gf.constant([[1.0, 2.0], [0.5, 0.0]], "float16"))
    assert value.dtype == gf.float32
