"""The Keras-style progress bar and the ProgbarLogger callback that drives it."""

from __future__ import annotations

import re
import sys
import time

import numpy as np

from .base import Callback

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _interactive(stream) -> bool:
    """Redraw in place on a terminal or in Jupyter; one line per epoch in logs and CI."""
    if "ipykernel" in sys.modules:
        return True
    return bool(getattr(stream, "isatty", lambda: False)())


def _format_time(seconds: float) -> str:
    if seconds >= 1 or seconds == 0:
        return f"{seconds:.0f}s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.0f}ms"
    return f"{seconds * 1e6:.0f}us"


def _format_eta(seconds: float) -> str:
    """Keras 3's time left, in whole units: ``7s``, ``1:05``, ``2:03:04``."""
    whole = int(seconds)
    if seconds > 3600:
        return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"
    if seconds > 60:
        return f"{whole // 60}:{whole % 60:02d}"
    return f"{whole}s"


def _format_value(value) -> str:
    """A logged number as Keras prints it: 4 decimals, or 4 significant digits when tiny."""
    if not isinstance(value, float):
        if isinstance(value, (int, str)) or not hasattr(value, "dtype"):
            return str(value)
        value = float(np.mean(np.asarray(value)))  # a tensor or NumPy value
    return f"{value:.4f}" if abs(value) > 1e-3 else f"{value:.4e}"


class Progbar:
    """``469/469 ━━━━━━━━━━━━━━━━━━━━ 2s 4ms/step - accuracy: 0.9100 - loss: 0.3120``, Keras 3's.

    On a terminal or in Jupyter the bar redraws in place, in Keras 3's colours (the done part
    green); elsewhere (logs, CI) each epoch gets one plain line at its end.

    Args:
        target: number of steps (None if unknown).
        verbose: 1 for the bar, 2 for one summary line at the end.
        stateful_metrics: names whose values show as given; every other name is averaged
            over the steps (Keras' default: all averaged).
        stateless_metrics: the other way round: only these names are averaged.
        stream: where to write (default ``sys.stdout``).

    ``update(current, values)`` takes Keras' list of ``(name, value)`` pairs; a dict (what
    gpuflow's ProgbarLogger hands over: already-averaged logs) shows its values as given.
    """

    def __init__(
        self,
        target,
        width: int = 20,
        verbose: int = 1,
        interval: float = 0.05,
        stateful_metrics=None,
        stateless_metrics=None,
        unit_name: str = "step",
        stream=None,
    ) -> None:
        if stateful_metrics is not None and stateless_metrics is not None:
            raise ValueError(
                "Progbar: only one of `stateful_metrics` or `stateless_metrics` can be "
                "provided. `stateful_metrics` makes metrics stateless by default (with an "
                "exclusion list), `stateless_metrics` makes them stateful by default."
            )
        self.target, self.width, self.verbose = target, width, verbose
        self.interval, self.unit_name = interval, unit_name
        self.stateful_metrics = (
            None if stateless_metrics is not None else set(stateful_metrics or ())
        )
        self.stateless_metrics = None if stateless_metrics is None else set(stateless_metrics)
        self._values: dict = {}  # name -> [sum of value * steps, steps]
        self._values_order: list = []
        self._seen_so_far = 0
        self._stream = stream  # None: sys.stdout as it is when writing (print redirection)
        self.dynamic = _interactive(self.stream)
        self.start = time.perf_counter()
        self._after_first_step = None  # when step 1 ended: later steps are timed from there
        self.last_draw = 0.0
        self.last_width = 0

    def due(self, current: int, finalize: bool = False) -> bool:
        """Whether :meth:`update` would draw now (callers read their logs only then)."""
        self._note_first_step(current)
        if finalize:
            return self.verbose in (1, 2)
        if self.verbose != 1 or not self.dynamic:
            return False
        return time.perf_counter() - self.last_draw >= self.interval

    def update(self, current: int, values=None, finalize: bool | None = None) -> None:
        """Show progress at step ``current`` with ``values``: ``(name, value)`` pairs (Keras:
        averaged over the steps unless stateful) or a dict shown as given."""
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        if values is not None and not isinstance(values, dict):
            values = self._averaged(current, values, finalize)
        self._seen_so_far = current
        self._note_first_step(current)
        now = time.perf_counter()
        if self.verbose != 1 or not (finalize or self.dynamic):
            if finalize and self.verbose in (1, 2):
                self._write(self._line(current, values, now, bar=self.verbose == 1) + "\n")
            return
        if not finalize and now - self.last_draw < self.interval:
            return
        self.last_draw = now
        line = self._line(current, values, now, bar=True)
        width = len(_ANSI.sub("", line))
        pad = max(self.last_width - width, 0)
        self.last_width = width
        self._write(("\r" if self.dynamic else "") + line + " " * pad + ("\n" if finalize else ""))

    @property
    def stream(self):
        return self._stream if self._stream is not None else sys.stdout

    def add(self, n: int, values=None) -> None:
        """``update(steps seen so far + n, values)``."""
        self.update(self._seen_so_far + n, values)

    def _averaged(self, current: int, pairs, finalize: bool) -> dict:
        """Keras' bookkeeping of ``(name, value)`` pairs: a stateless metric's shown value is
        its average over the steps, weighted by the steps since the previous update."""
        for name, value in pairs:
            if name not in self._values_order:
                self._values_order.append(name)
            value = float(np.mean(np.asarray(value)))
            if self.stateful_metrics is not None:
                stateless = name not in self.stateful_metrics
            else:
                stateless = name in self.stateless_metrics
            if stateless and not finalize:
                steps = max(current - self._seen_so_far, 1)
                total, count = self._values.get(name, (0.0, 0))
                self._values[name] = [total + value * steps, count + steps]
            else:
                self._values[name] = [value, 1]
        return {name: total / max(1, count) for name, (total, count) in self._values.items()}

    def _line(self, current, values, now, bar: bool) -> str:
        """Keras 3's line: with the ``bar`` (verbose 1) ``3/3 ━━━━ 1s 5ms/step - loss: ...``
        (the estimated time left instead of the time so far while running), else
        ``3/3 - 1s - 5ms/step - loss: ...``."""
        per_step = f"{_format_time(self._step_duration(current, now))}/{self.unit_name}"
        elapsed = f"{now - self.start:.0f}s"
        count = f"{current:{len(str(self.target))}d}/{self.target}" if self.target else None
        if not bar:
            text = " - ".join([count or f"{current}", elapsed, per_step])
        elif count is None:
            text = f"{current:7d}/Unknown {elapsed} {per_step}"
        else:
            done = int(self.width * current / self.target)
            if self.colors:
                count = f"\x1b[1m{count}\x1b[0m"
                shown = f"\x1b[32m{'━' * done}\x1b[0m" if done > 0 else ""
                shown += f"\x1b[37m{'━' * (self.width - done)}\x1b[0m"
            else:
                shown = "━" * self.width
            if current < self.target:
                elapsed = _format_eta(self._step_duration(current, now) * (self.target - current))
            if self.colors:
                elapsed = f"\x1b[1m{elapsed}\x1b[0m"
            text = f"{count} {shown} {elapsed} {per_step}"
        for key, value in (values or {}).items():
            text += f" - {key}: {_format_value(value)}"
        return text

    @property
    def colors(self) -> bool:
        """Keras 3's colours, where the bar redraws in place (a terminal, Jupyter)."""
        return self.dynamic

    def _note_first_step(self, current: int) -> None:
        if current == 1 and self._after_first_step is None:
            self._after_first_step = time.perf_counter()

    def _step_duration(self, current: int, now: float) -> float:
        """Keras 3's estimate: the mean step after the first (which includes tracing and
        warm-up) once there is one, else the mean step so far."""
        if not current:
            return 0.0
        if self._after_first_step is not None and current > 1:
            return (now - self._after_first_step) / (current - 1)
        return (now - self.start) / current

    def _write(self, text: str) -> None:
        if _to_logger(text):
            return
        stream = self.stream
        stream.write(text)
        stream.flush()


