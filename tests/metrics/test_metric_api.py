"""Metric constructor checks, config round trips, lookup by name, and device-resident state."""

from __future__ import annotations

import json

import numpy as np
import pytest

import gpuflow as gf
from gpuflow import metrics


@pytest.mark.parametrize(
    "make, words",
    [
        (lambda: metrics.Precision(thresholds=-0.1), ["Precision", "thresholds", "-0.1"]),
        (lambda: metrics.Recall(thresholds=[0.5, 1.5]), ["Recall", "thresholds", "1.5"]),
        (lambda: metrics.Precision(top_k=0), ["Precision", "top_k", "0"]),
        (lambda: metrics.Recall(class_id=-1), ["Recall", "class_id", "-1"]),
        (lambda: metrics.TruePositives(thresholds=2.0), ["TruePositives", "thresholds", "2.0"]),
        (lambda: metrics.AUC(num_thresholds=1), ["AUC", "num_thresholds", "1"]),
        (lambda: metrics.AUC(curve="XY"), ["AUC", "curve", "XY"]),
        (lambda: metrics.AUC(summation_method="sum"), ["AUC", "summation_method", "sum"]),
        (lambda: metrics.AUC(num_labels=3), ["AUC", "num_labels", "3"]),
        (lambda: metrics.PrecisionAtRecall(recall=1.2), ["PrecisionAtRecall", "recall", "1.2"]),
        (
            lambda: metrics.RecallAtPrecision(0.5, num_thresholds=0),
            ["RecallAtPrecision", "num_thresholds", "0"],
        ),
        (lambda: metrics.F1Score(average="mean"), ["F1Score", "average", "mean"]),
        (lambda: metrics.FBetaScore(beta=0.0), ["FBetaScore", "beta", "0.0"]),
        (lambda: metrics.F1Score(threshold=1.5), ["F1Score", "threshold", "1.5"]),
        (lambda: metrics.MeanIoU(num_classes=0), ["MeanIoU", "num_classes", "0"]),
        (lambda: metrics.R2Score(class_aggregation="max"), ["R2Score", "class_aggregation", "max"]),
        (lambda: metrics.R2Score(num_regressors=-1), ["R2Score", "num_regressors", "-1"]),
        (lambda: metrics.TopKCategoricalAccuracy(k=0), ["TopKCategoricalAccuracy", "k", "0"]),
        (lambda: metrics.CosineSimilarity(axis="last"), ["CosineSimilarity", "axis", "last"]),
    ],
)
def test_bad_arguments_name_class_argument_and_value(make, words):
    with pytest.raises(ValueError) as err:
        make()
    assert all(w in str(err.value) for w in words), str(err.value)


ALL = sorted(metrics._CLASSES)
REQUIRED = {
    "PrecisionAtRecall": {"recall": 0.5},
    "RecallAtPrecision": {"precision": 0.5},
    "SensitivityAtSpecificity": {"specificity": 0.5},
    "SpecificityAtSensitivity": {"sensitivity": 0.5},
    "MeanIoU": {"num_classes": 3},
    "IoU": {"num_classes": 3, "target_class_ids": [0, 2]},
    "OneHotIoU": {"num_classes": 3, "target_class_ids": [1]},
    "OneHotMeanIoU": {"num_classes": 3},
}


@pytest.mark.parametrize("cls", ALL)
def test_config_round_trip_and_lookup(cls):
    metric = getattr(metrics, cls)(**REQUIRED.get(cls, {}))
    config = json.loads(json.dumps(metrics.serialize(metric)))
    back = metrics.deserialize(config)
    assert type(back) is type(metric) and back.get_config() == metric.get_config()
    if cls not in REQUIRED:
        assert type(metrics.get(cls)) is type(metric)
    assert getattr(gf.keras.metrics, cls) is getattr(metrics, cls)


def test_old_import_paths_still_work():
    from gpuflow.metrics import (  # noqa: F401
        AutoAccuracy,
        Mean,
        MeanMetricWrapper,
        Metric,
        categorical_accuracy,
        get,
    )

    assert metrics.get("accuracy").name == "accuracy"


def test_state_lives_on_the_data_device(device):
    m = metrics.AUC(num_thresholds=5)
    y_pred = gf.constant([[0.1, 0.9], [0.6, 0.3]], device=device)
    m.update_state([[0, 1], [1, 0]], y_pred)
    assert m.result().device == y_pred.device
    assert all(v.device == y_pred.device for v in m.variables)
    m.reset_state()
    assert float(m.result()) == 0.0


