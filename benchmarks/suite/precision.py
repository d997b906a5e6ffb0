"""What each precision costs and buys: the lecture MLP and CNN trained in float16, float32
and float64 for a fixed number of epochs on the digits (28x28), from the same seed.

SGD with momentum 0.9, learning rate 0.05, batch 32 (``gpuflow train --optimizer sgd``'s
settings); reports the final test accuracy and loss, the median seconds per epoch and the
saved model's size. With float32 come two more rows: the same training under the
``mixed_float16`` policy (float16 compute, float32 weights, loss scaling), and the float32
model quantized to int8 (``gpuflow.quantization``; inference only: seconds to predict the
test set instead of seconds per epoch).
"""

from __future__ import annotations

import math
import os
import tempfile
import time

import numpy as np

from .models import _epoch_timer, build, load_digits

CALIBRATION_SAMPLES = 500

EPOCHS, QUICK_EPOCHS = 10, 1
BATCH_SIZE = 32


def run(device: str, dtype: str, settings: dict, log=print) -> list:
    records = []
    for model in ("mlp", "cnn"):
        net, rec = _train_and_test(model, dtype, device, settings)
        records.append(rec)
        if dtype == "float32":
            records.append(_train_and_test(model, "mixed_float16", device, settings)[1])
            records.append(_int8(net, rec, device))
    for rec in records:
        timing = (
            f"{rec['seconds_per_epoch']:.3f} s/epoch ({rec['epochs']} epochs)"
            if rec["epochs"]
            else f"{rec['predict_s']:.3f} s to predict the test set"
        )
        log(
            f"  precision {rec['model']} {device} {rec['dtype']}: "
            f"test accuracy {rec['test_accuracy']:.4f}, {timing}"
        )
    return records


def _train_and_test(model: str, dtype: str, device: str, settings: dict):
    """Train ``model`` under ``dtype`` (a float type or "mixed_float16"); its test figures."""
    import gpuflow
    from gpuflow.backend import get_device

    dev = get_device(device)
    epochs = QUICK_EPOCHS if settings["quick"] else EPOCHS
    data_dtype = "float32" if dtype == "mixed_float16" else dtype
    (x, y), (xt, yt) = load_digits(model, data_dtype, limit=128 if settings["quick"] else None)
    with gpuflow.mixed_precision.policy_scope(dtype):
        net = build(
            model,
            data_dtype,
            device,
            seed=0,
            optimizer=gpuflow.optimizers.SGD(learning_rate=0.05, momentum=0.9),
        )
    timer = _epoch_timer(dev.synchronize)
    history = net.fit(x, y, batch_size=BATCH_SIZE, epochs=epochs, verbose=0, callbacks=[timer])
    net.compile(
        optimizer=net.optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    loss, accuracy = net.evaluate(xt, yt, batch_size=256, verbose=0)
    times = sorted(timer.times)
    rec = {
        "model": model,
        "device": device,
        "dtype": dtype,
        "epochs": epochs,
        "batch_size": BATCH_SIZE,
        "train_samples": len(x),
        "test_samples": len(xt),
        "test_accuracy": float(accuracy),
        "test_loss": _finite(loss),
        "final_train_loss": _finite(history.history["loss"][-1]),
        "seconds_per_epoch": times[len(times) // 2],
        "first_epoch_s": timer.times[0],
        "model_bytes": _saved_size(net),
    }
    return net, rec


def _int8(net, float_rec: dict, device: str) -> dict:
    """The int8-quantized twin of ``net``: test accuracy, prediction time, file size."""
    from gpuflow.quantization import quantize_model

    model = float_rec["model"]
    (x, _), (xt, yt) = load_digits(model, "float32")
    quantized = quantize_model(net, x[:CALIBRATION_SAMPLES])
    start = time.perf_counter()
    predicted = quantized.predict(xt, batch_size=256, verbose=0).argmax(axis=1)
    seconds = time.perf_counter() - start
    return {
        "model": model,
        "device": device,
        "dtype": "int8 (from float32)",
        "epochs": None,
        "batch_size": None,
        "train_samples": None,
        "test_samples": len(xt),
        "test_accuracy": float(np.mean(predicted == yt)),
        "test_loss": None,
        "final_train_loss": None,
        "seconds_per_epoch": None,
        "first_epoch_s": None,
        "predict_s": seconds,
        "model_bytes": _saved_size(quantized),
    }


def _saved_size(net) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "model.gpuflow")
        net.save(path, include_optimizer=False)
        return os.path.getsize(path)


def _finite(value):
    value = float(value)
    return value if math.isfinite(value) else None
