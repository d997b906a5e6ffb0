"""``tf.train.CheckpointManager`` and ``tf.train.latest_checkpoint``: numbered checkpoints
in one directory, the oldest deleted beyond ``max_to_keep``."""

from __future__ import annotations

import os
import time
from pathlib import Path

from . import storage


def latest_checkpoint(checkpoint_dir, latest_filename=None) -> "str | None":
    """The prefix of the latest checkpoint in ``checkpoint_dir``, or ``None`` when none exists.

    Args:
        checkpoint_dir: the directory holding the ``checkpoint`` state file.
        latest_filename: accepted for TensorFlow's API; the state file is always
            ``checkpoint``.
    """
    state = storage.read_state(os.fspath(checkpoint_dir))
    if not state or not state["model_checkpoint_path"]:
        return None
    path = state["model_checkpoint_path"]
    return path if storage.exists(path) else None


class CheckpointManager:
    """Saves numbered checkpoints of ``checkpoint`` in ``directory`` and prunes old ones.

    Args:
        checkpoint: the :class:`~gpuflow.train.Checkpoint` to save and restore.
        directory: where the checkpoints and the ``checkpoint`` state file go.
        max_to_keep: how many recent checkpoints to keep (``None``: all).
        keep_checkpoint_every_n_hours: additionally keep one checkpoint per this many hours
            (those are never deleted).
        checkpoint_name: the file name prefix (``ckpt`` gives ``ckpt-1``, ``ckpt-2``, ...).
        step_counter: a Variable whose value numbers the checkpoints when
            ``checkpoint_number`` is not given, and which ``checkpoint_interval`` reads.
        checkpoint_interval: with ``step_counter``, save only when this many steps passed
            since the last save.
        init_fn: called by ``restore_or_initialize`` when there is nothing to restore.
    """

    def __init__(
        self,
        checkpoint,
        directory,
        max_to_keep=5,
        keep_checkpoint_every_n_hours=None,
        checkpoint_name: str = "ckpt",
        step_counter=None,
        checkpoint_interval=None,
        init_fn=None,
    ) -> None:
        if max_to_keep is not None and max_to_keep <= 0:
            raise ValueError(
                f"CheckpointManager: max_to_keep must be a positive int or None, "
                f"received {max_to_keep!r}"
            )
        if checkpoint_interval is not None and step_counter is None:
            raise ValueError("CheckpointManager: checkpoint_interval needs step_counter")
        self._checkpoint = checkpoint
        self._directory = os.fspath(directory)
        self._max_to_keep = max_to_keep
        self._keep_hours = keep_checkpoint_every_n_hours
        self._prefix = os.path.join(self._directory, checkpoint_name)
        self._step_counter = step_counter
        self._interval = checkpoint_interval
        self._init_fn = init_fn
        self._last_step = None
        state = storage.read_state(self._directory) or {}
        paths = [p for p in state.get("all_model_checkpoint_paths", []) if storage.exists(p)]
        stamps = state.get("all_model_checkpoint_timestamps", [])
        now = time.time()
        if len(stamps) != len(state.get("all_model_checkpoint_paths", [])):
            stamps = [now] * len(state.get("all_model_checkpoint_paths", []))
        stamp_of = dict(zip(state.get("all_model_checkpoint_paths", []), stamps))
        self._kept = [(p, stamp_of.get(p, now)) for p in paths]
        self._last_preserved = state.get("last_preserved_timestamp") or now

    @property
    def directory(self) -> str:
        return self._directory

    @property
    def checkpoint(self):
        return self._checkpoint

    @property
    def checkpoints(self) -> list:
        """The prefixes of the kept checkpoints, oldest first."""
        return [p for p, _ in self._kept]

    @property
    def latest_checkpoint(self) -> "str | None":
        """The newest kept checkpoint's prefix, or ``None``."""
        return self._kept[-1][0] if self._kept else None

    @property
    def checkpoint_interval(self):
        return self._interval

    def save(self, checkpoint_number=None, check_interval: bool = True, options=None):
        """Save a checkpoint numbered ``checkpoint_number`` (default: the save count).

        Returns:
            the new checkpoint's prefix, or ``None`` when ``checkpoint_interval`` says it is
            too early.
        """
        if self._interval is not None:  # as TensorFlow: never twice at one step
            step = int(self._step_counter.numpy())
            if self._last_step is not None and (
                step == self._last_step
                or (check_interval and step < self._last_step + self._interval)
            ):
                return None
            self._last_step = step
        counter = self._checkpoint.save_counter
        counter.assign(int(counter.numpy()) + 1)
        if checkpoint_number is None:  # the save count, even with a step_counter (as TF)
            checkpoint_number = int(counter.numpy())
        number = int(
            checkpoint_number.numpy() if hasattr(checkpoint_number, "numpy") else checkpoint_number
        )
        path = self._checkpoint.write(f"{self._prefix}-{number}", options)
        now = time.time()
        self._kept = [(p, t) for p, t in self._kept if p != path] + [(path, now)]
        self._sweep()
        storage.write_state(
            self._directory,
            path,
            self.checkpoints,
            [t for _, t in self._kept],
            self._last_preserved,
        )
        return path

    def _sweep(self) -> None:
        if self._max_to_keep is None:
            return
        while len(self._kept) > self._max_to_keep:
            path, stamp = self._kept.pop(0)
            if (
                self._keep_hours is not None
                and stamp - self._last_preserved >= self._keep_hours * 3600.0
            ):
                self._last_preserved = stamp  # preserved: not deleted, no longer managed
                continue
            storage.delete(path)

    def restore_or_initialize(self):
        """Restore the latest checkpoint, or call ``init_fn``; returns the restored path."""
        if self.latest_checkpoint is not None:
            self._checkpoint.restore(self.latest_checkpoint)
            return self.latest_checkpoint
        if self._init_fn is not None:
            self._init_fn()
        return None

    def sync(self) -> None:
        """Nothing to wait for: saves are synchronous in gpuflow."""

    def __repr__(self) -> str:
        return f"<CheckpointManager directory={Path(self._directory)} kept={self.checkpoints}>"
