"""``tf.compat.v1.train`` session hooks (``SessionRunHook`` and the common ones:
``StopAtStepHook``, ``LoggingTensorHook``, ``CheckpointSaverHook``, ``StepCounterHook``,
``NanTensorHook``, ``SummarySaverHook``, ``FeedFnHook``, ``FinalOpsHook``) and the objects
they exchange with a ``MonitoredSession`` (v1_monitored.py), as TensorFlow's
basic_session_run_hooks."""

from __future__ import annotations

import collections as _collections
import os
import sys
import time

import numpy as np


def _tf():
    return sys.modules["gpuflow"]


def _log(msg, *args) -> None:
    from ..logger import get_logger

    get_logger().info(msg, *args)


class SessionRunHook:
    """The hook interface: each method is called by a MonitoredSession; all do nothing."""

    def begin(self) -> None:
        pass

    def after_create_session(self, session, coord) -> None:
        pass

    def before_run(self, run_context):
        return None

    def after_run(self, run_context, run_values) -> None:
        pass

    def end(self, session) -> None:
        pass


class SessionRunArgs(
    _collections.namedtuple("SessionRunArgs", ["fetches", "feed_dict", "options"])
):
    """What a hook adds to a ``run``: fetches (their values come back in
    ``run_values.results``) and feeds."""

    def __new__(cls, fetches, feed_dict=None, options=None):
        return super().__new__(cls, fetches, feed_dict, options)


class SessionRunValues(
    _collections.namedtuple("SessionRunValues", ["results", "options", "run_metadata"])
):
    """The values of a hook's ``SessionRunArgs.fetches`` after the run."""


class SessionRunContext:
    """What a hook sees of a ``run``: the caller's arguments, the session, and a way to ask
    the MonitoredSession to stop."""

    def __init__(self, original_args, session) -> None:
        self._original_args, self._session = original_args, session
        self._stop_requested = False

    original_args = property(lambda self: self._original_args)
    session = property(lambda self: self._session)
    stop_requested = property(lambda self: self._stop_requested)

    def request_stop(self) -> None:
        self._stop_requested = True


class SecondOrStepTimer:
    """Triggers every ``every_secs`` seconds or every ``every_steps`` steps (one of them)."""

    def __init__(self, every_secs=None, every_steps=None) -> None:
        if (every_secs is None) == (every_steps is None):
            raise ValueError("Either every_secs or every_steps should be provided.")
        self._every_secs, self._every_steps = every_secs, every_steps
        self.reset()

    def reset(self) -> None:
        self._last_time = self._last_step = None

    def should_trigger_for_step(self, step) -> bool:
        if self._last_step is None:
            return True
        if self._last_step == step:
            return False
        if self._every_secs is not None:
            return time.time() >= self._last_time + self._every_secs
        return step >= self._last_step + self._every_steps

    def update_last_triggered_step(self, step):
        """``(elapsed seconds, elapsed steps)`` since the last trigger (None the first time)."""
        now = time.time()
        if self._last_time is None:
            elapsed = (None, None)
        else:
            elapsed = (now - self._last_time, step - self._last_step)
        self._last_time, self._last_step = now, step
        return elapsed

    def last_triggered_step(self):
        return self._last_step


def _global_step_tensor(hook: str):
    from .v1_train import get_global_step

    step = get_global_step()
    if step is None:
        raise RuntimeError(f"Global step should be created to use {hook}.")
    return step


class StopAtStepHook(SessionRunHook):
    """Asks the session to stop once the global step reaches ``last_step`` (or
    ``num_steps`` past where it was when the session was made)."""

    def __init__(self, num_steps=None, last_step=None) -> None:
        if num_steps is None and last_step is None:
            raise ValueError("One of num_steps or last_step must be specified.")
        if num_steps is not None and last_step is not None:
            raise ValueError("Only one of num_steps or last_step can be specified.")
        self._num_steps, self._last_step = num_steps, last_step

    def begin(self) -> None:
        self._step = _global_step_tensor("StopAtStepHook")

    def after_create_session(self, session, coord) -> None:
        if self._last_step is None:
            self._last_step = int(session.run(self._step)) + self._num_steps

    def before_run(self, run_context):
        return SessionRunArgs(self._step)

    def after_run(self, run_context, run_values) -> None:
        step = run_values.results + 1
        if step >= self._last_step:
            step = run_context.session.run(self._step)
            if step >= self._last_step:
                run_context.request_stop()