def test_precision_thresholds_list_gives_one_value_per_threshold():
    m = metrics.Precision(thresholds=[0.3, 0.7])
    m.update_state([1, 0, 1], [0.5, 0.4, 0.8])
    np.testing.assert_allclose(m.result().numpy(), [2 / 3, 1.0])
    assert m.result().shape == (2,)


def test_result_before_any_update_is_zero():
    for m in (
        metrics.Mean(),
        metrics.Precision(),
        metrics.AUC(),
        metrics.R2Score(),
        metrics.F1Score(average="macro"),
        metrics.MeanIoU(2),
    ):
        assert float(m.result()) == 0.0


def test_subclass_with_add_weight_and_default_reset():
    class Total(metrics.Metric):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.total = self.add_weight(name="total", initializer="ones")
            self.hist = self.add_variable(shape=(2,), name="hist")

        def update_state(self, values):
            self.total.assign_add(gf.reduce_sum(gf.cast(values, self.dtype)))
            self.hist.assign_add(gf.ones((2,)))

        def result(self):
            return self.total

    m = Total(name="t")
    m.update_state([1.0, 2.0])
    assert float(m.result()) == 4.0 and m.dtype == "float32" and len(m.variables) == 2
    m.reset_state()
    assert float(m.result()) == 1.0
    np.testing.assert_array_equal(m.hist.numpy(), [0.0, 0.0])
    assert m.get_config() == {"name": "t", "dtype": "float32"}
    # Keras 3 names them "total" and paths them under the metric: "t/total"
    assert [v.name for v in m.variables] == ["total", "hist"]
    assert [v.path for v in m.variables] == ["t/total", "t/hist"]
    assert all(not v.trainable for v in m.variables)


def test_top_k_keeps_exactly_k_with_ties_to_the_lower_index():
    m = metrics.Precision(top_k=1)
    m.update_state([[0, 1, 0]], [[0.5, 0.5, 0.1]])  # the tie goes to class 0: a false positive
    assert float(m.result()) == 0.0


def test_state_variables_have_keras_names_and_paths():
    gf.keras.backend.clear_session()  # automatic names start afresh: "auc", not "auc_3"
    auc = metrics.AUC(num_thresholds=3)
    auc.update_state([0, 1], [0.2, 0.8])
    names = ["true_positives", "false_positives", "true_negatives", "false_negatives"]
    assert [v.name for v in auc.variables] == names
    assert [v.path for v in auc.variables] == [f"auc/{n}" for n in names]
    assert all(not v.trainable for v in auc.variables)
    np.testing.assert_array_equal(auc.variables[0].numpy(), [1.0, 1.0, 0.0])
    np.testing.assert_array_equal(auc.variables[3].numpy(), [0.0, 0.0, 1.0])
    assert [v.path for v in metrics.Precision().variables] == [
        "precision/true_positives",
        "precision/false_positives",
    ]
    assert [v.path for v in metrics.FalseNegatives().variables] == ["false_negatives/accumulator"]
    assert [v.name for v in metrics.MeanIoU(num_classes=2).variables] == ["total_confusion_matrix"]
    f1 = metrics.F1Score()
    f1.update_state(np.eye(2), np.eye(2))
    assert [v.name for v in f1.variables][-1] == "intermediate_weights"


def test_stateless_update_result_and_reset_leave_the_metric_alone():
    # Keras 3's stateless metric API; values as TF 2.21's Keras 3.15 gives them
    mean = metrics.Mean()
    values = mean.stateless_update_state([v.numpy() for v in mean.variables], np.array([1.0, 3.0]))
    assert [float(v.numpy()) for v in values] == [4.0, 2.0]
    assert float(mean.stateless_result(values)) == 2.0
    assert [float(v.numpy()) for v in mean.variables] == [0.0, 0.0]
    mean.update_state([5.0])
    assert [float(v.numpy()) for v in mean.stateless_reset_state()] == [0.0, 0.0]
    assert float(mean.result()) == 5.0
    auc = metrics.AUC(num_thresholds=3)
    state = auc.stateless_update_state([v.numpy() for v in auc.variables], [0, 1], [0.2, 0.8])
    np.testing.assert_array_equal(state[0].numpy(), [1.0, 1.0, 0.0])
    assert float(auc.stateless_result(state)) == 1.0
    assert all(not v.numpy().any() for v in auc.variables)
    with pytest.raises(ValueError, match="corresponding 1:1 to Mean\\(\\).variables"):
        mean.stateless_update_state([np.zeros(())], [1.0])


