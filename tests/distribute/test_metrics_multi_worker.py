"""Metrics created under MultiWorkerMirroredStrategy.scope() read the state summed over the
workers (TF's SUM / ON_READ metric variables): the same global result on every worker."""

from pathlib import Path

import numpy as np
import pytest

import gpuflow as tf

WORKER = str(Path(__file__).with_name("metric_worker.py"))


def test_custom_loop_metrics_give_the_global_result_on_every_worker(mpirun, tmp_path):
    done = mpirun(2, WORKER, str(tmp_path / "m.npz"))
    assert done.returncode == 0, done.stderr[-3000:]
    ranks = [np.load(tmp_path / f"m.rank{r}.npz") for r in (0, 1)]
    for data in ranks:
        # accuracy: 3 of 4 right on worker 0, 1 of 2 on worker 1; mean label 6 / 6 rows;
        # a user metric's add_weight counter: 4 + 2 rows
        np.testing.assert_allclose(data["first"], [4 / 6, 1.0, 6.0], rtol=1e-6)
        assert float(data["again"]) == pytest.approx(4 / 6)  # a read leaves the state
        assert float(data["after_reset"]) == 0.0
    # a metric made outside the scope keeps this worker's own rows, as in TensorFlow
    assert float(ranks[0]["local"]) == pytest.approx(0.75)
    assert float(ranks[1]["local"]) == pytest.approx(0.5)


def test_metric_outside_a_multi_worker_scope_reads_its_own_state():
    strategy = tf.distribute.MultiWorkerMirroredStrategy()  # one worker without mpiexec
    with strategy.scope():
        metric = tf.keras.metrics.SparseCategoricalAccuracy()
    assert metric.__dict__["_sum_on_read"] is None
    metric.update_state([0, 1], [[0.9, 0.1], [0.8, 0.2]])
    assert float(metric.result()) == pytest.approx(0.5)
