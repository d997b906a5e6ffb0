"""Input pipelines: the lecture MLP trained from arrays, from gpuflow.data, and from tf.data.

    python benchmarks/bench_data_pipeline.py [--samples N] [--epochs E] [--rounds R] [--out DIR]

Trains the lecture MLP (784-512-10, ReLU, SGD lr 0.01, batch 128, softmax cross-entropy) on
random MNIST-shaped data (uint8 28x28 images, 10 classes) and times whole epochs with a
callback from epoch begin to end (median and fastest of the epochs after the first):

- ``arrays``: ``model.fit(x, y, shuffle=True)`` on the normalized float32 arrays in memory;
- ``cached``: the TFDS MNIST tutorial's pipeline, ``from_tensor_slices((images, labels))
  .map(normalize, AUTOTUNE).cache().shuffle(n).batch(128).prefetch(AUTOTUNE)``;
- ``mapped``: map on every epoch, vectorized after batching, as the tf.data performance
  guide recommends: ``.shuffle(n).batch(128).map(normalize, AUTOTUNE).prefetch(AUTOTUNE)``.

The GEMM floor (``benchmarks/suite/gemm_floor.py``) times an epoch of the step's matrix
products alone with NumPy's BLAS: tf.keras' epoch over the floor's is the largest ratio any
framework on this BLAS could reach, printed next to the goal.

The same two pipelines run with tf.data and tf.keras (Keras 3, its default compiled ``fit``)
in a subprocess of the TensorFlow interpreter (``--tf-python``, default /work/tfvenv's, or
``python`` itself when it imports TensorFlow): each round runs gpuflow, then TensorFlow, never
both at the same time.
Goals (issue 17): a pipeline within 10% of ``arrays``; gpuflow's ``fit`` on a Dataset at
least 2x tf.data + tf.keras on the same pipeline. The ratios are printed at the end.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
BATCH = 128
PIPELINES = ("cached", "mapped")
FLOOR = "gemm floor"

# The model, the pipelines and the timing, written once for both frameworks: `tf` is gpuflow
# (imported as tf) in this process and TensorFlow in the subprocess.
SHARED = '''
import statistics, time
import numpy as np


def make_model(tf):
    model = tf.keras.Sequential([
        tf.keras.Input(shape=(784,)),
        tf.keras.layers.Dense(512, activation="relu"),
        tf.keras.layers.Dense(10),
    ])
    model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=0.01),
                  loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model


def normalize(tf):
    def fn(image, label):
        image = tf.cast(tf.reshape(image, [-1, 784] if len(image.shape) == 3 else [784]),
                        tf.float32) / 255.0
        return image, label
    return fn


def pipeline(tf, name, images, labels, batch):
    ds = tf.data.Dataset.from_tensor_slices((images, labels))
    if name == "cached":
        ds = ds.map(normalize(tf), num_parallel_calls=tf.data.AUTOTUNE).cache()
        ds = ds.shuffle(len(images)).batch(batch)
    else:
        ds = ds.shuffle(len(images)).batch(batch)
        ds = ds.map(normalize(tf), num_parallel_calls=tf.data.AUTOTUNE)
    return ds.prefetch(tf.data.AUTOTUNE)


def epoch_seconds(tf, fit, epochs):
    """Seconds of each epoch of fit(callbacks=[timer]), measured from begin to end."""
    times = []

    class Timer(tf.keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            times.append(time.perf_counter() - self.start)

    fit([Timer()], epochs)
    return times


def measure(tf, kind, images, labels, epochs):
    time.sleep(0.2)  # let the BLAS threads of the previous fit stop spinning
    model = make_model(tf)
    if kind == "arrays":
        x = images.reshape(len(images), 784).astype("float32") / 255.0
        fit = lambda cbs, e: model.fit(x, labels, batch_size=%(batch)d, epochs=e, shuffle=True,
                                       verbose=0, callbacks=cbs)
    else:
        ds = pipeline(tf, kind, images, labels, %(batch)d)
        fit = lambda cbs, e: model.fit(ds, epochs=e, verbose=0, callbacks=cbs)
    times = epoch_seconds(tf, fit, epochs)
    return {"first_epoch_s": times[0], "epochs_s": times[1:]}
''' % {"batch": BATCH}

TF_MAIN = """
import json, sys
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)
data = np.load(sys.argv[1])
images, labels, epochs = data["images"], data["labels"], int(sys.argv[2])
out = {"version": tf.__version__, "keras": tf.keras.__version__ if hasattr(tf.keras,
       "__version__") else None}
for kind in ("cached", "mapped"):
    out[kind] = measure(tf, kind, images, labels, epochs)