class LoggingTensorHook(SessionRunHook):
    """Logs the values of ``tensors`` (a dict of name -> tensor, or a list) every
    ``every_n_iter`` runs or ``every_n_secs`` seconds, and at the end with ``at_end``."""

    def __init__(self, tensors, every_n_iter=None, every_n_secs=None, at_end=False,
                 formatter=None) -> None:  # fmt: skip
        only_log_at_end = at_end and every_n_iter is None and every_n_secs is None
        if not only_log_at_end and (every_n_iter is None) == (every_n_secs is None):
            raise ValueError(
                "either at_end and/or exactly one of every_n_iter and every_n_secs must be "
                "provided."
            )
        if every_n_iter is not None and every_n_iter <= 0:
            raise ValueError(f"invalid every_n_iter={every_n_iter}.")
        if not isinstance(tensors, dict):
            self._tag_order = [getattr(t, "name", t) for t in tensors]
            tensors = {getattr(t, "name", t): t for t in tensors}
        else:
            self._tag_order = sorted(tensors)
        self._tensors = tensors
        self._formatter, self._at_end = formatter, at_end
        self._timer = None if only_log_at_end else SecondOrStepTimer(every_n_secs, every_n_iter)

    def begin(self) -> None:
        if self._timer is not None:
            self._timer.reset()
        self._iter = 0

    def before_run(self, run_context):
        self._should_log = self._timer is not None and self._timer.should_trigger_for_step(
            self._iter
        )
        return SessionRunArgs(self._tensors) if self._should_log else None

    def _log_values(self, values) -> None:
        if self._formatter is not None:
            _log(self._formatter(values))
            return
        text = ", ".join(f"{tag} = {values[tag]}" for tag in self._tag_order)
        elapsed = self._timer.update_last_triggered_step(self._iter) if self._timer else None
        if elapsed and elapsed[0] is not None:
            text += f" ({elapsed[0]:.3f} sec)"
        _log("%s", text)

    def after_run(self, run_context, run_values) -> None:
        if self._should_log:
            self._log_values(run_values.results)
        self._iter += 1

    def end(self, session) -> None:
        if self._at_end:
            self._log_values(session.run(self._tensors))


class CheckpointSaverListener:
    """Called around each save of a CheckpointSaverHook; ``after_save`` returning True
    stops training."""

    def begin(self) -> None:
        pass

    def before_save(self, session, global_step_value) -> None:
        pass

    def after_save(self, session, global_step_value):
        return None

    def end(self, session, global_step_value) -> None:
        pass


class CheckpointSaverHook(SessionRunHook):
    """Saves ``checkpoint_dir/model.ckpt-<step>`` when the session starts, every
    ``save_secs`` seconds or ``save_steps`` steps, and at the end."""

    def __init__(self, checkpoint_dir, save_secs=None, save_steps=None, saver=None,
                 checkpoint_basename="model.ckpt", scaffold=None, listeners=None,
                 save_graph_def=True) -> None:  # fmt: skip
        if saver is not None and scaffold is not None:
            raise ValueError("You cannot provide both saver and scaffold.")
        self._saver, self._scaffold = saver, scaffold
        self._dir = os.fspath(checkpoint_dir)
        self._path = os.path.join(self._dir, checkpoint_basename)
        self._timer = SecondOrStepTimer(every_secs=save_secs, every_steps=save_steps)
        self._listeners = list(listeners or [])
        self._save_graph_def = save_graph_def

    def begin(self) -> None:
        self._step = _global_step_tensor("CheckpointSaverHook")
        for listener in self._listeners:
            listener.begin()

    def after_create_session(self, session, coord) -> None:
        step = int(session.run(self._step))
        if self._save_graph_def:
            os.makedirs(self._dir, exist_ok=True)
            from .v1_meta_graph import write_graph_text

            write_graph_text(os.path.join(self._dir, "graph.pbtxt"))
        self._save(session, step)
        self._timer.update_last_triggered_step(step)

    def before_run(self, run_context):
        return SessionRunArgs(self._step)

    def after_run(self, run_context, run_values) -> None:
        if self._timer.should_trigger_for_step(run_values.results + 1):
            step = int(run_context.session.run(self._step))
            if self._timer.should_trigger_for_step(step):
                self._timer.update_last_triggered_step(step)
                if self._save(run_context.session, step):
                    run_context.request_stop()

    def end(self, session) -> None:
        step = int(session.run(self._step))
        if step != self._timer.last_triggered_step():
            self._save(session, step)
        for listener in self._listeners:
            listener.end(session, step)

    def _get_saver(self):
        if self._saver is not None:
            return self._saver
        if self._scaffold is not None:
            return self._scaffold.saver
        from . import v1_collections as collections
        from .v1_saver import Saver

        found = collections.get_collection(collections.GraphKeys.SAVERS)
        if not found:
            found = [Saver()]
            collections.add_to_collection(collections.GraphKeys.SAVERS, found[0])
        self._saver = found[0]
        return self._saver

    def _save(self, session, step) -> bool:
        _log("Saving checkpoints for %s into %s.", step, self._path)
        for listener in self._listeners:
            listener.before_save(session, step)
        self._get_saver().save(session, self._path, global_step=step)
        stop = False
        for listener in self._listeners:
            if listener.after_save(session, step):
                stop = True
        return stop


