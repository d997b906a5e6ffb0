"""What each precision costs and buys: the lecture MLP and CNN trained in float16, float32
and float64 for a fixed number of epochs on the digits (28x28), from the same seed.

SGD with momentum 0.9, learning rate 0.05, batch 32 (``gpuflow train --optimizer sgd``'s
settings); reports the final test accuracy and loss and the median seconds per epoch.
"""
from __future__ import annotations

import math

from .models import _epoch_timer, build, load_digits

EPOCHS, QUICK_EPOCHS = 10, 1
BATCH_SIZE = 32


def run(device: str, dtype: str, settings: dict, log=print) -> list:
    import gpuflow
    from gpuflow.backend import get_device

    dev = get_device(device)
    epochs = QUICK_EPOCHS if settings["quick"] else EPOCHS
    records = []
    for model in ("mlp", "cnn"):
        (x, y), (xt, yt) = load_digits(model, dtype, limit=128 if settings["quick"] else None)
        net = build(model, dtype, device, seed=0,
                    optimizer=gpuflow.optimizers.SGD(learning_rate=0.05, momentum=0.9))
        timer = _epoch_timer(dev.synchronize)
        history = net.fit(x, y, batch_size=BATCH_SIZE, epochs=epochs, verbose=0, callbacks=[timer])
        net.compile(optimizer=net.optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        loss, accuracy = net.evaluate(xt, yt, batch_size=256, verbose=0)
        times = sorted(timer.times)
        rec = {"model": model, "device": device, "dtype": dtype, "epochs": epochs, "batch_size": BATCH_SIZE,
               "train_samples": len(x), "test_samples": len(xt),
               "test_accuracy": float(accuracy), "test_loss": _finite(loss),
               "final_train_loss": _finite(history.history["loss"][-1]),
               "seconds_per_epoch": times[len(times) // 2], "first_epoch_s": timer.times[0]}
        records.append(rec)
        log(f"  precision {model} {device} {dtype}: test accuracy {rec['test_accuracy']:.4f}, "
            f"{rec['seconds_per_epoch']:.3f} s/epoch ({epochs} epochs)")
    return records


def _finite(value):
    value = float(value)
    return value if math.isfinite(value) else None
