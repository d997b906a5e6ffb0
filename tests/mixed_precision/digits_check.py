"""The precision check on digits: the lecture MLP and CNN under a policy, and their int8 versions.

A test helper (moved out of the package): used by ``test_precision_digits.py`` next to it::

    import digits_check
    run = digits_check.train_and_evaluate("cnn", "mixed_float16")
    run["accuracy"], run["train_seconds"]
    digits_check.int8_report(run["model"])   # accuracy, file sizes, predict time
"""

from __future__ import annotations

import os
import tempfile
import time

import numpy as np

from gpuflow.models.lecture import KINDS, lecture_model  # noqa: F401  (KINDS: the tests read it here)


def digits_data(kind: str):
    """``(x_train, y_train), (x_test, y_test)`` of digits at 28x28, scaled to [0, 1], float32;
    flat ``[N, 784]`` for the MLP, ``[N, 28, 28, 1]`` for the CNN."""
    from gpuflow.datasets import digits

    (x_train, y_train), (x_test, y_test) = digits.load_data(image_size=28)
    shape = (-1, 784) if kind == "mlp" else (-1, 28, 28, 1)
    return (
        (x_train.reshape(shape).astype(np.float32) / 255, y_train.astype(np.int64)),
        (x_test.reshape(shape).astype(np.float32) / 255, y_test.astype(np.int64)),
    )


def train_and_evaluate(
    kind: str,
    policy: str = "float32",
    epochs: int | None = None,
    batch_size: int = 64,
    seed: int = 0,
    device: str | None = None,
) -> dict:
    """Train the lecture model with Adam under ``policy`` and measure test accuracy.

    Args:
        kind: ``"mlp"`` or ``"cnn"``.
        policy: ``"float32"``, ``"mixed_float16"``, ``"float16"`` or ``"float64"``.
        epochs: default 10 (MLP) or 12 (CNN).
        batch_size, seed: training batch size and the seed of weights and shuffling.
        device: a device name, or None for the current one.

    Returns:
        ``{"model", "policy", "accuracy", "train_seconds", "loss_scale", "skipped_steps"}``
        (the last two None without loss scaling).
    """
    from gpuflow import random
    from gpuflow.backend import device as device_scope
    from gpuflow.mixed_precision import policy_scope

    (x_train, y_train), (x_test, y_test) = digits_data(kind)
    epochs = epochs if epochs is not None else (10 if kind == "mlp" else 12)
    scope = device_scope(device) if device is not None else _null()
    with scope, policy_scope(policy):
        random.set_seed(seed)
        model = lecture_model(kind)
        model.compile(
            optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"]
        )
        start = time.perf_counter()
        model.fit(x_train, y_train, epochs=epochs, batch_size=batch_size, verbose=0)
        seconds = time.perf_counter() - start
        accuracy = accuracy_of(model, x_test, y_test)
    opt = model.optimizer
    return {
        "model": model,
        "policy": policy,
        "accuracy": accuracy,
        "train_seconds": seconds,
        "loss_scale": getattr(opt, "loss_scale", None),
        "skipped_steps": getattr(opt, "skipped_steps", None),
    }


def accuracy_of(model, x, y) -> float:
    """Top-1 accuracy of ``model.predict(x)`` against integer labels ``y``."""
    return float((model.predict(x, batch_size=256, verbose=0).argmax(axis=-1) == y).mean())


def int8_report(model, kind: str | None = None, calibration_samples: int = 500) -> dict:
    """Quantize ``model`` (calibrated on the first training samples); compare with the float model.

    Returns:
        ``{"model", "accuracy", "float_accuracy", "float_bytes", "int8_bytes", "size_ratio",
        "predict_seconds"}``; sizes are of ``save(include_optimizer=False)`` files.
    """
    from gpuflow.backend import device as device_scope
    from gpuflow.quantization import quantize_model

    kind = kind or ("cnn" if len(model.layers[0].kernel.shape) == 4 else "mlp")
    (x_train, _), (x_test, y_test) = digits_data(kind)
    # on the model's own device, whatever the default is (GPUFLOW_DEVICE=cuda makes it cuda:0)
    with device_scope(model.layers[0].kernel.device):
        quantized = quantize_model(model, x_train[:calibration_samples])
        start = time.perf_counter()
        accuracy = accuracy_of(quantized, x_test, y_test)
        seconds = time.perf_counter() - start
        float_accuracy = accuracy_of(model, x_test, y_test)
    with tempfile.TemporaryDirectory() as tmp:
        float_path, int8_path = (
            os.path.join(tmp, "float.gpuflow"),
            os.path.join(tmp, "int8.gpuflow"),
        )
        model.save(float_path, include_optimizer=False)
        quantized.save(int8_path)
        float_bytes, int8_bytes = os.path.getsize(float_path), os.path.getsize(int8_path)
    return {
        "model": quantized,
        "accuracy": accuracy,
        "float_accuracy": float_accuracy,
        "float_bytes": float_bytes,
        "int8_bytes": int8_bytes,
        "size_ratio": float_bytes / int8_bytes,
        "predict_seconds": seconds,
    }


class _null:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False
