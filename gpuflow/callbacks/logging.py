"""TerminateOnNaN, CSVLogger and LambdaCallback."""

from __future__ import annotations

import csv
import math

from .base import Callback


class TerminateOnNaN(Callback):
    """Stop training as soon as the loss is NaN or infinite: gracefully (``stop_training``,
    so every callback's ``on_train_end`` runs), or with ``raise_error=True`` at once with a
    RuntimeError, as Keras 3.15."""

    def __init__(self, raise_error: bool = False) -> None:
        super().__init__()
        self.raise_error = raise_error

    def on_train_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(loss):
            if self.raise_error:
                raise RuntimeError(
                    f"NaN or Inf loss encountered at batch {batch}. Loss value: {loss}. "
                    "Terminating training immediately."
                )
            print(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True


class CSVLogger(Callback):
    """Append one row per epoch (``epoch`` and every log value) to a CSV file."""

    def __init__(self, filename, separator: str = ",", append: bool = False) -> None:
        super().__init__()
        self.filename, self.separator, self.append = str(filename), separator, append
        self.file = None
        self.writer = None
        self.keys = None

    def on_train_begin(self, logs=None):
        self.file = open(self.filename, "a" if self.append else "w", newline="")
        self.writer = None
        self.keys = None

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self.keys is None:
            self.keys = sorted(logs)
            # As Keras 3.15: without val_ keys in the first epoch (validation_freq > 1,
            # or none), the val_ columns are added anyway and hold "NA" until filled.
            if self.keys and not any(k.startswith("val_") for k in self.keys):
                self.keys += [f"val_{k}" for k in self.keys]
            self.writer = csv.DictWriter(
                self.file, fieldnames=["epoch"] + self.keys, delimiter=self.separator
            )
            if not (self.append and self.file.tell() > 0):
                self.writer.writeheader()
        self.writer.writerow({"epoch": epoch, **{k: logs.get(k, "NA") for k in self.keys}})
        self.file.flush()

    def on_train_end(self, logs=None):
        if self.file is not None:
            self.file.close()
            self.file = None


class LambdaCallback(Callback):
    """A callback from functions: ``LambdaCallback(on_epoch_end=lambda epoch, logs: ...)``."""

    _HOOKS = (
        "on_epoch_begin",
        "on_epoch_end",
        "on_train_batch_begin",
        "on_train_batch_end",
        "on_batch_begin",
        "on_batch_end",
        "on_train_begin",
        "on_train_end",
    )

    def __init__(self, **hooks) -> None:
        super().__init__()
        for name, fn in hooks.items():
            if name not in self._HOOKS:
                raise TypeError(
                    f"LambdaCallback: unknown hook {name!r}; "
                    f"expected one of {', '.join(self._HOOKS)}"
                )
            setattr(self, name, fn)
