"""tf.compat.v1.train.MonitoredTrainingSession / MonitoredSession and the common hooks
(the files, steps and values checked against TensorFlow 2.21 running the same code)."""

import logging
import os

import numpy as np
import pytest

import gpuflow as tf

v1 = tf.compat.v1


@pytest.fixture
def model():
    with tf.Graph().as_default():
        x = v1.placeholder(tf.float32, [None, 2])
        w = v1.get_variable("w", [2, 1], initializer=v1.ones_initializer())
        loss = tf.reduce_mean(tf.matmul(x, w))
        step = v1.train.get_or_create_global_step()
        train = v1.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=step)
        yield x, loss, step, train


FEED = np.ones((3, 2), np.float32)


def test_stop_at_step_checkpoints_and_resume(model, tmp_path):
    x, loss, step, train = model
    runs = 0
    with v1.train.MonitoredTrainingSession(
        checkpoint_dir=str(tmp_path),
        hooks=[v1.train.StopAtStepHook(last_step=7)],
        save_checkpoint_steps=5,
        save_summaries_steps=None,
        log_step_count_steps=None,
    ) as sess:
        while not sess.should_stop():
            sess.run(train, {x: FEED})
            runs += 1
    assert runs == 7
    files = sorted(f for f in os.listdir(tmp_path) if f.endswith(".index"))
    assert files == ["model.ckpt-0.index", "model.ckpt-5.index", "model.ckpt-7.index"]
    assert "graph.pbtxt" in os.listdir(tmp_path)
    assert v1.train.latest_checkpoint(str(tmp_path)).endswith("model.ckpt-7")
    with v1.train.MonitoredTrainingSession(
        checkpoint_dir=str(tmp_path),
        hooks=[v1.train.StopAtStepHook(num_steps=2)],
        save_summaries_steps=None,
        log_step_count_steps=None,
    ) as sess:
        assert sess.run(step) == 7  # restored, not initialized
        while not sess.should_stop():
            sess.run(train, {x: FEED})
        with pytest.raises(RuntimeError, match="Run called even after should_stop requested"):
            sess.run(step)
    assert v1.train.latest_checkpoint(str(tmp_path)).endswith("model.ckpt-9")


def test_hooks_see_each_run(model, caplog):
    x, loss, step, train = model
    final = v1.train.FinalOpsHook(step)
    logging_hook = v1.train.LoggingTensorHook({"loss": loss}, every_n_iter=2)
    feeder = v1.train.FeedFnHook(lambda: {x: FEED})

    class Counter(v1.train.SessionRunHook):
        def begin(self):
            self.calls = ["begin"]

        def after_create_session(self, session, coord):
            self.calls.append("created")

        def before_run(self, run_context):
            assert run_context.original_args.fetches is train
            return v1.train.SessionRunArgs({"step": step})

        def after_run(self, run_context, run_values):
            self.calls.append(int(run_values.results["step"]))
            if run_values.results["step"] >= 3:
                run_context.request_stop()

        def end(self, session):
            self.calls.append("end")

    counter = Counter()
    with caplog.at_level(logging.INFO):
        with v1.train.SingularMonitoredSession(hooks=[counter, final, logging_hook, feeder]) as s:
            while not s.should_stop():
                assert s.run(train) is None
            assert s.raw_session().run(step) == 3 and counter.calls[-1] == 3
    assert counter.calls == ["begin", "created", 1, 2, 3, "end"]
    assert final.final_ops_values == 3
    assert not hasattr(v1.train.MonitoredSession, "raw_session")  # as TensorFlow's
    logged = [r.getMessage() for r in caplog.records if r.getMessage().startswith("loss = ")]
    assert len(logged) == 2  # runs 0 and 2


def test_hook_argument_errors(model):
    with pytest.raises(ValueError, match="One of num_steps or last_step"):
        v1.train.StopAtStepHook()
    with pytest.raises(ValueError, match="Only one of num_steps or last_step"):
        v1.train.StopAtStepHook(num_steps=1, last_step=2)
    with pytest.raises(ValueError, match="every_secs or every_steps"):
        v1.train.CheckpointSaverHook("/tmp")
    with pytest.raises(ValueError, match="every_n_iter"):
        v1.train.LoggingTensorHook({"a": model[1]})


def test_nan_tensor_hook_raises(model):
    x, loss, step, train = model
    hook = v1.train.NanTensorHook(loss)
    with v1.train.MonitoredSession(hooks=[hook]) as sess:
        with pytest.raises(v1.train.NanLossDuringTrainingError):
            sess.run(train, {x: np.full((1, 2), np.nan, np.float32)})


def test_out_of_range_ends_the_with_block_quietly():
    with tf.Graph().as_default():
        ds = tf.data.Dataset.range(3)
        nxt = v1.data.make_one_shot_iterator(ds).get_next()
        seen = []
        with v1.train.MonitoredSession() as sess:
            while not sess.should_stop():
                seen.append(int(sess.run(nxt)))
    assert seen == [0, 1, 2]


def test_summary_saver_hook_writes_every_n_steps(model, tmp_path):
    x, loss, step, train = model
    v1.summary.scalar("loss", loss)
    with v1.train.MonitoredTrainingSession(
        checkpoint_dir=str(tmp_path),
        hooks=[v1.train.StopAtStepHook(last_step=4), v1.train.FeedFnHook(lambda: {x: FEED})],
        save_summaries_steps=2,
        save_checkpoint_secs=None,
        log_step_count_steps=None,
    ) as sess:
        while not sess.should_stop():
            sess.run(train)
    events = [f for f in os.listdir(tmp_path) if f.startswith("events")]
    written = [
        (e.step, v.tag)
        for f in events
        for e in v1.train.summary_iterator(os.path.join(tmp_path, f))
        for v in e.summary.value
    ]
    assert sorted(written) == [(1, "loss"), (3, "loss")]
