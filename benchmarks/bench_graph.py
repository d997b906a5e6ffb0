"""Compiled training steps (gpuflow.function) against eager gpuflow and the peers, in one run.

Run from the repository root: ``python benchmarks/bench_graph.py [--out DIR] [--quick]``.

Measured, each ratio from one interleaved run (implementations take turns, so load on a
shared machine falls on all of them alike):

- lecture MLP (784-512-10, ReLU, softmax cross-entropy, plain SGD) training step at batch
  32 and 128: gpuflow compiled (``compile_step(model.train_step)``), gpuflow eager, a
  hand-written NumPy loop doing the same math, PyTorch eager on the CPU; every step reads
  its loss back as a Python float. tf.keras ``fit`` on the CPU per step, when TensorFlow
  is importable by ``--tf-python`` (run as a subprocess: its threads stay out of ours).
- the GEMM floor of the MLP step (its five matrix products alone, NumPy's BLAS): peer time
  over the floor is the largest speed-up over that peer that any framework on this BLAS
  could measure; the ceilings are printed next to the goals.
- framework overhead per compiled step on a tiny model (Dense 16-16-4, batch 8): the
  compiled step minus the same math done by NumPy alone, in microseconds.
- lecture CNN at batch 128: gpuflow compiled and eager against PyTorch eager.

On a shared machine under load, multi-threaded BLAS calls wait for their second thread to
be scheduled and single GEMMs vary by 40x; run with ``OPENBLAS_NUM_THREADS=1
OMP_NUM_THREADS=1`` (PyTorch and the TensorFlow subprocess follow ``OMP_NUM_THREADS``) for
ratios that measure the libraries rather than the scheduler.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import textwrap

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import gpuflow as gf  # noqa: E402
from benchmarks.suite import machine  # noqa: E402
from benchmarks.suite.gemm_floor import ceilings, mlp_step_gemms  # noqa: E402
from benchmarks.suite.models import LEARNING_RATE, Setup  # noqa: E402
from benchmarks.suite.timing import interleaved  # noqa: E402
from gpuflow.graph import compile_step  # noqa: E402

FLOOR = "gemm-floor"


def step_fns(setup: Setup, batch: int) -> dict:
    xb, yb = setup.gpuflow_tensor(setup.x[:batch]), setup.gpuflow_tensor(setup.y[:batch])
    compiled = compile_step(setup.net.train_step)
    fns = {
        "gpuflow-compiled": lambda: float(compiled((xb, yb))["loss"]),
        "gpuflow-eager": lambda: float(setup.net.train_step((xb, yb))["loss"]),
    }
    for name, peer in setup.peers.items():
        px, py = setup.data[name]
        fns[name] = lambda p=peer, a=px[:batch], b=py[:batch]: p.train_step(a, b)
    return fns


def per_step(results: dict) -> dict:
    return {name: r["median_s"] for name, r in results.items()}


TF_SCRIPT = textwrap.dedent(
    """
    import json, sys, time
    import numpy as np
    import os
    import tensorflow as tf
    threads = int(os.environ.get("OMP_NUM_THREADS", "0"))
    if threads:  # as many threads as the other libraries were given
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
    batch, steps = int(sys.argv[1]), int(sys.argv[2])
    rng = np.random.default_rng(0)
    x = rng.random((batch * steps, 784), dtype=np.float32)
    y = rng.integers(0, 10, batch * steps)
    model = tf.keras.Sequential([tf.keras.Input((784,)), tf.keras.layers.Dense(512, "relu"),
                                 tf.keras.layers.Dense(10, "softmax")])
    model.compile(optimizer=tf.keras.optimizers.SGD(%r),
                  loss="sparse_categorical_crossentropy")
    model.fit(x, y, batch_size=batch, epochs=1, verbose=0)  # trace and warm up
    times = []
    for _ in range(3):
        start = time.perf_counter()
        model.fit(x, y, batch_size=batch, epochs=1, verbose=0)
        times.append((time.perf_counter() - start) / steps)
    print(json.dumps({"median_s": sorted(times)[1], "version": tf.__version__}))
