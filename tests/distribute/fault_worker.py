"""A worker script whose rank 1 fails: `raise` (an exception) or `hang` (never arrives)."""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import numpy as np  # noqa: E402

import gpuflow as tf  # noqa: E402

mode = sys.argv[1]
strategy = tf.distribute.MultiWorkerMirroredStrategy(
    communication_options=tf.distribute.CommunicationOptions(timeout_seconds=5)
)
rank = strategy.cluster_resolver.task_id
if rank == 1 and mode == "raise":
    raise RuntimeError("worker 1 fails on purpose")
if rank == 1 and mode == "hang":
    time.sleep(60)
strategy.reduce("SUM", np.ones(3), axis=None)
print(f"rank {rank} done", os.getpid())
