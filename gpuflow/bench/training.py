"""One measurement of ``gpuflow bench``: a lecture model's training and predict speed."""

from __future__ import annotations

import statistics
import time

import numpy as np

LEARNING_RATE = 0.01


def _digits(model: str, dtype: str, limit: int | None):
    from ..datasets import digits

    (x, y), _ = digits.load_data(image_size=28)
    x = x.astype(dtype) / np.asarray(255, dtype)
    x = x.reshape(len(x), -1) if model == "mlp" else x.reshape(*x.shape, 1)
    return (x[:limit], y[:limit].astype(np.int64)) if limit else (x, y.astype(np.int64))


def _timer(sync):
    from ..callbacks import Callback

    class EpochTimer(Callback):
        """Seconds of each epoch, the device synced at both ends."""

        def __init__(self) -> None:
            super().__init__()
            self.times: list = []

        def on_epoch_begin(self, epoch, logs=None):
            sync()
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            sync()
            self.times.append(time.perf_counter() - self.start)

    return EpochTimer()


def measure(model: str, device: str, dtype: str, batch: int, quick: bool = False) -> dict:
    """Train the lecture ``model`` on ``device`` in ``dtype`` and time it.

    Returns:
        ``{"model", "device", "dtype", "batch", "train_samples_per_s", "predict_ms"}``:
        the median epoch's samples per second after one warm-up epoch, and the median of
        a few ``predict`` calls on 128 samples.
    """
    from .. import optimizers, random
    from ..backend import device as device_scope
    from ..backend import get_device
    from ..mixed_precision import policy_scope
    from ..models.lecture import lecture_model

    dev = get_device(device)
    x, y = _digits(model, dtype, 64 if quick else None)
    random.set_seed(0)
    with device_scope(dev), policy_scope(dtype):
        net = lecture_model(model)
        net.compile(
            optimizer=optimizers.SGD(learning_rate=LEARNING_RATE),
            loss="sparse_categorical_crossentropy",
        )
        timer = _timer(dev.synchronize)
        epochs = 1 if quick else 5
        net.fit(x, y, batch_size=batch, epochs=epochs + 1, verbose=0, callbacks=[timer])
        sample = x[:128]
        predict = []
        for _ in range(1 if quick else 5):
            start = time.perf_counter()
            net.predict(sample, batch_size=128, verbose=0)
            predict.append(time.perf_counter() - start)
    return {
        "model": model,
        "device": dev.name,
        "dtype": dtype,
        "batch": batch,
        "train_samples_per_s": len(x) / statistics.median(timer.times[1:]),
        "predict_ms": 1e3 * statistics.median(predict),
    }
