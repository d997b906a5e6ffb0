"""The lecture models, compiled with plain SGD, for the graph-mode tests."""

from __future__ import annotations

import gpuflow
from gpuflow.models.lecture import lecture_model


def build(kind: str, dtype: str, device: str, seed: int = 0):
    """The lecture ``kind`` ("mlp" or "cnn") in ``dtype`` on ``device``, compiled with SGD(0.01)
    and sparse categorical cross-entropy (the test fixtures reset floatx afterwards)."""
    gpuflow.random.set_seed(seed)
    gpuflow.config.set_floatx(dtype)
    with gpuflow.device(device):
        model = lecture_model(kind)
        model.compile(
            optimizer=gpuflow.optimizers.SGD(learning_rate=0.01),
            loss="sparse_categorical_crossentropy",
        )
    return model
