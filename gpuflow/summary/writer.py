"""SummaryWriter: one event file in one log directory, i.e. one TensorBoard run."""

from __future__ import annotations

import contextlib
import os
import time

from . import _backend, _state


class SummaryWriter:
    """Writes summaries to a new event file in ``logdir``, as ``tf.summary`` writers do.

    Make one with :func:`gpuflow.summary.create_file_writer`; use it through
    ``with writer.as_default():`` and the module functions (``scalar``, ``histogram``,
    ``text``, ...). Events are written by a background thread; ``flush()`` blocks until
    everything written before it is on disk.
    """

    def __init__(
        self, logdir, max_queue: int = 10, flush_millis: int = 120_000, filename_suffix: str = ".v2"
    ) -> None:
        self._tb = _backend.require("gpuflow.summary.create_file_writer")
        self.logdir = os.fspath(logdir)
        self._events = self._tb.EventFileWriter(
            self.logdir,
            max_queue_size=max_queue,
            flush_secs=flush_millis / 1000.0,
            filename_suffix=filename_suffix,
        )
        self._closed = False

    @contextlib.contextmanager
    def as_default(self, step=None):
        """Makes this the writer the summary functions use, inside a ``with`` block.

        Args:
            step: Optional default step for summaries written inside the block.
        """
        _state.push(self, step)
        try:
            yield self
        finally:
            _state.pop()

    def set_as_default(self, step=None) -> None:
        """Makes this the default writer outside any ``as_default`` block, until replaced."""
        _state.set_default(self, step)

    def write(self, summary, step: int) -> None:
        """Appends a ``Summary`` protobuf (from the tensorboard package) at ``step``."""
        self._check_open()
        event = self._tb.event_pb2.Event(wall_time=time.time(), step=int(step), summary=summary)
        self._events.add_event(event)

    def write_graph(self, graph_def) -> None:
        """Appends a ``GraphDef`` for TensorBoard's Graphs tab."""
        self._check_open()
        event = self._tb.event_pb2.Event(
            wall_time=time.time(), graph_def=graph_def.SerializeToString()
        )
        self._events.add_event(event)

    def flush(self) -> None:
        """Blocks until every summary written so far is in the event file on disk."""
        if not self._closed:
            self._events.flush()

    def close(self) -> None:
        """Flushes and closes the event file; later writes raise. Safe to call twice."""
        if not self._closed:
            self._events.close()
            self._closed = True

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError(
                f"SummaryWriter for {self.logdir!r} is closed; make a new one with "
                "gpuflow.summary.create_file_writer(logdir)"
            )

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open"
        return f"<gpuflow.summary.SummaryWriter logdir={self.logdir!r} {state}>"


def create_file_writer(
    logdir,
    max_queue: int | None = None,
    flush_millis: int | None = None,
    filename_suffix: str | None = None,
    name: str | None = None,
) -> SummaryWriter:
    """Creates a writer for ``logdir`` (made if missing), like ``tf.summary.create_file_writer``.

    Args:
        logdir: Directory of the run; TensorBoard names the run after its path under ``--logdir``.
        max_queue: Summaries queued before a write blocks (default 10).
        flush_millis: Largest wait, in milliseconds, between flushes to disk (default 120000).
        filename_suffix: Appended to the event file name (default ``".v2"``).
        name: Accepted for TensorFlow compatibility; unused.

    Returns:
        A :class:`SummaryWriter`.

    Raises:
        ImportError: The tensorboard package is not installed
            (``pip install 'gpuflow[tensorboard]'``).
    """
    del name
    return SummaryWriter(
        logdir,
        max_queue=10 if max_queue is None else max_queue,
        flush_millis=120_000 if flush_millis is None else flush_millis,
        filename_suffix=".v2" if filename_suffix is None else filename_suffix,
    )
