"""Metrics: per-sample functions vs NumPy, stateful accumulation, accuracy resolution, get."""

from __future__ import annotations

import json

import numpy as np
import pytest
from tolerances import assert_close

import gpuflow as gf
from gpuflow import losses, metrics

RNG = np.random.default_rng(0)


def _probs(n=8, c=4):
    p = RNG.random((n, c))
    return p / p.sum(-1, keepdims=True)


# -- functions ----------------------------------------------------------------------------
def test_accuracy_functions_match_numpy(device):
    p = _probs()
    ids = RNG.integers(0, 4, 8)
    onehot = np.eye(4)[ids]
    expected = (p.argmax(-1) == ids).astype(np.float32)
    with gf.device(device):
        assert_close(metrics.categorical_accuracy(onehot, p).numpy(), expected)
        assert_close(metrics.sparse_categorical_accuracy(ids, p).numpy(), expected)
        assert_close(
            metrics.sparse_categorical_accuracy(ids[:, None].astype("float32"), p).numpy(), expected
        )
        top2 = (np.argsort(-p, axis=-1)[:, :2] == ids[:, None]).any(-1)
        assert_close(metrics.top_k_categorical_accuracy(onehot, p, k=2).numpy(), top2)
        assert_close(metrics.sparse_top_k_categorical_accuracy(ids, p, k=2).numpy(), top2)
    assert metrics.categorical_accuracy(onehot, p).dtype == np.float32


def test_binary_accuracy_and_threshold():
    y = np.array([[1.0], [0.0], [1.0], [0.0]])
    p = np.array([[0.7], [0.6], [0.4], [0.1]])
    # Keras 3: elementwise (no mean over the last axis); values from TF 2.21's Keras 3.15
    assert_close(metrics.binary_accuracy(y, p).numpy(), [[1], [0], [0], [1]])
    assert_close(metrics.binary_accuracy(y[:, 0], p, threshold=0.3).numpy(), [[1], [0], [1], [1]])
    y2, p2 = np.array([[1.0, 0.0], [1.0, 1.0]]), np.array([[0.9, 0.2], [0.1, 0.8]])
    assert_close(metrics.binary_accuracy(y2, p2).numpy(), [[1.0, 1.0], [0.0, 1.0]])
    # the metric averages each sample's values; 1-D labels are one value per sample
    m = metrics.BinaryAccuracy()
    m.update_state(y2, p2)
    assert [v.numpy().tolist() for v in m.variables] == [1.5, 2.0]
    m = metrics.BinaryAccuracy()
    m.update_state([1, 0, 1, 1], [0.9, 0.8, 0.2, 0.7], sample_weight=[1.0, 0.0, 0.0, 2.0])
    assert [v.numpy().tolist() for v in m.variables] == [3.0, 3.0]


def test_top_k_ties_at_the_boundary_count():
    p = np.array([[0.3, 0.3, 0.3, 0.1]])
    assert_close(metrics.sparse_top_k_categorical_accuracy([2], p, k=1).numpy(), [1.0])
    assert_close(metrics.sparse_top_k_categorical_accuracy([3], p, k=3).numpy(), [0.0])


def test_sparse_top_k_from_sorted_ids():
    # Keras 3: y_pred holds class ids sorted by score; the label counts among the first k
    ids = np.array([[1, 0, 3], [1, 2, 3]])
    f = metrics.sparse_top_k_categorical_accuracy
    assert_close(f([2, 1], ids, k=1, from_sorted_ids=True).numpy(), [0.0, 1.0])
    assert_close(f([[2], [3]], ids, k=2, from_sorted_ids=True).numpy(), [0.0, 0.0])
    assert_close(f([3, 3], ids, k=3, from_sorted_ids=True).numpy(), [1.0, 1.0])
    m = metrics.SparseTopKCategoricalAccuracy(k=1, from_sorted_ids=True)
    m.update_state([2, 1], ids)
    assert float(m.result()) == 0.5
    assert m.get_config()["from_sorted_ids"] is True
    assert "from_sorted_ids" not in metrics.SparseTopKCategoricalAccuracy().get_config()
    again = metrics.SparseTopKCategoricalAccuracy.from_config(m.get_config())
    assert again.from_sorted_ids and again.k == 1


def test_regression_metric_functions():
    a, b = RNG.standard_normal((4, 3)), RNG.standard_normal((4, 3))
    assert_close(metrics.mse(a, b).numpy(), ((a - b) ** 2).mean(-1), "float64")
    assert_close(metrics.mae(a, b).numpy(), np.abs(a - b).mean(-1), "float64")


