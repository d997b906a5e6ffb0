"""``tf.train`` helpers outside checkpoint files themselves: the checkpoint state
(``get_checkpoint_state``), waiting for new checkpoints (``checkpoints_iterator``), the
cluster description (``ClusterSpec``) and the thread ``Coordinator``."""

from __future__ import annotations

import contextlib
import os
import threading
import time
import types

from . import storage
from .manager import latest_checkpoint


def get_checkpoint_state(checkpoint_dir, latest_filename=None):
    """The ``checkpoint`` state file of ``checkpoint_dir``: ``model_checkpoint_path`` and
    ``all_model_checkpoint_paths`` (and their timestamps), or None when there is none."""
    state = storage.read_state(os.fspath(checkpoint_dir))
    if not state or not state["model_checkpoint_path"]:
        return None
    return types.SimpleNamespace(
        model_checkpoint_path=state["model_checkpoint_path"],
        all_model_checkpoint_paths=list(state["all_model_checkpoint_paths"]),
        all_model_checkpoint_timestamps=list(state["all_model_checkpoint_timestamps"]),
        last_preserved_timestamp=state["last_preserved_timestamp"],
    )


def checkpoints_iterator(checkpoint_dir, min_interval_secs=0, timeout=None, timeout_fn=None):
    """Yield each new latest checkpoint of ``checkpoint_dir`` as it appears (at most one
    per ``min_interval_secs``); after ``timeout`` seconds without a new one, stop unless
    ``timeout_fn()`` returns False (then keep waiting)."""
    last = None
    while True:
        start = time.time()
        path = _wait_for_new(checkpoint_dir, last, timeout)
        if path is None:
            if timeout_fn is None or timeout_fn():
                return
            continue
        last = path
        yield path
        remaining = min_interval_secs - (time.time() - start)
        if remaining > 0:
            time.sleep(remaining)


def _wait_for_new(checkpoint_dir, last, timeout, poll_secs: float = 0.2):
    deadline = None if timeout is None else time.time() + timeout
    while True:
        path = latest_checkpoint(checkpoint_dir)
        if path is not None and path != last:
            return path
        if deadline is not None and time.time() + poll_secs > deadline:
            return None
        time.sleep(poll_secs)


class ClusterSpec:
    """The jobs of a cluster and their tasks' addresses (``tf.train.ClusterSpec``): from
    ``{"worker": ["host:port", ...]}`` (a list, or a dict of task index to address)."""

    def __init__(self, cluster) -> None:
        if isinstance(cluster, ClusterSpec):
            cluster = cluster.as_dict()
        if not isinstance(cluster, dict):
            raise TypeError(
                f"ClusterSpec: expected a dict of job name to addresses, received "
                f"{type(cluster).__name__}"
            )
        self._jobs: dict = {}
        for job, tasks in cluster.items():
            if isinstance(tasks, (list, tuple)):
                tasks = dict(enumerate(tasks))
            if not isinstance(tasks, dict):
                raise TypeError(
                    f"ClusterSpec: the tasks of job {job!r} must be a list or a dict of "
                    f"index to address, received {type(tasks).__name__}"
                )
            self._jobs[str(job)] = {int(i): str(a) for i, a in sorted(tasks.items())}

    @property
    def jobs(self) -> list:
        return list(self._jobs)

    def as_dict(self) -> dict:
        """Jobs to lists of addresses (dicts where task indices have gaps), as TF."""
        out = {}
        for job, tasks in self._jobs.items():
            dense = list(tasks) == list(range(len(tasks)))
            out[job] = list(tasks.values()) if dense else dict(tasks)
        return out

    def num_tasks(self, job_name) -> int:
        return len(self._tasks(job_name))

    def task_indices(self, job_name) -> list:
        return list(self._tasks(job_name))

    def task_address(self, job_name, task_index) -> str:
        tasks = self._tasks(job_name)
        if int(task_index) not in tasks:
            raise ValueError(f"ClusterSpec: no task {task_index} in job {job_name!r}")
        return tasks[int(task_index)]

    def job_tasks(self, job_name) -> list:
        tasks = self._tasks(job_name)
        return [tasks.get(i) for i in range(max(tasks) + 1)] if tasks else []

    def _tasks(self, job_name) -> dict:
        if job_name not in self._jobs:
            raise ValueError(f"ClusterSpec: no such job {job_name!r}; jobs: {self.jobs}")
        return self._jobs[job_name]

    def __bool__(self) -> bool:
        return bool(self._jobs)

    def __eq__(self, other) -> bool:
        return isinstance(other, ClusterSpec) and other.as_dict() == self.as_dict()

    def __repr__(self) -> str:
        return f"ClusterSpec({self.as_dict()!r})"


class Coordinator:
    """Tells threads when to stop and collects the exception that stopped them
    (``tf.train.Coordinator``)."""

    def __init__(self, clean_stop_exception_types=None) -> None:
        self._clean = tuple(clean_stop_exception_types or (StopIteration,))
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._exc_info = None
        self._joined = False

    def request_stop(self, ex=None) -> None:
        """Ask the threads to stop; an exception (or exc_info triple) is re-raised by
        :meth:`join` unless it is a clean-stop type."""
        with self._lock:
            if ex is not None and self._exc_info is None:
                if isinstance(ex, tuple):
                    if not issubclass(ex[0], self._clean):
                        self._exc_info = ex
                elif not isinstance(ex, self._clean):
                    self._exc_info = (type(ex), ex, ex.__traceback__)
            self._stop.set()

    def clear_stop(self) -> None:
        with self._lock:
            self._joined = False
            self._exc_info = None
            self._stop.clear()

    def should_stop(self) -> bool:
        return self._stop.is_set()

    def wait_for_stop(self, timeout=None) -> bool:
        return self._stop.wait(timeout)

    @contextlib.contextmanager
    def stop_on_exception(self):
        """Inside the block, an exception requests a stop (and is kept for join)."""
        try:
            yield
        except BaseException as exc:  # noqa: BLE001 - handed to join()
            self.request_stop(exc)

    def join(self, threads=None, stop_grace_period_secs=120, ignore_live_threads=False) -> None:
        """Wait for ``threads`` to end after a stop was requested; re-raise the exception
        passed to :meth:`request_stop`.

        Raises:
            RuntimeError: when threads are still running after the grace period.
        """
        threads = list(threads or [])
        while any(t.is_alive() for t in threads) and not self.wait_for_stop(1.0):
            pass
        deadline = time.time() + stop_grace_period_secs
        for thread in threads:
            thread.join(max(0.0, deadline - time.time()))
        alive = [t.name for t in threads if t.is_alive()]
        with self._lock:
            self._joined = True
            exc_info = self._exc_info
        if exc_info is not None:
            raise exc_info[1].with_traceback(exc_info[2])
        if alive and not ignore_live_threads:
            raise RuntimeError(
                f"Coordinator stopped with threads still running: {', '.join(alive)}"
            )

    @property
    def joined(self) -> bool:
        return self._joined

    def raise_requested_exception(self) -> None:
        with self._lock:
            exc_info = self._exc_info
        if exc_info is not None:
            raise exc_info[1].with_traceback(exc_info[2])
