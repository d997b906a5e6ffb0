"""Writes keras_metrics.npz: for each case of metric_cases.py, real Keras 3's ``result()``
after each of three ``update_state`` calls (float64 metrics).

Run from this folder with TensorFlow's interpreter:
    /work/tfvenv/bin/python make_keras_reference.py
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import keras  # noqa: E402
import numpy as np  # noqa: E402
from metric_cases import FLOAT32_ONLY, batches, cases  # noqa: E402

keras.backend.set_floatx("float64")


def run(name):
    cls, kwargs, kind, weighted = cases()[name]
    dtype = "float32" if cls in FLOAT32_ONLY else "float64"
    metric = getattr(keras.metrics, cls)(**kwargs, dtype=dtype)
    results = []
    for y_true, y_pred, w in batches(kind):
        y_true, y_pred = y_true.astype(dtype), y_pred.astype(dtype)
        sample_weight = w if weighted else None
        if cls in ("Mean", "Sum"):
            metric.update_state(y_pred, sample_weight=sample_weight)
        else:
            metric.update_state(y_true, y_pred, sample_weight=sample_weight)
        results.append(np.asarray(metric.result(), dtype=np.float64))
    return np.stack(results)


def main():
    out = {name: run(name) for name in cases()}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "keras_metrics.npz")
    np.savez_compressed(path, **out)
    print(f"wrote {len(out)} cases to {path}")


if __name__ == "__main__":
    main()