# -- stateful metrics ------------------------------------------------------------------------
def test_stateful_accumulation_over_batches(device):
    p = _probs(10)
    ids = RNG.integers(0, 4, 10)
    with gf.device(device):
        m = metrics.SparseCategoricalAccuracy()
        m.update_state(ids[:6], p[:6])
        m.update_state(ids[6:], p[6:])
        assert m.name == "sparse_categorical_accuracy"
        assert float(m.result()) == pytest.approx((p.argmax(-1) == ids).mean())
        assert isinstance(m.result(), gf.Tensor) and m.result().shape == ()
        m.reset_state()
        assert float(m.result()) == 0.0
        m.update_state(ids[:2], p[:2])
        m.reset_states()
        assert float(m.result()) == 0.0


def test_mean_with_sample_weight():
    m = metrics.Mean()
    m.update_state([1.0, 2.0, 3.0], sample_weight=[1.0, 0.0, 2.0])
    m.update_state([[4.0]], sample_weight=[[1.0]])
    assert float(m.result()) == pytest.approx((1 + 6 + 4) / 4)
    with pytest.raises(ValueError, match=r"mean: sample_weight shape \(2,\) does not fit"):
        m.update_state([1.0, 2.0, 3.0], sample_weight=[1.0, 2.0])


def test_classes_and_call():
    y, p = np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[0.2, 0.8], [0.3, 0.7]])
    assert metrics.CategoricalAccuracy()(y, p) == 0.5
    assert metrics.BinaryAccuracy(threshold=0.75)(y, p) == 0.75
    assert float(metrics.MeanSquaredError()(y, p)) == pytest.approx(((y - p) ** 2).mean())
    assert metrics.MeanAbsoluteError().name == "mean_absolute_error"
    assert metrics.Accuracy()([1, 2, 3, 4], [1, 2, 0, 4]) == 0.75
    assert metrics.TopKCategoricalAccuracy(k=1)(y, p) == 0.5


def test_metric_updates_are_not_recorded_on_a_tape():
    x = gf.Variable(np.ones((2, 2)))
    with gf.GradientTape():
        m = metrics.get("mse")
        m.update_state(np.zeros((2, 2)), x * 2.0)
    assert float(m.result()) == 4.0


def test_custom_metric_subclass():
    class Count(metrics.Metric):
        def __init__(self, name="count"):
            super().__init__(name=name)
            self.reset_state()

        def update_state(self, y_true, y_pred, sample_weight=None):
            self.n += len(y_true)

        def result(self):
            return float(self.n)

        def reset_state(self):
            self.n = 0

    c = metrics.get(Count)
    c.update_state([1, 2], [1, 2])
    assert float(c.result()) == 2.0 and c.name == "count"


# -- "accuracy" resolution ------------------------------------------------------------------
@pytest.mark.parametrize(
    "loss, y_true, y_pred, chosen",
    [
        (
            "sparse_categorical_crossentropy",
            [0, 1],
            [[0.9, 0.1], [0.2, 0.8]],
            "sparse_categorical_accuracy",
        ),
        (
            losses.SparseCategoricalCrossentropy(from_logits=True),
            [[0], [1]],
            [[2.0, 1.0], [0.0, 3.0]],
            "sparse_categorical_accuracy",
        ),
        (
            losses.categorical_crossentropy,
            [[1, 0], [0, 1]],
            [[0.9, 0.1], [0.2, 0.8]],
            "categorical_accuracy",
        ),
        ("binary_crossentropy", [[1, 0], [0, 1]], [[0.9, 0.1], [0.2, 0.8]], "binary_accuracy"),
        (losses.BinaryCrossentropy(), [1, 0], [[0.9], [0.2]], "binary_accuracy"),
        ("mse", [1, 0], [[0.9], [0.2]], "binary_accuracy"),
        (None, [0, 1], [[0.9, 0.1], [0.2, 0.8]], "sparse_categorical_accuracy"),
        (None, [[0], [1]], [[0.9, 0.1], [0.2, 0.8]], "sparse_categorical_accuracy"),
        (None, [[1, 0], [0, 1]], [[0.9, 0.1], [0.2, 0.8]], "categorical_accuracy"),
        (
            lambda t, p: losses.mse(t, p),
            [[1, 0], [0, 1]],
            [[0.9, 0.1], [0.2, 0.8]],
            "categorical_accuracy",
        ),
    ],
)
def test_accuracy_picks_the_right_function(loss, y_true, y_pred, chosen):
    m = metrics.resolve("accuracy", loss=loss)
    m.update_state(np.array(y_true), np.array(y_pred, dtype="float32"))
    assert m.fn.__name__ == chosen
    assert m.name == "accuracy" and float(m.result()) == 1.0


def test_acc_alias_keeps_its_name():
    assert metrics.resolve("acc").name == "acc"


# -- get / serialize ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name",
    [
        "mse",
        "mae",
        "mean_squared_error",
        "categorical_accuracy",
        "sparse_categorical_accuracy",
        "binary_accuracy",
        "top_k_categorical_accuracy",
        "categorical_crossentropy",
    ],
)
def test_resolve_by_function_name_keeps_the_name(name):
    assert metrics.resolve(name).name == name