class StepCounterHook(SessionRunHook):
    """Logs the global steps per second every ``every_n_steps`` steps (or seconds)."""

    def __init__(self, every_n_steps=100, every_n_secs=None, output_dir=None,
                 summary_writer=None) -> None:  # fmt: skip
        if (every_n_steps is None) == (every_n_secs is None):
            raise ValueError("exactly one of every_n_steps and every_n_secs should be provided.")
        self._timer = SecondOrStepTimer(every_steps=every_n_steps, every_secs=every_n_secs)

    def begin(self) -> None:
        self._step = _global_step_tensor("StepCounterHook")

    def before_run(self, run_context):
        return SessionRunArgs(self._step)

    def after_run(self, run_context, run_values) -> None:
        step = int(run_values.results)
        if self._timer.should_trigger_for_step(step + 1):
            step = int(run_context.session.run(self._step))
            seconds, steps = self._timer.update_last_triggered_step(step)
            if seconds:
                _log("global_step/sec: %g", steps / seconds)


class NanLossDuringTrainingError(RuntimeError):
    def __str__(self) -> str:
        return "NaN loss during training."


class NanTensorHook(SessionRunHook):
    """Raises NanLossDuringTrainingError (or, with ``fail_on_nan_loss=False``, asks the
    session to stop) when ``loss_tensor`` is NaN."""

    def __init__(self, loss_tensor, fail_on_nan_loss=True) -> None:
        self._loss, self._fail = loss_tensor, fail_on_nan_loss

    def before_run(self, run_context):
        return SessionRunArgs(self._loss)

    def after_run(self, run_context, run_values) -> None:
        if np.isnan(run_values.results):
            if self._fail:
                raise NanLossDuringTrainingError
            _log("Model diverged with loss = NaN.")
            run_context.request_stop()


class FeedFnHook(SessionRunHook):
    """Adds ``feed_fn()`` to the feeds of every run."""

    def __init__(self, feed_fn) -> None:
        self.feed_fn = feed_fn

    def before_run(self, run_context):
        return SessionRunArgs(fetches=None, feed_dict=self.feed_fn())


class FinalOpsHook(SessionRunHook):
    """Runs ``final_ops`` when the session ends; ``final_ops_values`` holds their values."""

    def __init__(self, final_ops, final_ops_feed_dict=None) -> None:
        self._final_ops, self._feed = final_ops, final_ops_feed_dict
        self._values = None

    @property
    def final_ops_values(self):
        return self._values

    def end(self, session) -> None:
        if self._final_ops is not None:
            self._values = session.run(self._final_ops, feed_dict=self._feed)


class SummarySaverHook(SessionRunHook):
    """Runs ``summary_op`` (the graph's merged summaries by default) every ``save_steps``
    steps or ``save_secs`` seconds and writes it to ``output_dir``'s event file."""

    def __init__(self, save_steps=None, save_secs=None, output_dir=None, summary_writer=None,
                 scaffold=None, summary_op=None) -> None:  # fmt: skip
        if (scaffold is None) == (summary_op is None):
            raise ValueError("Exactly one of scaffold or summary_op must be provided.")
        self._summary_op, self._scaffold = summary_op, scaffold
        self._writer, self._output_dir = summary_writer, output_dir
        self._timer = SecondOrStepTimer(every_secs=save_secs, every_steps=save_steps)

    def begin(self) -> None:
        if self._writer is None and self._output_dir:
            from .v1_summary import FileWriterCache

            self._writer = FileWriterCache.get(self._output_dir)
        self._step = _global_step_tensor("SummarySaverHook")
        self._next_step = None

    def _ops(self):
        op = self._summary_op if self._summary_op is not None else self._scaffold.summary_op
        return op

    def before_run(self, run_context):
        self._request = self._next_step is None or self._timer.should_trigger_for_step(
            self._next_step
        )
        fetches = {"global_step": self._step}
        if self._request and self._ops() is not None:
            fetches["summary"] = self._ops()
        return SessionRunArgs(fetches)

    def after_run(self, run_context, run_values) -> None:
        step = int(run_values.results["global_step"]) + 1
        if self._next_step is None or self._request:
            step = int(run_context.session.run(self._step))  # the step after this run
        if self._request:
            self._timer.update_last_triggered_step(step)
            if "summary" in run_values.results and self._writer is not None:
                summaries = run_values.results["summary"]
                for s in summaries if isinstance(summaries, list) else [summaries]:
                    self._writer.add_summary(s, step)
        self._next_step = step + 1

    def end(self, session=None) -> None:
        if self._writer is not None:
            self._writer.flush()


__all__ = [
    "CheckpointSaverHook",
    "CheckpointSaverListener",
    "FeedFnHook",
    "FinalOpsHook",
    "LoggingTensorHook",
    "NanLossDuringTrainingError",
    "NanTensorHook",
    "SecondOrStepTimer",
    "SessionRunArgs",
    "SessionRunContext",
    "SessionRunHook",
    "SessionRunValues",
    "StepCounterHook",
    "StopAtStepHook",
    "SummarySaverHook",
]
