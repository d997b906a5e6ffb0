"""The TF profiler guide's API and TensorBoard's graph/profile calls: profiler start/stop,
the Profile context, ProfilerOptions, Trace regions with step_num, errors for a second
session and a stop without one, summary.trace_on/trace_export of a tf.function graph, and
the Keras TensorBoard callback's profile_batch."""

import json
import os

import numpy as np
import tensorflow as tf
from tensorboard.compat.proto import config_pb2, event_pb2
from tensorboard.util import tensor_util


def summaries(logdir):
    """{tag: [(step, Summary.Value)]} of the event files in logdir, read as TFRecords
    (TensorBoard's EventAccumulator opens only one reader per process where tensorflow
    is not TensorFlow: its fallback context manager is a single-use singleton)."""
    out = {}
    for name in sorted(os.listdir(logdir)):
        if "tfevents" not in name:
            continue
        for record in tf.data.TFRecordDataset(os.path.join(logdir, name)):
            event = event_pb2.Event.FromString(record.numpy())
            for value in event.summary.value:
                out.setdefault(value.tag, []).append((event.step, value))
    return out


def profile_runs(logdir):
    """The run folders a profiling session wrote: logdir/plugins/profile/<run>/<files>."""
    root = os.path.join(logdir, "plugins", "profile")
    if not os.path.isdir(root):
        return []
    runs = sorted(os.listdir(root))
    for run in runs:
        assert os.listdir(os.path.join(root, run)), f"an empty profile run {run}"
    return runs


@tf.function
def train_step(x, w):
    return tf.reduce_sum(tf.matmul(x, w) ** 2)


x = tf.random.normal([8, 4])
w = tf.Variable(tf.ones([4, 2]))

tf.profiler.experimental.start("logdir")
for step in range(3):
    with tf.profiler.experimental.Trace("train", step_num=step, _r=1):
        loss = train_step(x, w)
tf.profiler.experimental.stop()
assert len(profile_runs("logdir")) == 1
np.testing.assert_allclose(float(loss), float(tf.reduce_sum((x @ w.numpy()) ** 2)), rtol=1e-5)

# Only one session at a time; stop without a session is an error.
tf.profiler.experimental.start("logdir2")
try:
    tf.profiler.experimental.start("logdir2")
except tf.errors.AlreadyExistsError:
    pass
else:
    raise AssertionError("a second profiler session must raise AlreadyExistsError")
tf.profiler.experimental.stop(save=False)
assert profile_runs("logdir2") == []
try:
    tf.profiler.experimental.stop()
except tf.errors.UnavailableError:
    pass
else:
    raise AssertionError("stop() with no session must raise UnavailableError")

# Trace outside a session records nothing and is harmless.
with tf.profiler.experimental.Trace("outside", step_num=0):
    train_step(x, w)

options = tf.profiler.experimental.ProfilerOptions(
    host_tracer_level=3, python_tracer_level=1, device_tracer_level=1
)
assert options.host_tracer_level == 3 and options.python_tracer_level == 1
default = tf.profiler.experimental.ProfilerOptions()
assert (default.host_tracer_level, default.python_tracer_level) == (2, 0)
with tf.profiler.experimental.Profile("logdir3", options=options):
    train_step(x, w)
assert len(profile_runs("logdir3")) == 1

# TensorBoard's Graphs tab: trace a tf.function call and export it with a writer.
writer = tf.summary.create_file_writer("graphs")
tf.summary.trace_on(graph=True, profiler=False)
z = train_step(tf.random.normal([3, 4]), w)  # a new shape: a new trace
with writer.as_default():
    tf.summary.trace_export(name="my_func_trace", step=0)
writer.flush()
events = summaries("graphs")
assert list(events) == ["my_func_trace"]
((step, value),) = events["my_func_trace"]
assert step == 0 and value.metadata.plugin_data.plugin_name == "graph_run_metadata_graph"
run_metadata = config_pb2.RunMetadata.FromString(tensor_util.make_ndarray(value.tensor).item())
ops = {n.op for g in run_metadata.function_graphs for n in g.pre_optimization_graph.node}
assert "MatMul" in ops and "Sum" in ops, ops
assert float(z) >= 0

# trace_on with the profiler: the profile goes to profiler_outdir, the graph to the writer.
tf.summary.trace_on(graph=True, profiler=True, profiler_outdir="traced")
train_step(tf.random.normal([5, 4]), w)
with writer.as_default():
    tf.summary.trace_export(name="with_profile", step=1)
writer.flush()
assert len(profile_runs("traced")) == 1
assert [step for step, _ in summaries("graphs")["with_profile"]] == [1]
tf.profiler.experimental.start("after")  # the trace's session is over
tf.profiler.experimental.stop(save=False)

# The Keras TensorBoard callback: profile batches 2..3 of training.
model = tf.keras.Sequential([tf.keras.Input(shape=(4,)), tf.keras.layers.Dense(1)])
model.compile(optimizer="sgd", loss="mse")
tb_callback = tf.keras.callbacks.TensorBoard(log_dir="fit_logs", profile_batch="2,3")
model.fit(
    np.ones((64, 4)), np.ones((64, 1)), batch_size=8, epochs=1, callbacks=[tb_callback], verbose=0
)
assert len(profile_runs(os.path.join("fit_logs", "train"))) == 1
train_events = summaries(os.path.join("fit_logs", "train"))
assert [step for step, _ in train_events["epoch_loss"]] == [0]
# the graphs traced over the profiled range: tagged with the last profiled batch
assert [step for step, _ in train_events["batch_3"]] == [3]
# write_graph (the default): the Sequential model's JSON, tagged "keras"
((step, value),) = train_events["keras"]
assert step == 0 and value.metadata.plugin_data.plugin_name == "graph_keras_model"
assert json.loads(tensor_util.make_ndarray(value.tensor).item())["class_name"] == "Sequential"
try:
    tf.keras.callbacks.TensorBoard(log_dir="bad", profile_batch=(3, 2))
except ValueError as err:
    assert "profile_batch" in str(err)
else:
    raise AssertionError("profile_batch=(3, 2) must raise")
try:
    tf.keras.callbacks.TensorBoard(log_dir="bad", profile_batch=-1)
except ValueError:
    pass
else:
    raise AssertionError("profile_batch=-1 must raise")
print("ok")
