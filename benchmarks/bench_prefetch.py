"""Prefetch to the device, on and off: one small fit each, equal weights, step times.

Usage: ``PYTHONPATH=. python3 benchmarks/bench_prefetch.py [--device cuda|cuda-emu] [--tiny]
[--out DIR]`` (normally the ``prefetch`` step of ``benchmarks/gpu_check.sh``; ``--out`` is
accepted and unused: the result is the last line printed, ``RESULT {json}``, which
gpu_check.py stores in ``summary.json`` under the step's ``result``).

An MLP (784 -> 256 -> 10, SGD; batch 256, 32 steps an epoch, 4 epochs; ``--tiny``:
16 -> 8 -> 10, 2 steps) is fitted on a ``Dataset`` of host arrays (so every batch is
uploaded) from the same weights and seed with ``epoch_iterator.PREFETCH_TO_DEVICE`` on
(batch k+1's upload overlaps step k: pinned buffers, a copy stream) and off (the
synchronous ``device.asarray`` per batch). The first epoch of each fit is a warm-up; the
step time of each later epoch is its wall time (device synchronized at both ends) over its
steps. Exits 1 when the two fits' weights differ (they must be bit-for-bit equal: the same
kernels run in the same order on the compute stream either way) or an upload is left in
flight, 3 when no GPU answers. About 5 s on a GPU (NVRTC caches warm from the earlier steps).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

import numpy as np

import gpuflow
from gpuflow.backend import get_device
from gpuflow.trainers import epoch_iterator

keras = gpuflow.keras


class EpochTimer(keras.callbacks.Callback):
    """Milliseconds per step of each epoch after the first (synchronized at both ends)."""

    def __init__(self, device, steps: int) -> None:
        super().__init__()
        self.device, self.steps, self.step_ms, self._start = device, steps, [], 0.0

    def on_epoch_begin(self, epoch, logs=None):
        self.device.synchronize()
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.device.synchronize()
        if epoch > 0:
            self.step_ms.append((time.perf_counter() - self._start) * 1e3 / self.steps)


def fit_once(device_name, prefetch: bool, x, y, initial, batch: int, epochs: int, hidden: int):
    epoch_iterator.PREFETCH_TO_DEVICE = prefetch
    gpuflow.random.set_seed(0)
    with gpuflow.device(device_name):
        model = keras.Sequential(
            [
                keras.layers.Input(shape=(x.shape[1],)),
                keras.layers.Dense(hidden, activation="relu"),
                keras.layers.Dense(10, activation="softmax"),
            ]
        )
        model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    if initial is not None:
        model.set_weights(initial)
    steps = len(x) // batch
    timer = EpochTimer(get_device(device_name), steps)
    data = gpuflow.data.Dataset.from_tensor_slices((x, y)).batch(batch)
    model.fit(data, epochs=epochs, verbose=0, shuffle=False, callbacks=[timer])
    return model.get_weights(), timer.step_ms


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cuda", choices=("cuda", "cuda-emu"))
    parser.add_argument("--tiny", action="store_true", help="tiny sizes (a dry run)")
    parser.add_argument("--out", help="accepted for gpu_check.py; nothing is written there")
    args = parser.parse_args()
    device_name = "cuda:0" if args.device == "cuda" else "cuda-emu"
    try:
        device = get_device(device_name)
    except Exception as exc:  # noqa: BLE001 - reported, exit 3 as the other benchmarks
        print(f"bench_prefetch: NO GPU FOUND ({type(exc).__name__}: {exc})", file=sys.stderr)
        return 3
    n, features, hidden, batch, epochs = (
        (16, 16, 8, 8, 2) if args.tiny else (8192, 784, 256, 256, 4)
    )
    rng = np.random.default_rng(0)
    x = rng.standard_normal((n, features)).astype(np.float32)
    y = rng.integers(0, 10, n)
    start = time.perf_counter()
    sizes = dict(batch=batch, epochs=epochs, hidden=hidden)
    initial, _ = fit_once(device_name, False, x[:batch], y[:batch], None, **sizes)  # warm-up
    off_w, off_ms = fit_once(device_name, False, x, y, initial, **sizes)
    on_w, on_ms = fit_once(device_name, True, x, y, initial, **sizes)
    diff = max(float(np.max(np.abs(a - b))) for a, b in zip(on_w, off_w))
    uploader = getattr(device, "_uploader", None)
    result = {
        "device": device.name,
        "equal_weights": diff == 0.0,
        "max_abs_diff": diff,
        "batch": batch,
        "steps": n // batch,
        "step_ms_prefetch_on": [round(t, 3) for t in on_ms],
        "step_ms_prefetch_off": [round(t, 3) for t in off_ms],
        "speedup": round(statistics.median(off_ms) / statistics.median(on_ms), 3),
        "ring_waits": getattr(uploader, "reuse_waits", None),
        "in_flight": uploader.in_flight() if uploader is not None else None,
        "s": round(time.perf_counter() - start, 1),
    }
    print("RESULT " + json.dumps(result, separators=(",", ":")), flush=True)
    return 0 if result["equal_weights"] and result["in_flight"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