def _to_logger(text: str) -> bool:
    """With ``keras.utils.disable_interactive_logging()``, send ``text`` to the logger."""
    from ..utils import io_utils

    if io_utils.is_interactive_logging_enabled():
        return False
    io_utils.log_line(text)
    return True


class ProgbarLogger(Callback):
    """Prints ``Epoch i/n`` and the progress bar during ``fit``/``evaluate``/``predict``."""

    #: batch logs may stay on the device: they are read only when the bar redraws
    reads_logs_lazily = True

    def __init__(self, stream=None) -> None:
        super().__init__()
        self.stream = stream
        self.bar = None
        self._called_in_fit = False  # inside fit, the validation pass draws no bar (Keras)

    def _verbose(self) -> int:
        verbose = self.params.get("verbose", 1)
        return 1 if verbose == "auto" else verbose

    def on_train_begin(self, logs=None):
        self._called_in_fit = True

    def on_epoch_begin(self, epoch, logs=None):
        epochs = self.params.get("epochs")
        # as Keras 3: a one-epoch fit prints no "Epoch 1/1" header
        if self._verbose() and (epochs is None or epochs > 1):
            if not _to_logger(f"Epoch {epoch + 1}/{epochs}"):
                stream = self.stream or sys.stdout
                stream.write(f"Epoch {epoch + 1}/{epochs}\n")
                stream.flush()
        self.bar = Progbar(self.params.get("steps"), verbose=self._verbose(), stream=self.stream)
        self.seen = 0

    def on_train_batch_end(self, batch, logs=None):
        self.seen = batch + 1
        # Reading the logs syncs with the device: only when the bar redraws.
        if self.bar is not None and self.bar.due(self.seen):
            self.bar.update(self.seen, _numbers(logs), finalize=False)

    def on_epoch_end(self, epoch, logs=None):
        if self.bar is not None:
            self.bar.update(self.seen, _numbers(logs), finalize=True)
            self.bar = None

    def on_test_begin(self, logs=None):
        if self.bar is None and not self._called_in_fit:
            self.bar = Progbar(
                self.params.get("steps"), verbose=self._verbose(), stream=self.stream
            )
            self.seen = 0

    def on_test_batch_end(self, batch, logs=None):
        if not self._called_in_fit and self.bar is not None:
            self.seen = batch + 1
            if self.bar.due(self.seen):
                self.bar.update(self.seen, _numbers(logs), finalize=False)

    def on_test_end(self, logs=None):
        if not self._called_in_fit and self.bar is not None:
            self.bar.update(self.seen, _numbers(logs), finalize=True)
            self.bar = None


def _numbers(logs):
    return {k: v for k, v in (logs or {}).items() if isinstance(v, (int, float))}