def test_resolve_classes_callables_and_unknown():
    assert type(metrics.resolve("CategoricalAccuracy")) is metrics.CategoricalAccuracy
    m = metrics.BinaryAccuracy()
    assert metrics.resolve(m) is m
    assert metrics.resolve(metrics.categorical_accuracy).name == "categorical_accuracy"

    def my_metric(y_true, y_pred):
        return metrics.mae(y_true, y_pred)

    assert metrics.resolve(my_metric).name == "my_metric"
    with pytest.raises(ValueError) as err:
        metrics.resolve("accuracyy")
    assert "\n" not in str(err.value) and "sparse_categorical_accuracy" in str(err.value)
    with pytest.raises(TypeError):
        metrics.resolve(1.5)


def test_resolve_loss_objects_and_callables_keep_keras_names():
    # as Keras 3's compile: a loss object used as a metric logs under its own name
    bce = metrics.resolve(losses.BinaryCrossentropy(from_logits=True, name="binary_crossentropy"))
    assert bce.name == "binary_crossentropy"
    assert metrics.resolve(losses.MeanSquaredError()).name == "mean_squared_error"
    y_true, logits = np.array([[1.0], [0.0]]), np.array([[2.0], [-1.0]])
    bce.update_state(y_true, logits)
    expected = losses.BinaryCrossentropy(from_logits=True)(y_true, logits)
    assert_close(float(bce.result()), float(expected))

    class ScoreFn:
        def __call__(self, y_true, y_pred):
            return metrics.mae(y_true, y_pred)

    assert metrics.resolve(ScoreFn()).name == "score_fn"


def test_serialize_round_trip():
    wrapped = (metrics.resolve("mse"), metrics.resolve("accuracy"))
    for m in (metrics.BinaryAccuracy(threshold=0.3), *wrapped):
        back = metrics.deserialize(json.loads(json.dumps(metrics.serialize(m))))
        assert type(back) is type(m) and back.name == m.name
        assert back.get_config() == m.get_config()
    # compile() may hold plain functions: they serialize by name and come back as functions
    # (Keras 3).
    config = metrics.serialize(metrics.categorical_accuracy)
    assert config["class_name"] == "function" and config["config"] == "categorical_accuracy"
    assert metrics.deserialize(config) is metrics.categorical_accuracy


def test_shape_errors_name_the_metric():
    with pytest.raises(ValueError, match="sparse_categorical_accuracy: y_true shape"):
        metrics.sparse_categorical_accuracy(np.zeros((3, 2)), np.zeros((3, 4)))
    with pytest.raises(ValueError, match="categorical_accuracy: y_true shape"):
        metrics.categorical_accuracy([0, 1, 2], np.zeros((3, 4)))


def test_get_follows_keras_3():
    # keras.metrics.get: a class (or snake_case/alias) name gives an instance of that class,
    # a callable comes back as is, a name of no metric class is a ValueError
    mae = metrics.get("mae")
    assert type(mae) is metrics.MeanAbsoluteError and mae.name == "mean_absolute_error"
    assert type(metrics.get("MSE")) is metrics.MeanSquaredError
    assert type(metrics.get("accuracy")) is metrics.Accuracy
    assert type(metrics.get("auc")) is metrics.AUC
    cce = metrics.get("categorical_crossentropy")
    assert type(cce) is metrics.CategoricalCrossentropy
    assert metrics.get(metrics.categorical_accuracy) is metrics.categorical_accuracy
    m = metrics.Recall()
    assert metrics.get(m) is m and type(metrics.get(metrics.Recall)) is metrics.Recall
    assert metrics.get(None) is None
    assert type(metrics.get({"class_name": "AUC", "config": {}})) is metrics.AUC
    for bad in ("acc", "huber", "log_cosh", 1.5):
        with pytest.raises(ValueError, match="Could not interpret metric identifier"):
            metrics.get(bad)


def test_scalar_labels_broadcast_to_the_predictions():
    # as Keras: BinaryAccuracy().update_state(1.0, real_logits) in GAN train steps
    keras = gf.keras

    p = np.array([[0.7], [0.2], [0.9]], "float32")
    m = keras.metrics.BinaryAccuracy()
    m.update_state(1.0, p)
    np.testing.assert_allclose(float(m.result()), 2 / 3, rtol=1e-6)
    np.testing.assert_array_equal(keras.metrics.binary_accuracy(0.0, p).numpy(), [[0], [1], [0]])
    np.testing.assert_allclose(
        float(keras.losses.MeanSquaredError()(0.0, p)), np.mean(p**2), rtol=1e-6
    )
    # Keras's binary cross-entropy refuses a scalar target: same rank required
    with pytest.raises(ValueError, match="binary_crossentropy: y_true and y_pred must have"):
        keras.losses.binary_crossentropy(1.0, p)