"""
    % LEARNING_RATE
)


def tf_fit(python: str, batch: int, steps: int) -> dict | None:
    if not python or not os.path.exists(python):
        return None
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", CUDA_VISIBLE_DEVICES="")
    done = subprocess.run(
        [python, "-c", TF_SCRIPT, str(batch), str(steps)],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if done.returncode != 0:
        print("tf.keras fit failed:", done.stderr[-500:])
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


class TinyNumpy:
    """Dense(16, relu) -> Dense(4), softmax cross-entropy, SGD: by hand in NumPy."""

    def __init__(self, weights, lr) -> None:
        self.w1, self.b1, self.w2, self.b2 = (np.array(w) for w in weights)
        self.lr = np.float32(lr)

    def step(self, x, y) -> float:
        n = len(x)
        h = x @ self.w1 + self.b1
        np.maximum(h, 0, out=h)
        z = h @ self.w2 + self.b2
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        p = e / e.sum(axis=1, keepdims=True)
        rows = np.arange(n)
        loss = -np.log(p[rows, y]).mean()
        p[rows, y] -= 1
        p /= n
        dw2, db2 = h.T @ p, p.sum(axis=0)
        dh = p @ self.w2.T
        dh *= h > 0
        dw1, db1 = x.T @ dh, dh.sum(axis=0)
        for var, grad in ((self.w1, dw1), (self.b1, db1), (self.w2, dw2), (self.b2, db2)):
            var -= self.lr * grad
        return float(loss)


def tiny_fns() -> dict:
    gf.random.set_seed(0)
    with gf.device("cpu"):
        model = gf.keras.Sequential(
            [
                gf.keras.layers.Input(shape=(16,)),
                gf.keras.layers.Dense(16, activation="relu"),
                gf.keras.layers.Dense(4),
            ]
        )
    loss_fn = gf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    opt = gf.keras.optimizers.SGD(learning_rate=LEARNING_RATE)
    rng = np.random.default_rng(0)
    x = rng.random((8, 16), dtype=np.float32)
    y = rng.integers(0, 4, 8)
    ref = TinyNumpy(model.get_weights(), LEARNING_RATE)
    xt, yt = gf.constant(x, device="cpu"), gf.constant(y, device="cpu")

    def step(a, b):
        with gf.GradientTape() as tape:
            loss = loss_fn(b, model(a, training=True))
        grads = tape.gradient(loss, model.trainable_variables)
        opt.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    compiled = gf.function(step)
    return {
        "gpuflow-compiled": lambda: float(compiled(xt, yt)),
        "gpuflow-eager": lambda: float(step(xt, yt)),
        "numpy": lambda: ref.step(x, y),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=None, help="folder for results.json / results.md")
    parser.add_argument("--quick", action="store_true", help="fewer rounds")
    parser.add_argument("--tf-python", default="/work/tfvenv/bin/python")
    args = parser.parse_args()
    rounds = 3 if args.quick else 7
    report: dict = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="minutes"),
        "machine": machine.describe(),
        "results": {},
        "threads": {k: os.environ.get(k) for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")},
        "load_average_start": machine.load_average(),
    }
    lines = []

    def show(title, times, base="gpuflow-compiled"):
        floor = times.pop(FLOOR, None)
        ratios = {k: v / times[base] for k, v in times.items() if k != base}
        report["results"][title] = {"seconds_per_step": times, "speedup_of_compiled_over": ratios}
        text = f"{title}: " + ", ".join(f"{k} {v * 1e3:.3f} ms" for k, v in times.items())
        text += "\n  compiled is " + ", ".join(f"{r:.2f}x {k}" for k, r in ratios.items())
        if floor is not None:
            most = ceilings(dict(times, **{FLOOR: floor}), FLOOR, list(ratios))
            report["results"][title].update(gemm_floor_s=floor, largest_possible_speedup=most)
            text += (
                f"\n  GEMM floor {floor * 1e3:.3f} ms (compiled = {times[base] / floor:.2f}x "
                "floor); the most any framework on this BLAS could reach: "
                + ", ".join(f"{r:.2f}x {k}" for k, r in most.items() if k != "gpuflow-eager")
            )
        print(text, flush=True)
        lines.append(text)

    mlp = Setup("mlp", "cpu", "float32")
    for batch in (32, 128):
        fns = dict(step_fns(mlp, batch), **{FLOOR: mlp_step_gemms(batch)})
        res = interleaved(fns, rounds=rounds, block=10, settle_s=0.05, budget_s=20.0)
        times = per_step(res)
        tf_res = tf_fit(args.tf_python, batch, steps=100)
        if tf_res is not None:
            times[f"tf.keras-fit-{tf_res['version']}"] = tf_res["median_s"]
        show(f"MLP train step, batch {batch}", times)

    res = interleaved(tiny_fns(), rounds=rounds, block=200, settle_s=0.05, budget_s=10.0)
    times = per_step(res)
    overhead = (times["gpuflow-compiled"] - times["numpy"]) * 1e6
    eager_overhead = (times["gpuflow-eager"] - times["numpy"]) * 1e6
    report["results"]["tiny model overhead"] = {
        "seconds_per_step": times,
        "compiled_minus_numpy_us": overhead,
        "eager_minus_numpy_us": eager_overhead,
    }
    text = (
        f"tiny model (Dense 16-16-4, batch 8): compiled {times['gpuflow-compiled'] * 1e6:.1f}"
        f" us, eager {times['gpuflow-eager'] * 1e6:.1f} us, NumPy {times['numpy'] * 1e6:.1f}"
        f" us\n  overhead per compiled step {overhead:.1f} us (eager: {eager_overhead:.1f} us)"
    )
    print(text, flush=True)
    lines.append(text)

    cnn = Setup("cnn", "cpu", "float32")
    res = interleaved(step_fns(cnn, 128), rounds=rounds, block=3, settle_s=0.05, budget_s=30.0)
    show("CNN train step, batch 128", per_step(res))

    report["load_average_end"] = machine.load_average()
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        with open(os.path.join(args.out, "results.json"), "w") as f:
            json.dump(report, f, indent=1, default=str)
        with open(os.path.join(args.out, "results.md"), "w") as f:
            f.write(
                f"# bench_graph.py, {report['date']}\n\nthreads: {report['threads']}, load "
                f"average at start {report['load_average_start']}, at end "
                f"{report['load_average_end']}\n\n```\n" + "\n".join(lines) + "\n```\n"
            )


if __name__ == "__main__":
    main()
