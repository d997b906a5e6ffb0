"""``tf.experimental``: TensorFlow's NumPy API (``tf.experimental.numpy``), extension types
and API dispatch for them."""

from __future__ import annotations

import importlib


def __getattr__(name: str):
    if name == "numpy":
        module = importlib.import_module(".numpy", __name__)
        globals()["numpy"] = module
        return module
    raise AttributeError(f"module 'gpuflow.experimental' has no attribute {name!r}")
