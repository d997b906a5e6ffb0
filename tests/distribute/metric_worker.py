"""Metrics of a custom training loop under MultiWorkerMirroredStrategy; run under mpiexec.

Usage: python metric_worker.py OUT.npz
Each worker updates, inside ``strategy.run``, metrics created under ``strategy.scope()``
with its own rows (rank-dependent); ``result()`` must be the result over all workers' rows.
A metric created outside the scope stays per worker. Writes the results to OUT.rankR.npz.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import numpy as np  # noqa: E402

import gpuflow as tf  # noqa: E402


class Count(tf.keras.metrics.Metric):
    """A user metric written as the Keras guides write one (add_weight, assign_add)."""

    def __init__(self, name="count", **kwargs):
        super().__init__(name=name, **kwargs)
        self.seen = self.add_weight(name="seen", initializer="zeros")

    def update_state(self, values, sample_weight=None):
        self.seen.assign_add(tf.cast(tf.size(values), self.dtype))

    def result(self):
        return self.seen


def rows(rank):
    """Worker ``rank``'s labels and logits: worker 0 right on 3 of 4, worker 1 on 1 of 2."""
    if rank == 0:
        labels = np.array([0, 1, 2, 1])
        logits = np.eye(3, dtype="float32")[[0, 1, 2, 0]]
    else:
        labels = np.array([2, 0])
        logits = np.eye(3, dtype="float32")[[2, 1]]
    return tf.constant(labels), tf.constant(logits)


def main() -> None:
    out = sys.argv[1]
    strategy = tf.distribute.MultiWorkerMirroredStrategy()
    rank = strategy.cluster_resolver.task_id
    with strategy.scope():
        accuracy = tf.keras.metrics.SparseCategoricalAccuracy()
        loss_mean = tf.keras.metrics.Mean()
        count = Count()
    local = tf.keras.metrics.SparseCategoricalAccuracy()
    labels, logits = rows(rank)

    def step(y, p):
        accuracy.update_state(y, p)
        loss_mean.update_state(tf.cast(y, tf.float32))
        count.update_state(y)
        local.update_state(y, p)

    strategy.run(step, args=(labels, logits))
    first = [float(accuracy.result()), float(loss_mean.result()), float(count.result())]
    again = float(accuracy.result())  # reading does not change the worker's own state
    accuracy.reset_state()
    after_reset = float(accuracy.result())
    np.savez(
        out.replace(".npz", f".rank{rank}.npz"),
        first=np.array(first),
        again=np.array(again),
        after_reset=np.array(after_reset),
        local=np.array(float(local.result())),
    )


if __name__ == "__main__":
    main()
