"""A TF 1 training loop under tf.compat.v1.train.MonitoredTrainingSession: hooks stop it
and log, checkpoints are written and a second session resumes from them; streaming
tf.compat.v1.metrics are evaluated, and summaries go to an event file with FileWriter."""

import os
import tempfile

import numpy as np
import tensorflow as tf

v1 = tf.compat.v1

workdir = tempfile.mkdtemp()
with tf.Graph().as_default() as graph:
    features = v1.placeholder(tf.float32, [None, 3], name="features")
    labels = v1.placeholder(tf.float32, [None], name="labels")
    weights = v1.get_variable("weights", [3, 1], initializer=v1.zeros_initializer())
    scores = tf.sigmoid(tf.squeeze(tf.matmul(features, weights), 1))
    loss = v1.losses.log_loss(labels, scores)
    global_step = v1.train.get_or_create_global_step()
    train_op = v1.train.GradientDescentOptimizer(0.5).minimize(loss, global_step=global_step)
    v1.summary.scalar("loss", loss)
    # streaming metrics (local variables: initialized by every monitored session)
    auc, auc_update = v1.metrics.auc(labels, scores)
    hard = tf.cast(scores > 0.5, tf.int64)
    iou, iou_update = v1.metrics.mean_iou(tf.cast(labels, tf.int64), hard, num_classes=2)
    fn, fn_update = v1.metrics.false_negatives(labels, hard)

    data_x = np.array([[1, 0, 1], [0, 1, 1], [1, 1, 1], [0, 0, 1]], np.float32)
    data_y = np.array([1, 0, 1, 0], np.float32)
    ended = v1.train.FinalOpsHook(global_step)
    hooks = [
        v1.train.StopAtStepHook(last_step=6),
        v1.train.LoggingTensorHook({"loss": loss, "step": global_step}, every_n_iter=3),
        v1.train.FeedFnHook(lambda: {features: data_x, labels: data_y}),
        ended,
    ]
    runs = 0
    with v1.train.MonitoredTrainingSession(
        checkpoint_dir=workdir,
        hooks=hooks,
        save_checkpoint_steps=4,
        save_summaries_steps=1,
        log_step_count_steps=None,
    ) as sess:
        while not sess.should_stop():
            sess.run(train_op)
            runs += 1
    assert runs == 6 and ended.final_ops_values == 6
    written = sorted(f for f in os.listdir(workdir) if f.endswith(".index"))
    assert written == ["model.ckpt-0.index", "model.ckpt-4.index", "model.ckpt-6.index"], written
    assert v1.train.latest_checkpoint(workdir).endswith("model.ckpt-6")
    summaries = sorted(
        (event.step, value.tag)
        for name in os.listdir(workdir)
        if name.startswith("events")
        for event in v1.train.summary_iterator(os.path.join(workdir, name))
        for value in event.summary.value
    )
    assert summaries == [(step, "loss") for step in range(1, 7)], summaries

    with v1.train.MonitoredTrainingSession(
        checkpoint_dir=workdir,
        hooks=[v1.train.StopAtStepHook(num_steps=2)],
        save_summaries_steps=None,
        log_step_count_steps=None,
    ) as sess:
        assert sess.run(global_step) == 6
        while not sess.should_stop():
            sess.run(train_op, {features: data_x, labels: data_y})
        try:
            sess.run(global_step)
            raise AssertionError("a stopped MonitoredSession ran again")
        except RuntimeError:
            pass
    # the default CheckpointSaverHook (every 600 s) saved at the start and at the end
    assert v1.train.latest_checkpoint(workdir).endswith("model.ckpt-8")

    # streaming metrics over two batches, in a session restored from the checkpoints
    with v1.train.SingularMonitoredSession(checkpoint_dir=workdir) as sess:
        for rows in (slice(0, 2), slice(2, 4)):
            sess.run(
                [auc_update, iou_update, fn_update],
                {features: data_x[rows], labels: data_y[rows]},
            )
        auc_value, iou_value, misses = sess.run([auc, iou, fn])
    assert abs(auc_value - 1.0) < 1e-3 and abs(iou_value - 1.0) < 1e-6 and misses == 0.0
    assert len(v1.get_collection(v1.GraphKeys.METRIC_VARIABLES)) == 6

    # a summary written by hand with FileWriter
    logs = os.path.join(workdir, "manual")
    writer = v1.summary.FileWriter(logs, graph)
    merged = v1.summary.merge_all()
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        blob = sess.run(merged, {features: data_x, labels: data_y})
        writer.add_summary(blob, 11)
    writer.close()
    assert isinstance(blob, bytes)
    (events,) = os.listdir(logs)
    found = [
        (e.step, v.tag, round(v.simple_value, 4))
        for e in v1.train.summary_iterator(os.path.join(logs, events))
        for v in e.summary.value
    ]
    assert found == [(11, "loss", round(float(np.log(2.0)), 4))], found

print("ok")
