"""What ModelCheckpoint, EarlyStopping and ReduceLROnPlateau share: watching one logged value."""

from __future__ import annotations

import math
import warnings


class Monitor:
    """Tracks the best value of ``logs[monitor]``.

    ``mode`` "auto" minimizes unless the name says accuracy.
    """

    def __init__(
        self,
        owner: str,
        monitor: str,
        mode: str,
        min_delta: float = 0.0,
        baseline: float | None = None,
    ) -> None:
        if mode not in ("auto", "min", "max"):  # Keras 3 warns and falls back to "auto"
            warnings.warn(f"{owner} mode '{mode}' is unknown, fallback to auto mode.", stacklevel=3)
            mode = "auto"
        #: the mode as given ("auto" stays "auto"), what Keras shows as ``callback.mode``
        self.given_mode = mode
        if mode == "auto":
            mode = (
                "max"
                if ("acc" in monitor or monitor.startswith("fmeasure") or "auc" in monitor)
                else "min"
            )
        self.owner, self.monitor, self.mode = owner, monitor, mode
        self.min_delta = abs(min_delta)
        self.reset(baseline)

    def reset(self, baseline=None) -> None:
        self.best = (
            baseline if baseline is not None else (math.inf if self.mode == "min" else -math.inf)
        )

    def value(self, logs):
        value = (logs or {}).get(self.monitor)
        if value is None:
            warnings.warn(
                f"{self.owner}: monitored value {self.monitor!r} is not in the logs "
                f"(available: {', '.join(sorted(logs or {})) or 'none'})",
                stacklevel=3,
            )
        return value

    def improved(self, value) -> bool:
        return self.beats(value, self.best)

    def beats(self, value, reference) -> bool:
        """Whether ``value`` improves on ``reference`` by more than ``min_delta``."""
        if self.mode == "min":
            return value < reference - self.min_delta
        return value > reference + self.min_delta


class WatchedValue:
    """Keras's public attributes of a callback that watches a logged value through
    ``self.watch`` (a :class:`Monitor`): ``monitor``, ``min_delta`` and ``best`` (readable
    and settable, as Keras users do to resume or inspect a run)."""

    @property
    def monitor(self) -> str:
        return self.watch.monitor

    @property
    def mode(self) -> str:
        """The mode as passed: auto, min or max (an unknown mode became auto)."""
        return self.watch.given_mode

    @property
    def min_delta(self) -> float:
        return self.watch.min_delta

    @property
    def best(self):
        return self.watch.best

    @best.setter
    def best(self, value) -> None:
        self.watch.best = value
