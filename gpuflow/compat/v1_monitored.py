"""``tf.compat.v1.train.MonitoredSession`` and friends: a Session that a list of hooks
(v1_hooks.py) watch run by run, made by a session creator that initializes the graph's
variables or restores them from the latest checkpoint (``Scaffold`` holds the ops it uses);
``MonitoredTrainingSession`` adds the checkpoint, summary and step-counter hooks, as
TensorFlow's monitored_session."""

from __future__ import annotations

import os

from ..errors import OutOfRangeError
from . import v1_collections as collections
from . import v1_hooks as hooks_module


class Scaffold:
    """The ops a session creator needs: init_op, local_init_op, saver, summary_op (the
    graph's defaults where not given, at ``finalize()``)."""

    def __init__(self, init_op=None, init_feed_dict=None, init_fn=None, ready_op=None,
                 ready_for_local_init_op=None, local_init_op=None, summary_op=None, saver=None,
                 copy_from_scaffold=None, local_init_feed_dict=None) -> None:  # fmt: skip
        if copy_from_scaffold is not None:
            if not isinstance(copy_from_scaffold, Scaffold):
                raise TypeError("copy_from_scaffold is not a Scaffold instance.")
            init_op = init_op or copy_from_scaffold.init_op
            init_feed_dict = init_feed_dict or copy_from_scaffold.init_feed_dict
            init_fn = init_fn or copy_from_scaffold._init_fn
            local_init_op = local_init_op or copy_from_scaffold.local_init_op
            summary_op = summary_op or copy_from_scaffold.summary_op
            saver = saver or copy_from_scaffold.saver
        self._init_op, self._init_feed_dict, self._init_fn = init_op, init_feed_dict, init_fn
        self._ready_op, self._ready_for_local_init_op = ready_op, ready_for_local_init_op
        self._local_init_op, self._local_init_feed_dict = local_init_op, local_init_feed_dict
        self._summary_op, self._saver = summary_op, saver

    def finalize(self):
        """Fill in the ops not given: the graph's own (its INIT_OP, LOCAL_INIT_OP,
        SUMMARY_OP collections, its first Saver) when an earlier Scaffold stored them there,
        else new defaults, stored there for the next one (as TensorFlow)."""
        from . import v1_variables
        from .v1_saver import Saver
        from .v1_summary import merge_all

        keys = collections.GraphKeys
        if self._init_op is None:
            self._init_op = _get_or_default(keys.INIT_OP, v1_variables.global_variables_initializer)
        if self._local_init_op is None:
            self._local_init_op = _get_or_default(keys.LOCAL_INIT_OP, self.default_local_init_op)
        if self._summary_op is None:
            self._summary_op = _get_or_default(keys.SUMMARY_OP, merge_all)
        if self._saver is None:
            found = collections.get_collection(keys.SAVERS)
            if found:
                self._saver = found[0]
            elif collections.global_variables():
                self._saver = Saver(sharded=True, allow_empty=True)
                collections.add_to_collection(keys.SAVERS, self._saver)
        return self

    init_op = property(lambda self: self._init_op)
    init_feed_dict = property(lambda self: self._init_feed_dict)
    init_fn = property(lambda self: self._init_fn)
    ready_op = property(lambda self: self._ready_op)
    ready_for_local_init_op = property(lambda self: self._ready_for_local_init_op)
    local_init_op = property(lambda self: self._local_init_op)
    local_init_feed_dict = property(lambda self: self._local_init_feed_dict)
    summary_op = property(lambda self: self._summary_op)
    saver = property(lambda self: self._saver)

    @staticmethod
    def default_local_init_op():
        from . import v1_variables

        # the local variables' initializers (tables need none here), one op as TF groups
        return v1_variables.variables_initializer(collections.local_variables(), "group_deps")


def _get_or_default(key: str, default):
    """The op kept in collection ``key``, else ``default()`` (kept there when not None)."""
    found = collections.get_collection(key)
    if found:
        return found[0]
    op = default()
    if op is not None:
        collections.add_to_collection(key, op)
    return op


class SessionCreator:
    """The session creator interface: ``create_session()``."""

    def create_session(self):
        raise NotImplementedError("create_session is not implemented for SessionCreator.")


