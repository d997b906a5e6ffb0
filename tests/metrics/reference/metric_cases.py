"""Metric cases shared by make_keras_reference.py (real Keras) and the tests (gpuflow).

Plain NumPy only. ``batches(kind)`` gives three ``(y_true, y_pred, sample_weight)`` batches;
``cases()`` maps a case name to ``(class name, constructor kwargs, data kind, weighted)``.
Each metric is built with ``dtype="float64"`` on both sides.
"""

from __future__ import annotations

import numpy as np

N, C = 8, 4


def _softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def batches(kind):
    rng = np.random.default_rng(
        {
            "binary": 1,
            "multilabel": 2,
            "onehot": 3,
            "sparse": 4,
            "real": 5,
            "positive": 6,
            "logits": 7,
        }[kind]
    )
    out = []
    for _ in range(3):
        w = rng.uniform(0.0, 2.0, size=N).round(2)
        if kind == "binary":
            t, p = rng.integers(0, 2, size=(N, 1)).astype(float), rng.uniform(size=(N, 1))
        elif kind == "multilabel":
            t, p = rng.integers(0, 2, size=(N, C)).astype(float), rng.uniform(size=(N, C))
        elif kind == "logits":
            t, p = rng.integers(0, 2, size=(N, C)).astype(float), rng.normal(size=(N, C)) * 3
        elif kind == "onehot":
            t = np.eye(C)[rng.integers(0, C, size=N)]
            p = _softmax(rng.normal(size=(N, C)) * 2)
        elif kind == "sparse":
            t = rng.integers(0, C, size=N).astype(float)
            p = _softmax(rng.normal(size=(N, C)) * 2)
        elif kind == "real":
            t, p = rng.normal(size=(N, 3)), rng.normal(size=(N, 3))
        else:  # positive
            t, p = rng.uniform(0.1, 3, size=(N, 3)), rng.uniform(0.1, 3, size=(N, 3))
        out.append((t, p, w))
    return out


_BASE = [
    ("Precision", {}, "binary"),
    ("Precision", {"thresholds": [0.2, 0.5, 0.8]}, "multilabel"),
    ("Precision", {"top_k": 2}, "onehot"),
    ("Precision", {"class_id": 1}, "onehot"),
    ("Precision", {"thresholds": [0.0, 0.5, 1.0]}, "multilabel"),
    ("Recall", {}, "binary"),
    ("Recall", {"thresholds": [0.7, 0.3]}, "multilabel"),
    ("Recall", {"top_k": 1, "class_id": 2}, "onehot"),
    ("TruePositives", {}, "multilabel"),
    ("FalsePositives", {"thresholds": [0.25, 0.75]}, "multilabel"),
    ("TrueNegatives", {}, "binary"),
    ("FalseNegatives", {"thresholds": 0.3}, "multilabel"),
    ("AUC", {}, "multilabel"),
    ("AUC", {"curve": "PR"}, "multilabel"),
    ("AUC", {"num_thresholds": 7, "summation_method": "minoring"}, "binary"),
    ("AUC", {"curve": "PR", "summation_method": "majoring", "num_thresholds": 11}, "multilabel"),
    ("AUC", {"multi_label": True}, "multilabel"),
    (
        "AUC",
        {"multi_label": True, "curve": "PR", "label_weights": [1.0, 2.0, 0.5, 1.0]},
        "multilabel",
    ),
    ("AUC", {"from_logits": True}, "logits"),
    ("AUC", {"thresholds": [0.1, 0.4, 0.6, 0.9]}, "multilabel"),
    ("PrecisionAtRecall", {"recall": 0.6}, "multilabel"),
    ("PrecisionAtRecall", {"recall": 0.5, "num_thresholds": 9, "class_id": 0}, "onehot"),
    ("RecallAtPrecision", {"precision": 0.5}, "multilabel"),
    ("F1Score", {}, "onehot"),
    ("F1Score", {"average": "macro", "threshold": 0.4}, "multilabel"),
    ("F1Score", {"average": "micro"}, "onehot"),
    ("FBetaScore", {"beta": 2.0, "average": "weighted", "threshold": 0.5}, "multilabel"),
    ("MeanIoU", {"num_classes": C, "sparse_y_pred": False}, "sparse"),
    ("TopKCategoricalAccuracy", {"k": 2}, "onehot"),
    ("SparseTopKCategoricalAccuracy", {"k": 2}, "sparse"),
    ("R2Score", {}, "real"),
    ("R2Score", {"class_aggregation": "variance_weighted_average"}, "real"),
    ("R2Score", {"class_aggregation": None}, "real"),
    ("R2Score", {"num_regressors": 2}, "real"),
    ("RootMeanSquaredError", {}, "real"),
    ("MeanAbsoluteError", {}, "real"),
    ("MeanSquaredError", {}, "real"),
    ("LogCoshError", {}, "real"),
    ("CosineSimilarity", {}, "real"),
    ("MeanAbsolutePercentageError", {}, "positive"),
    ("MeanSquaredLogarithmicError", {}, "positive"),
    ("BinaryAccuracy", {"threshold": 0.6}, "multilabel"),
    ("CategoricalAccuracy", {}, "onehot"),
    ("SparseCategoricalAccuracy", {}, "sparse"),
    ("Hinge", {}, "logits"),
    ("Poisson", {}, "positive"),
    ("BinaryCrossentropy", {"label_smoothing": 0.1}, "multilabel"),
    ("CategoricalCrossentropy", {}, "onehot"),
]


#: TensorFlow's in_top_k has no float64 kernel: these run in float32 on the Keras side.
FLOAT32_ONLY = {"TopKCategoricalAccuracy", "SparseTopKCategoricalAccuracy"}


def cases():
    """name -> (class name, kwargs, kind, weighted); every case once without and once with
    sample weights. Mean and Sum take the predictions as their values."""
    out = {}
    for i, (cls, kwargs, kind) in enumerate(_BASE):
        for weighted in (False, True):
            name = f"{cls}-{i}-{'weighted' if weighted else 'plain'}"
            out[name] = (cls, kwargs, kind, weighted)
    for cls in ("Mean", "Sum"):
        for kind in ("real", "binary"):
            out[f"{cls}-{kind}-plain"] = (cls, {}, kind, False)
            out[f"{cls}-{kind}-weighted"] = (cls, {}, kind, True)
    return out
