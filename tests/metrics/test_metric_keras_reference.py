"""Every metric's streaming result (three update_state calls, with and without sample
weights) against real Keras 3 (reference/, float64)."""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest

import gpuflow as gf
from gpuflow import metrics

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "reference"))
from metric_cases import FLOAT32_ONLY, batches, cases  # noqa: E402

REFERENCE = np.load(os.path.join(os.path.dirname(__file__), "reference", "keras_metrics.npz"))


def tolerance(cls):
    if cls in FLOAT32_ONLY or cls == "MeanIoU":  # Keras computes these results in float32
        return dict(rtol=1e-6, atol=1e-6)
    if cls == "LogCoshError":  # Keras's log(2) is computed in float32 (about 2e-9 low)
        return dict(rtol=1e-9, atol=3e-9)
    return dict(rtol=1e-9, atol=1e-12)


def run(name, device="cpu"):
    cls, kwargs, kind, weighted = cases()[name]
    metric = getattr(metrics, cls)(**kwargs, dtype="float64")
    results = []
    for y_true, y_pred, w in batches(kind):
        y_pred = gf.constant(y_pred, dtype="float64", device=device)
        sample_weight = w if weighted else None
        if cls in ("Mean", "Sum"):
            metric.update_state(y_pred, sample_weight=sample_weight)
        else:
            metric.update_state(y_true, y_pred, sample_weight=sample_weight)
        result = metric.result()
        assert isinstance(result, gf.Tensor) and result.device == y_pred.device
        results.append(result.numpy())
    return np.stack(results), metric


@pytest.mark.parametrize("name", sorted(cases()))
def test_streaming_matches_keras(name):
    results, _ = run(name)
    np.testing.assert_allclose(results, REFERENCE[name], **tolerance(cases()[name][0]))


@pytest.mark.parametrize(
    "name", ["AUC-16-weighted", "Precision-2-weighted", "MeanIoU-27-weighted", "R2Score-30-plain"]
)
def test_every_device(name, device):
    results, _ = run(name, device)
    np.testing.assert_allclose(results, REFERENCE[name], **tolerance(cases()[name][0]))


@pytest.mark.parametrize("name", sorted(n for n in cases() if n.endswith("weighted")))
def test_reset_state_and_config_round_trip(name):
    cls, kwargs, kind, weighted = cases()[name]
    _, metric = run(name)
    twin = type(metric).from_config(metric.get_config())
    assert twin.get_config() == metric.get_config()
    metric.reset_state()
    first = REFERENCE[name.replace("weighted", "plain")][0]
    y_true, y_pred, _ = batches(kind)[0]
    if cls in ("Mean", "Sum"):
        metric.update_state(gf.constant(y_pred, dtype="float64"))
    else:
        metric.update_state(y_true, gf.constant(y_pred, dtype="float64"))
    np.testing.assert_allclose(metric.result().numpy(), first, **tolerance(cls))