class ChiefSessionCreator(SessionCreator):
    """Makes a Session whose variables are restored from ``checkpoint_dir``'s latest
    checkpoint (or ``checkpoint_filename_with_path``), else initialized."""

    def __init__(self, scaffold=None, master="", config=None, checkpoint_dir=None,
                 checkpoint_filename_with_path=None) -> None:  # fmt: skip
        self._scaffold = scaffold or Scaffold()
        self._config, self._master = config, master
        self._checkpoint_dir = checkpoint_dir
        self._checkpoint_path = checkpoint_filename_with_path

    def create_session(self):
        from ..train import latest_checkpoint
        from .v1_session import Session

        scaffold = self._scaffold.finalize()
        session = Session(self._master, config=self._config)
        path = self._checkpoint_path
        if path is None and self._checkpoint_dir and os.path.isdir(self._checkpoint_dir):
            path = latest_checkpoint(self._checkpoint_dir)
        if path is not None and scaffold.saver is not None:
            scaffold.saver.restore(session, path)
        else:
            session.run(scaffold.init_op, feed_dict=scaffold.init_feed_dict)
            if scaffold.init_fn is not None:
                scaffold.init_fn(scaffold, session)
        if scaffold.local_init_op is not None:
            session.run(scaffold.local_init_op, feed_dict=scaffold.local_init_feed_dict)
        return session


class WorkerSessionCreator(ChiefSessionCreator):
    """A worker's session creator: one process is its own chief here."""


class _Coordinator:
    """What ``after_create_session`` gets as ``coord``: stop requests."""

    def __init__(self) -> None:
        self._stop = False

    def request_stop(self, ex=None) -> None:
        self._stop = True

    def should_stop(self) -> bool:
        return self._stop

    def join(self, threads=None, stop_grace_period_secs=120, ignore_live_threads=False):
        return None


class MonitoredSession:
    """A session that calls its hooks around every ``run``; ``should_stop()`` turns True
    when a hook asks (or the input ran out: OutOfRangeError ends a ``with`` block
    quietly)."""

    def __init__(self, session_creator=None, hooks=None, stop_grace_period_secs=120) -> None:
        self._hooks = list(hooks or [])
        for hook in self._hooks:
            hook.begin()
        self._creator = session_creator or ChiefSessionCreator()
        self._sess = self._creator.create_session()
        self._coord = _Coordinator()
        for hook in self._hooks:
            hook.after_create_session(self._sess, self._coord)
        self._stop = False
        self._closed = False

    @property
    def graph(self):
        return self._sess.graph

    def should_stop(self) -> bool:
        return self._stop or self._coord.should_stop() or self._closed

    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        """``fetches``' values, the hooks' own fetches and feeds run alongside."""
        if self.should_stop():
            raise RuntimeError("Run called even after should_stop requested.")
        context = hooks_module.SessionRunContext(
            hooks_module.SessionRunArgs(fetches, feed_dict, options), self._sess
        )
        extra = []
        feeds = dict(feed_dict or {})
        for hook in self._hooks:
            args = hook.before_run(context)
            extra.append(args.fetches if args is not None else None)
            if args is not None and args.feed_dict:
                clash = set(feeds) & set(args.feed_dict)
                if clash:
                    raise RuntimeError(
                        f"Same tensor is fed by two hooks, or a hook and the caller: {clash}"
                    )
                feeds.update(args.feed_dict)
        wanted = [i for i, f in enumerate(extra) if f is not None]
        results = self._sess.run(
            {"caller": fetches, "hooks": [extra[i] for i in wanted]}, feed_dict=feeds
        )
        hook_values = dict(zip(wanted, results["hooks"]))
        for i, hook in enumerate(self._hooks):
            hook.after_run(
                context, hooks_module.SessionRunValues(hook_values.get(i), options, run_metadata)
            )
        self._stop = self._stop or context.stop_requested
        return results["caller"]

    def run_step_fn(self, step_fn):
        """``step_fn(step_context)``: ``step_context.run_with_hooks(...)`` runs with the
        hooks, ``step_context.session`` is the raw session."""

        class StepContext:
            def __init__(ctx) -> None:
                ctx.session = self._sess

            def run_with_hooks(ctx, *args, **kwargs):
                return self.run(*args, **kwargs)

            def request_stop(ctx) -> None:
                self._stop = True

        return step_fn(StepContext())

    def close(self) -> None:
        if self._closed:
            return
        try:
            for hook in self._hooks:
                hook.end(self._sess)
        finally:
            self._closed = True
            self._sess.close()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type in (OutOfRangeError, StopIteration):
            exc_type = None
        if exc_type is None:
            self.close()
        else:
            self._closed = True
            self._sess.close()
        return exc_type is None


