"""A/B: the lecture MLP and CNN trained on the CPU by two gpuflow source trees, interleaved.

    python benchmarks/ab_cpu_training.py BEFORE_TREE AFTER_TREE [--rounds 3] [--epochs 5]

Each round runs every (tree, model, batch) in a fresh process, alternating trees, so that
both see the same machine load. A process builds the model with the public Keras API only
(the same code for every tree), trains one warm-up epoch on the digits (1,438 images,
28x28), then ``--epochs`` epochs timed from epoch begin to epoch end, and prints the median
samples/s. The table gives each tree's best round (the least disturbed) and the median.
``--also-eager`` adds the after tree compiled with ``run_eagerly=True`` (the default
compiles the step) as a third column. ``--cpu-time`` counts process CPU seconds with one
BLAS thread instead of wall seconds: on a machine shared with other jobs, the wall clock
measures the neighbours.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

CHILD = r"""
import json, statistics, sys, time
import numpy as np
import gpuflow
from gpuflow import keras
from gpuflow.datasets import digits

model_name, batch, epochs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
compile_args = {"run_eagerly": True} if sys.argv[5] == "eager" else {}
clock = time.process_time if sys.argv[4] == "cpu" else time.perf_counter
(x, y), _ = digits.load_data(image_size=28)
x = (x.astype("float32") / 255).reshape((len(x), 784) if model_name == "mlp" else x.shape + (1,))
y = y.astype("int64")
gpuflow.random.set_seed(0)
L = keras.layers
with gpuflow.device("cpu"):
    if model_name == "mlp":
        layers = [L.Input(shape=(784,)), L.Dense(512, activation="relu"),
                  L.Dense(10, activation="softmax")]
    else:
        layers = [L.Input(shape=(28, 28, 1)), L.Conv2D(16, (3, 3), strides=2, activation="relu"),
                  L.Conv2D(16, (3, 3), strides=2, activation="relu"), L.Flatten(),
                  L.Dense(64, activation="relu"), L.Dense(10, activation="softmax")]
    model = keras.Sequential(layers)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01),
                  loss="sparse_categorical_crossentropy", **compile_args)


class Timer(keras.callbacks.Callback):
    times = []

    def on_epoch_begin(self, epoch, logs=None):
        self.start = clock()

    def on_epoch_end(self, epoch, logs=None):
        self.times.append(clock() - self.start)


timer = Timer()
model.fit(x, y, batch_size=batch, epochs=epochs + 1, verbose=0, callbacks=[timer])
print(json.dumps(len(x) / statistics.median(timer.times[1:])))
"""


def run(tree: Path, model: str, batch: int, epochs: int, cpu_time: bool, eager: bool) -> float:
    env = {"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin", "GPUFLOW_DEVICE": "cpu"}
    if cpu_time:  # one BLAS thread: CPU seconds then count work, not spinning threads
        env.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            CHILD,
            model,
            str(batch),
            str(epochs),
            "cpu" if cpu_time else "wall",
            "eager" if eager else "default",
        ],
        cwd=tree,
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("before", type=Path)
    p.add_argument("after", type=Path)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--batch", type=int, action="append", default=None)
    p.add_argument(
        "--cpu-time",
        action="store_true",
        help="time epochs in process CPU seconds with one BLAS thread: steadier "
        "than wall time on a machine shared with other jobs",
    )
    p.add_argument(
        "--also-eager",
        action="store_true",
        help="also time the after tree with compile(run_eagerly=True)",
    )
    args = p.parse_args()
    cases = [(m, b) for m in ("mlp", "cnn") for b in (args.batch or [32, 128])]
    trees = {"before": (args.before.resolve(), False), "after": (args.after.resolve(), False)}
    if args.also_eager:
        trees["after-eager"] = (args.after.resolve(), True)
    rates: dict = {(t, m, b): [] for t in trees for m, b in cases}
    for r in range(args.rounds):
        for m, b in cases:
            order = list(trees) if r % 2 == 0 else list(trees)[::-1]
            for t in order:
                tree, eager = trees[t]
                rates[(t, m, b)].append(run(tree, m, b, args.epochs, args.cpu_time, eager))
                print(
                    f"round {r + 1} {m} batch {b} {t}: {rates[(t, m, b)][-1]:.0f} samples/s",
                    file=sys.stderr,
                )
    others = [t for t in trees if t != "before"]
    print(
        "| model | batch | before best (median) | "
        + " | ".join(f"{t} best (median) | {t}/before (best)" for t in others)
        + " |"
    )
    print("|---|---|---|" + "---|---|" * len(others))
    for m, b in cases:
        bef = rates[("before", m, b)]
        cells = [f"{max(bef):.0f} ({statistics.median(bef):.0f})"]
        for t in others:
            aft = rates[(t, m, b)]
            cells.append(f"{max(aft):.0f} ({statistics.median(aft):.0f})")
            cells.append(f"{max(aft) / max(bef):.3f}")
        print(f"| {m} | {b} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
