"""Checkpoint guide, continued: the state file, waiting for checkpoints as an evaluator
does, a cluster description, and a Coordinator stopping worker threads."""

import os
import tempfile
import threading

import tensorflow as tf

folder = tempfile.mkdtemp()
step = tf.Variable(0)
checkpoint = tf.train.Checkpoint(step=step)
manager = tf.train.CheckpointManager(checkpoint, folder, max_to_keep=2)
for _ in range(3):
    step.assign_add(1)
    manager.save()

state = tf.train.get_checkpoint_state(folder)
assert os.path.basename(state.model_checkpoint_path) == "ckpt-3"
assert [os.path.basename(p) for p in state.all_model_checkpoint_paths] == ["ckpt-2", "ckpt-3"]

evaluated = []
for path in tf.train.checkpoints_iterator(folder, timeout=0.5):
    restored = tf.Variable(0)
    tf.train.Checkpoint(step=restored).restore(path).expect_partial()
    evaluated.append(int(restored.numpy()))
assert evaluated == [3], evaluated

cluster = tf.train.ClusterSpec({"worker": ["host0:2222", "host1:2222"], "chief": ["host2:2222"]})
assert cluster.num_tasks("worker") == 2
assert cluster.task_address("chief", 0) == "host2:2222"

coordinator = tf.train.Coordinator()
counts = [0, 0]


def worker(index):
    with coordinator.stop_on_exception():
        while not coordinator.should_stop():
            counts[index] += 1
            if counts[index] >= 100:
                coordinator.request_stop()


threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
for thread in threads:
    thread.start()
coordinator.join(threads)
assert coordinator.should_stop() and max(counts) >= 100
print("ok")
