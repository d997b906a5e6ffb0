"""Allreduce bandwidth (1 KB..64 MB) and lecture-MLP step time for 1 and 2 MPI workers.

Run: python benchmarks/bench_distributed.py  (starts itself under the mpiexec beside
sys.executable for 2 workers; prints JSON lines; rank 0 reports).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def allreduce_figures(comm) -> list:
    rows = []
    for exponent in range(10, 27, 2):  # 1 KB .. 64 MB
        n = 2**exponent // 4
        data = np.ones(n, dtype=np.float32)
        comm.allreduce_sum(data)  # warm-up
        reps = max(2, min(50, 2**24 // 2**exponent))
        start = time.perf_counter()
        for _ in range(reps):
            comm.allreduce_sum(data)
        seconds = (time.perf_counter() - start) / reps
        p = comm.size
        # Bus bandwidth as NCCL's tests define it: bytes * 2(p-1)/p / time.
        rows.append(
            {
                "bytes": 2**exponent,
                "seconds": seconds,
                "busbw_GBps": 2**exponent * 2 * (p - 1) / p / seconds / 1e9,
            }
        )
    return rows


def step_time(strategy) -> float:
    import gpuflow as tf
    from gpuflow.cli.train import build_model

    rng = np.random.default_rng(0)
    x = rng.random((64 * 20, 784), dtype=np.float32)
    y = rng.integers(0, 10, 64 * 20)
    with strategy.scope():
        model = build_model("mlp", (784,))
        model.compile(
            optimizer=tf.keras.optimizers.SGD(0.01), loss="sparse_categorical_crossentropy"
        )
    model.fit(x[:128], y[:128], batch_size=64, epochs=1, verbose=0)  # warm-up
    start = time.perf_counter()
    model.fit(x, y, batch_size=64, epochs=1, verbose=0)
    return (time.perf_counter() - start) / 20


def worker() -> None:
    import gpuflow as tf

    strategy = tf.distribute.MultiWorkerMirroredStrategy()
    comm = strategy._comm
    rows = allreduce_figures(comm) if comm.size > 1 else []
    seconds = step_time(strategy)
    if comm.rank == 0:
        print(
            json.dumps(
                {
                    "workers": comm.size,
                    "allreduce": rows,
                    "mlp_step_seconds_global_batch_64": seconds,
                }
            )
        )


if __name__ == "__main__":
    if "--worker" in sys.argv:
        worker()
    else:
        exe = Path(sys.executable).parent / "mpiexec"
        for n in (1, 2):
            subprocess.run(
                [str(exe), "-n", str(n), sys.executable, __file__, "--worker"], check=True
            )