class SingularMonitoredSession(MonitoredSession):
    """A MonitoredSession with a ChiefSessionCreator of its own."""

    def __init__(self, hooks=None, scaffold=None, master="", config=None,
                 checkpoint_dir=None, stop_grace_period_secs=120,
                 checkpoint_filename_with_path=None) -> None:  # fmt: skip
        creator = ChiefSessionCreator(
            scaffold, master, config, checkpoint_dir, checkpoint_filename_with_path
        )
        super().__init__(creator, hooks, stop_grace_period_secs)

    def raw_session(self):
        """The Session underneath (runs without the hooks)."""
        return self._sess


USE_DEFAULT = object()


def MonitoredTrainingSession(  # noqa: N802 - TensorFlow's name
    master="",
    is_chief=True,
    checkpoint_dir=None,
    scaffold=None,
    hooks=None,
    chief_only_hooks=None,
    save_checkpoint_secs=USE_DEFAULT,
    save_summaries_steps=USE_DEFAULT,
    save_summaries_secs=USE_DEFAULT,
    config=None,
    stop_grace_period_secs=120,
    log_step_count_steps=100,
    max_wait_secs=7200,
    save_checkpoint_steps=USE_DEFAULT,
    summary_dir=None,
    save_graph_def=True,
):
    """A MonitoredSession for training: restores from or initializes into
    ``checkpoint_dir``, and (on the chief) saves checkpoints every
    ``save_checkpoint_steps`` steps or ``save_checkpoint_secs`` seconds (600 by default),
    summaries every ``save_summaries_steps`` (100), and logs the steps per second."""
    if save_summaries_steps is USE_DEFAULT and save_summaries_secs is USE_DEFAULT:
        save_summaries_steps, save_summaries_secs = 100, None
    elif save_summaries_secs is USE_DEFAULT:
        save_summaries_secs = None
    elif save_summaries_steps is USE_DEFAULT:
        save_summaries_steps = None
    if save_checkpoint_steps is USE_DEFAULT and save_checkpoint_secs is USE_DEFAULT:
        save_checkpoint_steps, save_checkpoint_secs = None, 600
    elif save_checkpoint_secs is USE_DEFAULT:
        save_checkpoint_secs = None
    elif save_checkpoint_steps is USE_DEFAULT:
        save_checkpoint_steps = None
    scaffold = scaffold or Scaffold()
    all_hooks = list(hooks or [])
    if is_chief:
        all_hooks.extend(chief_only_hooks or [])
        summary_dir = summary_dir or checkpoint_dir
        if summary_dir:
            if log_step_count_steps and log_step_count_steps > 0:
                all_hooks.append(
                    hooks_module.StepCounterHook(
                        every_n_steps=log_step_count_steps, output_dir=summary_dir
                    )
                )
            if save_summaries_steps and save_summaries_steps > 0 or save_summaries_secs:
                all_hooks.append(
                    hooks_module.SummarySaverHook(
                        scaffold=scaffold,
                        save_steps=save_summaries_steps if not save_summaries_secs else None,
                        save_secs=save_summaries_secs,
                        output_dir=summary_dir,
                    )
                )
        if checkpoint_dir and (save_checkpoint_secs or save_checkpoint_steps):
            all_hooks.append(
                hooks_module.CheckpointSaverHook(
                    checkpoint_dir,
                    save_steps=save_checkpoint_steps if not save_checkpoint_secs else None,
                    save_secs=save_checkpoint_secs,
                    scaffold=scaffold,
                    save_graph_def=save_graph_def,
                )
            )
    creator = ChiefSessionCreator(scaffold, master, config, checkpoint_dir)
    return MonitoredSession(creator, all_hooks, stop_grace_period_secs)


__all__ = [
    "ChiefSessionCreator",
    "SessionCreator",
    "MonitoredSession",
    "MonitoredTrainingSession",
    "Scaffold",
    "SingularMonitoredSession",
    "WorkerSessionCreator",
]
