"""tf.summary in a custom loop: record_if to log every other step, write for raw tensors,
a no-op writer, and the Graphs tab from trace_on / trace_export; read back with
TensorBoard's own event reader."""

import os
import tempfile

import numpy as np
import tensorflow as tf
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from tensorboard.util import tensor_util

logdir = os.path.join(tempfile.mkdtemp(), "run")
writer = tf.summary.create_file_writer(logdir)
step = tf.Variable(0, dtype=tf.int64)

with writer.as_default(step=step):
    assert bool(tf.summary.should_record_summaries())
    for i in range(6):
        step.assign(i)
        with tf.summary.record_if(i % 2 == 0):
            tf.summary.scalar("loss", 1.0 / (i + 1))
    tf.summary.write("matrix", tf.constant([[1.0, 2.0], [3.0, 4.0]]), step=10)

with tf.summary.create_noop_writer().as_default(step=0):
    assert not bool(tf.summary.should_record_summaries())
    tf.summary.scalar("never", 1.0)


@tf.function
def dense(x, w):
    return tf.nn.relu(tf.matmul(x, w))


tf.summary.trace_on(graph=True)
dense(tf.ones((2, 3)), tf.ones((3, 4)))
with writer.as_default():
    tf.summary.trace_export(name="dense_trace", step=0)
writer.flush()

acc = EventAccumulator(logdir, size_guidance={"tensors": 0})
acc.Reload()
loss_steps = [event.step for event in acc.Tensors("loss")]
assert loss_steps == [0, 2, 4], loss_steps
matrix = tensor_util.make_ndarray(acc.Tensors("matrix")[0].tensor_proto)
assert np.array_equal(matrix, [[1.0, 2.0], [3.0, 4.0]])
assert "never" not in acc.Tags()["tensors"]
assert acc.Tags()["graph"] or "dense_trace" in acc.Tags()["tensors"]
print("ok")