out["intra_op_threads"] = tf.config.threading.get_intra_op_parallelism_threads()
print("RESULT " + json.dumps(out))
"""


def floor_round(samples: int, epochs: int) -> dict:
    """Epochs of the step's GEMMs alone (``ceil(samples / BATCH)`` steps each), as
    ``measure`` reports an input kind."""
    sys.path.insert(0, str(REPO))
    from benchmarks.suite.gemm_floor import mlp_step_gemms

    step, steps, times = mlp_step_gemms(BATCH), -(-samples // BATCH), []
    for _ in range(epochs):
        start = time.perf_counter()
        for _ in range(steps):
            step()
        times.append(time.perf_counter() - start)
    return {"first_epoch_s": times[0], "epochs_s": times[1:]}


def gpuflow_round(images, labels, epochs: int) -> dict:
    """One measurement of each kind, in this process, and the GEMM floor."""
    sys.path.insert(0, str(REPO))
    import gpuflow as tf

    scope: dict = {}
    exec(compile(SHARED, "bench_data_pipeline(shared)", "exec"), scope)
    tf.keras.utils.set_random_seed(0)
    out = {
        kind: scope["measure"](tf, kind, images, labels, epochs) for kind in ("arrays",) + PIPELINES
    }
    out[FLOOR] = floor_round(len(images), epochs)
    return out


def summarize(runs: list) -> dict:
    """Per kind: the median and the fastest of all timed epochs of all rounds, and the median
    first epoch. The fastest is the least disturbed by other processes on a busy machine."""
    out = {}
    for kind in runs[0]:
        epochs = [t for run in runs for t in run[kind]["epochs_s"]]
        out[kind] = {
            "epoch_s": statistics.median(epochs),
            "best_epoch_s": min(epochs),
            "first_epoch_s": statistics.median(r[kind]["first_epoch_s"] for r in runs),
            "timed_epochs": len(epochs),
        }
    return out


def tensorflow_run(
    python: str | None, images, labels, epochs: int, threads: int | None
) -> dict | None:
    if python is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "data.npz")
        np.savez(path, images=images, labels=labels)
        env = dict(
            os.environ, TF_CPP_MIN_LOG_LEVEL="3", CUDA_VISIBLE_DEVICES="", **_thread_env(threads)
        )
        done = subprocess.run(
            [python, "-c", SHARED + TF_MAIN, path, str(epochs)],
            env=env,
            capture_output=True,
            text=True,
            timeout=3600,
        )
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode != 0 or not lines:
        print(f"TensorFlow run failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
        return None
    return json.loads(lines[-1][len("RESULT ") :])


def _thread_env(threads: int | None) -> dict:
    if not threads:
        return {}
    n = str(threads)
    return {
        "OPENBLAS_NUM_THREADS": n,
        "OMP_NUM_THREADS": n,
        "MKL_NUM_THREADS": n,
        "TF_NUM_INTRAOP_THREADS": n,
        "TF_NUM_INTEROP_THREADS": n,
    }


def find_tf_python(given: str | None) -> str | None:
    if given:
        return given
    try:
        import tensorflow  # noqa: F401

        return sys.executable
    except ImportError:
        pass
    default = "/work/tfvenv/bin/python"
    return default if os.path.exists(default) else None


def machine() -> dict:
    sys.path.insert(0, str(REPO / "benchmarks"))  # the suite's machine facts (suite/machine.py)
    from suite import machine as info

    return {
        "cpu": info.cpu_model(),
        "cores": os.cpu_count(),
        "load_average": info.load_average(),
        "cpu_pressure": info.cpu_pressure(),
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


def report(args, gf: dict, tf: dict | None, before: dict, after: dict) -> str:
    samples, steps = args.samples, -(-args.samples // BATCH)
    lines = [
        f"# Input pipelines: lecture MLP fit, {samples} samples, batch {BATCH} "
        f"({steps} steps/epoch)",
        "",
        f"Machine: {before['cpu']}, {before['cores']} cores; {before['date']}; load average "
        f"before {before['load_average']}, after {after['load_average']}; Python "
        f"{before['python']}, NumPy {before['numpy']}"
        + (f"; TensorFlow {tf['version']}" if tf else "; TensorFlow not run")
        + (
            f"; compute threads {args.threads} (OpenBLAS and TensorFlow's pools)"
            if args.threads
            else "; compute threads: each library's default"
        ),
        "",
        f"Seconds per epoch over all timed epochs (epochs 2..{args.epochs} of each fit) of "
        f"{args.rounds} rounds, each running gpuflow and then TensorFlow: median, and the "
        f"fastest (the least disturbed on a busy machine); the first epoch (cache filling, "
        f"tracing) apart.",
        "",
        "| input | gpuflow median / fastest / first | tf.keras median / fastest / first | "
        "pipeline / arrays (gpuflow; median, fastest) | tf.data / gpuflow (median, "
        "fastest) |",
        "|---|---|---|---|---|",
    ]

    def cell(m):
        return f"{m['epoch_s']:.3f} / {m['best_epoch_s']:.3f} / {m['first_epoch_s']:.3f}"

    base = gf["arrays"]
    lines.append(f"| arrays in memory | {cell(base)} | - | 1.00, 1.00 | - |")
    for kind in PIPELINES:
        ours, theirs = gf[kind], (tf[kind] if tf else None)
        lines.append(
            f"| {kind} Dataset | {cell(ours)} | {cell(theirs) if tf else '-'} | "
            f"{ours['epoch_s'] / base['epoch_s']:.2f}, "
            f"{ours['best_epoch_s'] / base['best_epoch_s']:.2f} | "
            + (
                f"{theirs['epoch_s'] / ours['epoch_s']:.2f}x, "
                f"{theirs['best_epoch_s'] / ours['best_epoch_s']:.2f}x"
                if tf
                else "-"
            )
            + " |"
        )
    floor = gf[FLOOR]
    lines.append(
        f"| GEMM floor (the step's matrix products alone) | {cell(floor)} | - | "
        f"{floor['epoch_s'] / base['epoch_s']:.2f}, "
        f"{floor['best_epoch_s'] / base['best_epoch_s']:.2f} | - |"
    )
    lines += ["", "Goals: pipeline / arrays <= 1.10; tf.data / gpuflow >= 2x."]
    if tf:
        most = ", ".join(
            f"{kind} {tf[kind]['epoch_s'] / floor['epoch_s']:.2f}x "
            f"(fastest {tf[kind]['best_epoch_s'] / floor['best_epoch_s']:.2f}x)"
            for kind in PIPELINES
        )
        lines.append(
            "The most tf.data / gpuflow could be for any framework on this BLAS "
            f"(tf.keras' epoch over the GEMM floor's): {most}."
        )
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=12_800)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--tf-python",
        default=None,
        help="the Python that imports TensorFlow (default: found, see above)",
    )
    parser.add_argument("--skip-tf", action="store_true", help="measure gpuflow only")
    parser.add_argument("--out", default=None, help="folder for results.md and results.json")
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="compute threads for both frameworks (OpenBLAS / TensorFlow's "
        "intra-op pool); default: each library's own choice",
    )
    args = parser.parse_args(argv)
    if args.threads and os.environ.get("OPENBLAS_NUM_THREADS") != str(args.threads):
        # OpenBLAS reads its thread count when NumPy loads it: start again with it set.
        os.environ.update(_thread_env(args.threads))
        os.execv(sys.executable, [sys.executable, *sys.argv])
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(args.samples, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, size=args.samples).astype(np.int64)
    before = machine()
    start = time.perf_counter()
    tf_python = None if args.skip_tf else find_tf_python(args.tf_python)
    gf_runs, tf_runs = [], []
    for r in range(args.rounds):  # alternate, so that a drifting machine load hits both alike
        gf_runs.append(gpuflow_round(images, labels, args.epochs))
        print(
            f"  round {r + 1}/{args.rounds} gpuflow: "
            + ", ".join(f"{k} {min(v['epochs_s']):.3f}" for k, v in gf_runs[-1].items())
            + " s/epoch",
            flush=True,
        )
        run = tensorflow_run(tf_python, images, labels, args.epochs, args.threads)
        if run is not None:
            tf_runs.append(run)
            print(
                f"  round {r + 1}/{args.rounds} tf.keras: "
                + ", ".join(f"{k} {min(run[k]['epochs_s']):.3f}" for k in PIPELINES)
                + " s/epoch",
                flush=True,
            )
    gf = summarize(gf_runs)
    tf = (
        dict(tf_runs[-1], **summarize([{k: t[k] for k in PIPELINES} for t in tf_runs]))
        if tf_runs
        else None
    )
    after = machine()
    text = report(args, gf, tf, before, after)
    print(text)
    print(f"(whole run {time.perf_counter() - start:.0f} s)")
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        (out / "results.md").write_text(text)
        (out / "results.json").write_text(
            json.dumps(
                {
                    "settings": vars(args),
                    "machine_before": before,
                    "machine_after": after,
                    "gpuflow": gf,
                    "tensorflow": tf,
                    "gpuflow_rounds": gf_runs,
                    "tensorflow_rounds": tf_runs,
                },
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
