"""Several workers train the lecture MLP and CNN to the weights of one process (float64)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

WORKER = str(Path(__file__).with_name("mlp_cnn_worker.py"))


def _load(path):
    with np.load(path) as data:
        return {k: data[k] for k in data.files}


def _counts(arrays) -> dict:
    """The strategy's gradient reduction counts, taken out of ``arrays``."""
    return {k: int(arrays.pop(k)) for k in list(arrays) if k.startswith("count_")}


STEPS = 12  # 192 rows, global batch 32, 2 epochs


@pytest.mark.parametrize("model", ["mlp", "cnn"])
@pytest.mark.parametrize("workers", [2, 4])
def test_workers_train_to_the_weights_of_one_process(mpirun, tmp_path, model, workers):
    one = subprocess.run(
        [sys.executable, WORKER, model, str(tmp_path / "one.npz"), "--no-strategy"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert one.returncode == 0, one.stderr
    many = mpirun(workers, WORKER, model, str(tmp_path / "many.npz"))
    assert many.returncode == 0, many.stderr
    ref = _load(tmp_path / "one.rank0.npz")
    for rank in range(workers):
        got = _load(tmp_path / f"many.rank{rank}.npz")
        # every step's buckets were started during its backward pass and used
        assert _counts(got) == {"count_early": STEPS}
        assert set(got) == set(ref)
        for key, value in ref.items():
            scale = max(np.max(np.abs(value)), 1e-300)
            assert np.max(np.abs(got[key] - value)) / scale <= 1e-10, (rank, key)


def test_one_process_with_the_strategy_is_no_strategy(tmp_path):
    for flag, name in (("--no-strategy", "plain.npz"), ("--single", "strategy.npz")):
        run = subprocess.run(
            [sys.executable, WORKER, "mlp", str(tmp_path / name), flag],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 0, run.stderr
    plain, strategy = _load(tmp_path / "plain.rank0.npz"), _load(tmp_path / "strategy.rank0.npz")
    # Without a strategy fit compiles its step, and the compiled step fuses plain SGD's
    # kernel update into the gradient's GEMM (graph/fused_update.py); the strategy's step
    # updates unfused. The two differ by the rounding of one fused multiply-add per update
    # where the BLAS rounds them differently (seen on an AMD EPYC's OpenBLAS: 3e-17).
    for key, value in plain.items():
        scale = max(np.max(np.abs(value)), 1e-300)
        assert np.max(np.abs(strategy[key] - value)) / scale <= 1e-12, key


def test_compiled_steps_train_to_the_weights_of_one_process(mpirun, tmp_path):
    one = subprocess.run(
        [sys.executable, WORKER, "mlp", str(tmp_path / "one.npz"), "--no-strategy"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert one.returncode == 0, one.stderr
    many = mpirun(2, WORKER, "mlp", str(tmp_path / "many.npz"), "--compiled", "--small-buckets")
    assert many.returncode == 0, many.stderr
    ref = _load(tmp_path / "one.rank0.npz")
    for rank in range(2):
        got = _load(tmp_path / f"many.rank{rank}.npz")
        assert _counts(got) == {"count_early": STEPS}  # the replayed step overlaps too
        for key, value in ref.items():
            scale = max(np.max(np.abs(value)), 1e-300)
            assert np.max(np.abs(got[key] - value)) / scale <= 1e-10, (rank, key)
