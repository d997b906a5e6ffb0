"""``tf.profiler.experimental``: a profiling session that writes a timeline of the run.

``start(logdir)`` ... ``stop()`` (or ``with Profile(logdir):``) records, as TensorFlow's
profiler does in its trace viewer:

- every ``Trace(name, **kwargs)`` region (a training step with ``step_num=...``);
- every op's forward and backward (``host_tracer_level`` 1 or more, the default 2),
  named after the op (``MatMul``, ``Dense:backward``);
- every Python function call (``python_tracer_level=1``; off by default).

``stop()`` writes them as a Chrome trace-event file,
``logdir/plugins/profile/<YYYY_MM_DD_HH_MM_SS>/<host>.trace.json.gz``, which Perfetto
(ui.perfetto.dev), ``chrome://tracing`` and TensorBoard's trace viewer open. gpuflow
records from the Python side: device (GPU kernel) timelines are not captured, and the
profiler's gRPC server (``tf.profiler.experimental.server``) is not provided.
"""

from __future__ import annotations

import collections
import datetime
import gzip
import json
import os
import socket
import sys
import threading
import time

from ..autodiff.function import Function
from ..errors import AlreadyExistsError, UnavailableError


class ProfilerOptions(
    collections.namedtuple(
        "ProfilerOptions",
        ["host_tracer_level", "python_tracer_level", "device_tracer_level", "delay_ms"],
    )
):
    """Options of a profiling session (TensorFlow's fields and defaults).

    host_tracer_level: 0 records ``Trace`` regions only, 1 or more also each op.
    python_tracer_level: 1 records every Python function call. device_tracer_level and
    delay_ms are accepted (gpuflow records no device timeline; it starts at once).
    """

    def __new__(
        cls, host_tracer_level=2, python_tracer_level=0, device_tracer_level=1, delay_ms=None
    ):
        return super().__new__(
            cls, host_tracer_level, python_tracer_level, device_tracer_level, delay_ms
        )


class _Session:
    def __init__(self, logdir: str, options: ProfilerOptions) -> None:
        self.logdir = os.fspath(logdir)
        self.options = options
        self.origin = time.perf_counter()
        self.events: list = []
        self.lock = threading.Lock()
        self.stacks: dict = {}  # thread id -> [(name, start)]
        self.pid = os.getpid()

    def now_us(self) -> float:
        return (time.perf_counter() - self.origin) * 1e6

    def add(self, name: str, start_us: float, end_us: float, args=None) -> None:
        event = {
            "name": name,
            "ph": "X",
            "ts": start_us,
            "dur": max(end_us - start_us, 0.0),
            "pid": self.pid,
            "tid": threading.get_ident(),
        }
        if args:
            event["args"] = args
        with self.lock:
            self.events.append(event)

    # -- the Python-side tracer (sys.setprofile) ------------------------------------------
    def tracer(self, frame, event, arg):
        if event == "call":
            name = self._name(frame)
            if name is not None:
                self.stacks.setdefault(threading.get_ident(), []).append(
                    (frame, name, self.now_us())
                )
        elif event == "return":
            stack = self.stacks.get(threading.get_ident())
            if stack and stack[-1][0] is frame:
                _, name, start = stack.pop()
                self.add(name, start, self.now_us())

    def _name(self, frame):
        code = frame.f_code
        if code.co_name in ("forward", "backward") and self.options.host_tracer_level >= 1:
            op = frame.f_locals.get("self")
            if isinstance(op, Function):
                name = op.op_name()
                return name if code.co_name == "forward" else f"{name}:backward"
        if self.options.python_tracer_level >= 1:
            return f"{code.co_qualname if hasattr(code, 'co_qualname') else code.co_name}"
        return None

    def traces_python(self) -> bool:
        return self.options.host_tracer_level >= 1 or self.options.python_tracer_level >= 1

    def write(self) -> str:
        run = datetime.datetime.now().strftime("%Y_%m_%d_%H_%M_%S")
        folder = os.path.join(self.logdir, "plugins", "profile", run)
        n = 0
        while os.path.exists(folder):  # two sessions in one second keep both runs
            n += 1
            folder = os.path.join(self.logdir, "plugins", "profile", f"{run}_{n}")
        os.makedirs(folder)
        path = os.path.join(folder, f"{socket.gethostname()}.trace.json.gz")
        with self.lock:
            events = sorted(self.events, key=lambda e: e["ts"])
        with gzip.open(path, "wt", encoding="utf-8") as f:
            json.dump({"displayTimeUnit": "ms", "traceEvents": events}, f)
        return path


_lock = threading.Lock()
_session: _Session | None = None


def start(logdir, options=None) -> None:
    """Start profiling; results go to ``logdir`` when :func:`stop` is called.

    Raises:
        AlreadyExistsError: a profiling session is already running.
    """
    global _session
    with _lock:
        if _session is not None:
            raise AlreadyExistsError(None, None, "Another profiler is running.")
        if options is not None and not isinstance(options, ProfilerOptions):
            raise TypeError(
                "profiler.experimental.start: options must be a "
                f"tf.profiler.experimental.ProfilerOptions, received {type(options).__name__}"
            )
        session = _Session(logdir, options or ProfilerOptions())
        _session = session
    if session.traces_python():
        sys.setprofile(session.tracer)
        threading.setprofile(session.tracer)


def stop(save: bool = True) -> None:
    """Stop the session and, with ``save``, write its timeline under its logdir.

    Raises:
        UnavailableError: no profiling session is running.
    """
    global _session
    with _lock:
        session = _session
        if session is None:
            raise UnavailableError(
                None, None, "Cannot export profiling results. No profiler is running."
            )
        _session = None
    if session.traces_python():
        sys.setprofile(None)
        threading.setprofile(None)
    if save:
        session.write()


def enabled() -> bool:
    """Whether a profiling session is running (``Trace`` records only then)."""
    return _session is not None


class Profile:
    """``with Profile(logdir, options=None):`` profiles the block (``start`` / ``stop``)."""

    def __init__(self, logdir, options=None) -> None:
        self._logdir, self._options = logdir, options

    def __enter__(self):
        start(self._logdir, self._options)

    def __exit__(self, typ, value, tb):
        stop()


class Trace:
    """A named region of the timeline: ``with Trace("train", step_num=step, _r=1): ...``.

    Keyword arguments are kept as the event's arguments (``step_num`` marks a training
    step, as in TensorFlow). Outside a profiling session it records nothing.
    """

    def __init__(self, name, **kwargs) -> None:
        self._name = str(name)
        self._args = {k: str(v) for k, v in kwargs.items()}
        self._session = _session
        self._start = None if self._session is None else self._session.now_us()

    def __enter__(self):
        return self

    def set_metadata(self, **kwargs) -> None:
        """Add arguments to this region's event."""
        self._args.update({k: str(v) for k, v in kwargs.items()})

    def __exit__(self, typ, value, tb):
        session = self._session
        if session is not None and session is _session:
            session.add(self._name, self._start, session.now_us(), self._args)
