"""Loss cases shared by make_keras_reference.py (real Keras) and the tests (gpuflow).

Plain NumPy only. ``data()`` gives named (y_true, y_pred) pairs; ``CASES`` maps a case name
to ``(class name, constructor kwargs, data name, use sample_weight)``; ``FUNCTIONS`` maps
function names (as in ``keras.losses``) to a data name.
"""

from __future__ import annotations

import numpy as np


def _softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def data():
    rng = np.random.default_rng(3)
    n, k = 6, 4
    logits = rng.normal(size=(n, k)) * 2
    onehot = np.eye(k)[rng.integers(0, k, size=n)]
    binary = rng.integers(0, 2, size=(n, k)).astype(np.float64)
    return {
        "real": (rng.normal(size=(n, k)), rng.normal(size=(n, k)) * 2),
        "positive": (rng.uniform(0, 3, size=(n, k)), rng.uniform(0.1, 3, size=(n, k))),
        "probabilities": (_softmax(rng.normal(size=(n, k))), _softmax(rng.normal(size=(n, k)))),
        "signed": (np.where(binary > 0, 1.0, -1.0), rng.normal(size=(n, k))),
        "binary": (binary, rng.uniform(0.02, 0.98, size=(n, k))),
        "binary_logits": (binary, rng.normal(size=(n, k)) * 3),
        "onehot": (onehot, _softmax(logits)),
        "onehot_logits": (onehot, logits),
        "onehot_scores": (onehot, rng.normal(size=(n, k))),
    }


SAMPLE_WEIGHT = np.array([1.0, 0.5, 2.0, 0.0, 1.5, 1.0])
REDUCTIONS = ("sum_over_batch_size", "sum", "none", "mean", "mean_with_sample_weight")

_BASE = {
    "Huber": ({"delta": 0.7}, "real"),
    "LogCosh": ({}, "real"),
    "KLDivergence": ({}, "probabilities"),
    "Poisson": ({}, "positive"),
    "CosineSimilarity": ({"axis": -1}, "real"),
    "Hinge": ({}, "signed"),
    "SquaredHinge": ({}, "signed"),
    "CategoricalHinge": ({}, "onehot_scores"),
    "MeanAbsolutePercentageError": ({}, "real"),
    "MeanSquaredLogarithmicError": ({}, "positive"),
    "BinaryFocalCrossentropy": ({"gamma": 1.5}, "binary"),
    "CategoricalFocalCrossentropy": ({"gamma": 1.5, "alpha": 0.5}, "onehot"),
    "MeanSquaredError": ({}, "real"),
    "MeanAbsoluteError": ({}, "real"),
    "BinaryCrossentropy": ({}, "binary"),
    "CategoricalCrossentropy": ({}, "onehot"),
}


def cases():
    out = {}
    for cls, (kwargs, data_name) in _BASE.items():
        for reduction in REDUCTIONS:
            out[f"{cls}-{reduction}"] = (cls, {**kwargs, "reduction": reduction}, data_name, True)
        out[f"{cls}-unweighted"] = (cls, kwargs, data_name, False)
    out["Hinge-binary_labels"] = ("Hinge", {}, "binary_logits", False)
    out["SquaredHinge-binary_labels"] = ("SquaredHinge", {}, "binary_logits", False)
    out["Huber-default_delta"] = ("Huber", {}, "real", False)
    out["BinaryFocalCrossentropy-balanced_logits_smoothing"] = (
        "BinaryFocalCrossentropy",
        {"apply_class_balancing": True, "alpha": 0.3, "from_logits": True, "label_smoothing": 0.2},
        "binary_logits",
        True,
    )
    out["CategoricalFocalCrossentropy-logits_smoothing"] = (
        "CategoricalFocalCrossentropy",
        {"from_logits": True, "label_smoothing": 0.1},
        "onehot_logits",
        True,
    )
    out["BinaryCrossentropy-smoothing"] = (
        "BinaryCrossentropy",
        {"label_smoothing": 0.2},
        "binary",
        True,
    )
    out["BinaryCrossentropy-logits_smoothing"] = (
        "BinaryCrossentropy",
        {"label_smoothing": 0.1, "from_logits": True},
        "binary_logits",
        False,
    )
    out["CategoricalCrossentropy-smoothing"] = (
        "CategoricalCrossentropy",
        {"label_smoothing": 0.3},
        "onehot",
        True,
    )
    out["CategoricalCrossentropy-logits_smoothing"] = (
        "CategoricalCrossentropy",
        {"label_smoothing": 0.1, "from_logits": True},
        "onehot_logits",
        False,
    )
    return out


FUNCTIONS = {
    "huber": "real",
    "log_cosh": "real",
    "kl_divergence": "probabilities",
    "poisson": "positive",
    "cosine_similarity": "real",
    "hinge": "signed",
    "squared_hinge": "signed",
    "categorical_hinge": "onehot_scores",
    "mean_absolute_percentage_error": "real",
    "mean_squared_logarithmic_error": "positive",
    "binary_focal_crossentropy": "binary",
    "categorical_focal_crossentropy": "onehot",
}
