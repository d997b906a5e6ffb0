"""kill -9 during model.save: the last good file always loads, and partial files are cleaned.

A forked child saves a model in a loop (each save's weights all equal to the save's number);
the parent kills it with SIGKILL at a random point, 20 times. After each kill the file at the
path loads and holds one save's weights, never a mix; any partial file left says what it is
in its name, and the next save to the path removes it.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time

import numpy as np

import gpuflow as tf
from gpuflow.saving.atomic import remove_stale_partials

KILLS = 20


def _model():
    model = tf.keras.Sequential([tf.keras.layers.Dense(512), tf.keras.layers.Dense(512)])
    model.build((None, 512))
    return model


def _fill(model, value: float) -> None:
    model.set_weights([np.full(w.shape, value, "float32") for w in model.get_weights()])


def _save_forever(model, path, ready) -> None:
    i = 0
    while True:
        i += 1
        _fill(model, float(i))
        model.save(path)
        ready.set()


def _check_loads(path) -> float:
    weights = tf.keras.models.load_model(path).get_weights()
    values = np.unique(np.concatenate([w.ravel() for w in weights]))
    assert len(values) == 1, f"a mix of saves: {values[:5]}"
    return float(values[0])


def test_sigkill_during_save_never_loses_the_last_good_file(tmp_path):
    path = tmp_path / "model.gpuflow"
    model = _model()
    _fill(model, 0.0)
    model.save(path)
    t0 = time.perf_counter()
    model.save(path)
    save_seconds = time.perf_counter() - t0
    ctx = multiprocessing.get_context("fork")
    rng = np.random.default_rng(0)
    partial_seen = 0
    for _ in range(KILLS):
        ready = ctx.Event()
        child = ctx.Process(target=_save_forever, args=(model, str(path), ready), daemon=True)
        child.start()
        ready.wait(30)  # at least one save done: kill somewhere in the following ones
        time.sleep(float(rng.uniform(0, 3 * save_seconds)))
        os.kill(child.pid, signal.SIGKILL)
        child.join(10)
        assert _check_loads(path) >= 1.0
        leftovers = [p.name for p in tmp_path.iterdir() if p.name != "model.gpuflow"]
        partial_seen += bool(leftovers)
        assert all(
            name.startswith("model.gpuflow.partial-save-pid") and name.endswith(".tmp")
            for name in leftovers
        ), leftovers
    _fill(model, -1.0)
    model.save(path)  # the next save cleans what the killed ones left
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.gpuflow"]
    assert _check_loads(path) == -1.0
    print(f"{partial_seen} of {KILLS} kills left a partial file, all removed by the next save")


def test_partial_files_of_live_processes_are_kept(tmp_path):
    path = tmp_path / "m.gpuflow"
    mine = tmp_path / f"m.gpuflow.partial-save-pid{os.getppid()}-abc.tmp"  # a live process
    dead = tmp_path / "m.gpuflow.partial-save-pid999999999-abc.tmp"
    other = tmp_path / "n.gpuflow.partial-save-pid999999999-abc.tmp"  # another file's
    for p in (mine, dead, other):
        p.write_bytes(b"x")
    assert remove_stale_partials(path) == [str(dead)]
    assert mine.exists() and other.exists() and not dead.exists()
