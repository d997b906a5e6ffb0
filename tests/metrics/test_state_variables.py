"""Keras 3's state-variable attributes of metrics (``Mean().total``, ``.count``, ...)."""

import numpy as np
import pytest

import gpuflow as gf
from gpuflow import metrics


def test_mean_total_and_count_follow_updates_and_reset():
    m = metrics.Mean()
    m.update_state([1.0, 2.0, 3.0])
    total, count = m.total, m.count
    assert isinstance(total, gf.Variable) and total is m.total
    assert total.dtype == gf.float32 and total.path == "mean/total" and total.name == "total"
    assert float(total.numpy()) == 6.0 and float(count.numpy()) == 3.0
    m.update_state([4.0])
    assert float(total.numpy()) == 10.0 and float(count.numpy()) == 4.0
    m.reset_state()
    assert float(total.numpy()) == 0.0 and float(count.numpy()) == 0.0


def test_assigning_a_state_variable_changes_the_result():
    m = metrics.Mean()
    m.update_state([2.0, 4.0])
    m.count.assign(3.0)
    assert float(m.result()) == pytest.approx(2.0)
    m.total.assign_add(3.0)
    assert float(m.result()) == pytest.approx(3.0)
    assert float(gf.add(m.total, 1.0)) == 10.0


def test_sum_wrappers_and_confusion_metrics_name_their_state_as_keras():
    s = metrics.Sum()
    s.update_state([2.0, 3.0])
    assert float(s.total.numpy()) == 5.0 and not hasattr(s, "count")
    acc = metrics.BinaryAccuracy()
    acc.update_state([1, 0], [0.9, 0.8])
    assert acc.total.path == "binary_accuracy/total"
    assert (float(acc.total.numpy()), float(acc.count.numpy())) == (1.0, 2.0)
    auc = metrics.AUC(num_thresholds=3)
    auc.update_state([1, 0], [0.9, 0.2])
    np.testing.assert_array_equal(auc.true_positives.numpy(), [1.0, 1.0, 0.0])


def test_unknown_attribute_is_still_an_attribute_error():
    with pytest.raises(AttributeError, match="'Mean' object has no attribute 'nothing'"):
        metrics.Mean().nothing