def test_iou_update_state_returns_the_total_confusion_matrix_as_keras():
    m = metrics.MeanIoU(num_classes=2)
    assert m.dtype == "int64"  # Keras' default "int"
    first = m.update_state([0, 0, 1, 1], [0, 1, 0, 1])
    assert first.dtype == "int64" and first.numpy().tolist() == [[1, 1], [1, 1]]
    total = m.update_state([0, 1], [0, 1], sample_weight=[2, 3])
    assert total.numpy().tolist() == [[3, 1], [1, 4]]
    assert abs(float(m.result()) - (3 / 5 + 4 / 6) / 2) < 1e-6
    binary = metrics.BinaryIoU(threshold=0.5).update_state([0, 1, 1], [0.2, 0.7, 0.1])
    assert binary.numpy().tolist() == [[1, 0], [1, 1]]
    weighted = metrics.MeanIoU(num_classes=2, dtype="float32")
    assert weighted.update_state([1], [1], sample_weight=[0.5]).dtype == "float32"


def test_iou_variables_keep_the_metric_dtype_as_keras():
    # Keras 3: total_confusion_matrix is int64 (the default dtype) or the given dtype;
    # the result stays float32 either way.
    m = metrics.MeanIoU(num_classes=3)
    m.update_state([0, 1, 2], [0, 2, 2], sample_weight=[1.0, 2.5, 1.0])
    (var,) = m.variables
    assert var.path == f"{m.name}/total_confusion_matrix" and var.dtype == "int64"
    assert var.numpy().tolist() == [[1, 0, 0], [0, 0, 2], [0, 0, 1]]
    assert m.total_cm.dtype == "int64" and m.result().dtype == "float32"
    np.testing.assert_allclose(float(m.result()), (1 + 0 + 1 / 3) / 3, rtol=1e-6)
    for cls in (metrics.BinaryIoU, lambda: metrics.OneHotMeanIoU(2), lambda: metrics.IoU(2, [0])):
        assert [v.dtype for v in cls().variables] == ["int64"]
    weighted = metrics.MeanIoU(num_classes=3, dtype="float32")
    weighted.update_state([1], [2], sample_weight=[2.5])
    assert weighted.variables[0].dtype == "float32"
    assert weighted.variables[0].numpy()[1, 2] == 2.5
    m.reset_state()
    assert not m.total_cm.numpy().any()


def test_repr_and_str_as_keras_3():
    metric = gf.keras.metrics.MeanAbsoluteError()
    assert repr(metric) == "<MeanAbsoluteError name=mean_absolute_error>"
    assert str(gf.keras.metrics.AUC(name="auc_a")) == "<AUC name=auc_a>"


def test_metrics_without_a_name_get_unique_names_as_keras():
    """Keras 3 auto-names a metric created with name=None (``precision``,
    ``precision_1``, ...) and its variables' paths follow; fixed default names stay."""
    gf.keras.backend.clear_session()
    first, second = metrics.Precision(), metrics.Precision()
    assert (first.name, second.name) == ("precision", "precision_1")
    assert [v.path for v in second.variables] == [
        "precision_1/true_positives",
        "precision_1/false_positives",
    ]
    assert metrics.AUC().name == "auc" and metrics.AUC().name == "auc_1"
    assert metrics.Mean().name == metrics.Mean().name == "mean"
    assert metrics.Precision(name="p").name == "p"
    gf.keras.backend.clear_session()
    assert metrics.Precision().name == "precision"


def test_mean_metric_wrapper_config_carries_its_function():
    """As Keras 3: the default name is ``mean_metric_wrapper`` and the config holds the
    function's config, which ``from_config`` and ``deserialize`` read back."""
    gf.keras.backend.clear_session()
    m = metrics.MeanMetricWrapper(gf.keras.losses.mean_absolute_error)
    assert m.name == "mean_metric_wrapper"
    config = m.get_config()
    assert config["fn"] == {
        "module": "builtins",
        "class_name": "function",
        "config": "mean_absolute_error",
        "registered_name": "function",
    }
    y_true, y_pred = np.array([[0.0, 1.0]]), np.array([[0.5, 0.0]])
    for copy in (
        metrics.MeanMetricWrapper.from_config(config),
        metrics.deserialize(metrics.serialize(m)),
    ):
        assert type(copy) is metrics.MeanMetricWrapper and copy.name == "mean_metric_wrapper"
        copy.update_state(y_true, y_pred)
        np.testing.assert_allclose(float(copy.result()), 0.75)
    assert "fn" not in metrics.MeanSquaredError().get_config()
