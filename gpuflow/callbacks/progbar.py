"""The Keras-style progress bar and the ProgbarLogger callback that drives it."""

from __future__ import annotations

import sys
import time

from .base import Callback


def _interactive(stream) -> bool:
    """Redraw in place on a terminal or in Jupyter; one line per epoch in logs and CI."""
    if "ipykernel" in sys.modules:
        return True
    return bool(getattr(stream, "isatty", lambda: False)())


def _format_time(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.0f}s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.0f}ms"
    return f"{seconds * 1e6:.0f}us"


def _format_value(value) -> str:
    """A logged number as Keras prints it: 4 decimals, or 4 significant digits when tiny."""
    if not isinstance(value, float):
        return str(value)
    return f"{value:.4f}" if abs(value) > 1e-3 else f"{value:.4e}"


class Progbar:
    """``469/469 [==============================] - 2s 4ms/step - loss: 0.3120 - accuracy: 0.9100``.

    Args:
        target: number of steps (None if unknown).
        verbose: 1 for the bar, 2 for one summary line at the end.
        stream: where to write (default ``sys.stdout``).
    """

    def __init__(
        self,
        target,
        width: int = 30,
        verbose: int = 1,
        interval: float = 0.05,
        unit_name: str = "step",
        stream=None,
    ) -> None:
        self.target, self.width, self.verbose = target, width, verbose
        self.interval, self.unit_name = interval, unit_name
        self.stream = stream if stream is not None else sys.stdout
        self.dynamic = _interactive(self.stream)
        self.start = time.perf_counter()
        self.last_draw = 0.0
        self.last_width = 0

    def due(self, current: int, finalize: bool = False) -> bool:
        """Whether :meth:`update` would draw now (callers read their logs only then)."""
        if finalize:
            return self.verbose in (1, 2)
        if self.verbose != 1 or not self.dynamic:
            return False
        return time.perf_counter() - self.last_draw >= self.interval

    def update(
        self, current: int, values: dict | None = None, finalize: bool | None = None
    ) -> None:
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        now = time.perf_counter()
        if self.verbose != 1 or not (finalize or self.dynamic):
            if finalize and self.verbose in (1, 2):
                self._write(self._line(current, values, now, bar=self.verbose == 1) + "\n")
            return
        if not finalize and now - self.last_draw < self.interval:
            return
        self.last_draw = now
        line = self._line(current, values, now, bar=True)
        pad = max(self.last_width - len(line), 0)
        self.last_width = len(line)
        self._write(("\r" if self.dynamic else "") + line + " " * pad + ("\n" if finalize else ""))

    def _line(self, current, values, now, bar: bool) -> str:
        elapsed = now - self.start
        width = len(str(self.target)) if self.target else 1
        parts = [f"{current:{width}d}/{self.target}" if self.target else f"{current}"]
        if bar and self.target:
            done = int(self.width * current / self.target)
            arrow = ">" if current < self.target else "="
            parts[0] += (
                " ["
                + ("=" * max(done - 1, 0) + (arrow if done else "")).ljust(self.width, ".")
                + "]"
            )
        per_step = elapsed / max(current, 1)
        if self.target and current < self.target:
            timing = f"ETA: {_format_time(per_step * (self.target - current))}"
        else:  # Keras: whole seconds so far, then the time per step
            separator = " " if bar else " - "
            timing = f"{elapsed:.0f}s{separator}{_format_time(per_step)}/{self.unit_name}"
        text = " - ".join([parts[0], timing])
        for key, value in (values or {}).items():
            text += f" - {key}: {_format_value(value)}"
        return text

    def _write(self, text: str) -> None:
        if _to_logger(text):
            return
        self.stream.write(text)
        self.stream.flush()


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

    def _verbose(self) -> int:
        return self.params.get("verbose", 1)

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
        if self.bar is None and self.params.get("mode") == "evaluate":
            self.bar = Progbar(
                self.params.get("steps"), verbose=self._verbose(), stream=self.stream
            )
            self.seen = 0

    def on_test_batch_end(self, batch, logs=None):
        if self.params.get("mode") == "evaluate" and self.bar is not None:
            self.seen = batch + 1
            if self.bar.due(self.seen):
                self.bar.update(self.seen, _numbers(logs), finalize=False)

    def on_test_end(self, logs=None):
        if self.params.get("mode") == "evaluate" and self.bar is not None:
            self.bar.update(self.seen, _numbers(logs), finalize=True)
            self.bar = None


def _numbers(logs):
    return {k: v for k, v in (logs or {}).items() if isinstance(v, (int, float))}
