"""ModelCheckpoint: save the model (or its weights) during training."""

from __future__ import annotations

import math
import warnings

from .base import Callback
from .monitor import Monitor, WatchedValue


class ModelCheckpoint(WatchedValue, Callback):
    """Save after each epoch (or every ``save_freq`` batches) to ``filepath``.

    ``filepath`` may hold ``{epoch}`` and log keys,
    e.g. ``"ckpt-{epoch:02d}-{val_loss:.2f}.gpuflow"``.
    Files are written atomically: a crash mid-save leaves the previous file intact.
    """

    def __init__(
        self,
        filepath,
        monitor: str = "val_loss",
        verbose: int = 0,
        save_best_only: bool = False,
        save_weights_only: bool = False,
        mode: str = "auto",
        save_freq="epoch",
        initial_value_threshold=None,
    ) -> None:
        super().__init__()
        self.filepath = str(filepath)
        self.verbose, self.save_best_only, self.save_weights_only = (
            verbose,
            save_best_only,
            save_weights_only,
        )
        self.save_freq = save_freq
        if save_freq != "epoch" and not (isinstance(save_freq, int) and save_freq > 0):
            raise ValueError(
                "ModelCheckpoint: save_freq must be 'epoch' or a positive int, "
                f"received {save_freq!r}"
            )
        _check_file_name(self.filepath, save_weights_only)
        self.watch = Monitor("ModelCheckpoint", monitor, mode, baseline=initial_value_threshold)
        self._batches = 0
        self._epoch = 0

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if isinstance(self.save_freq, int):
            self._batches += 1
            if self._batches % self.save_freq == 0:
                self._save(self._epoch, logs, batch)

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq == "epoch":
            self._save(epoch, logs)

    def _save(self, epoch, logs, batch=None) -> None:
        """Save when due, with Keras 3.15's messages under ``verbose``: the monitored value
        missing from the logs warns and saves anyway, as Keras. ``batch``: the batch index
        of a save every ``save_freq`` batches (``{batch}`` in the file name, from 1)."""
        logs = logs or {}
        path = self._path(epoch, logs, batch)
        if self.save_best_only:
            value = logs.get(self.watch.monitor)
            if value is None:
                warnings.warn(
                    f"Can save best model only with {self.watch.monitor} available.",
                    stacklevel=3,
                )
            else:
                best = self.watch.best
                # Keras starts from None (no value seen yet, no initial_value_threshold)
                best_str = "None" if best is None or math.isinf(best) else f"{best:.5f}"
                if not self.watch.improved(value):
                    self._say(
                        f"\nEpoch {epoch + 1}: {self.watch.monitor} did not improve from {best_str}"
                    )
                    return
                self._say(
                    f"\nEpoch {epoch + 1}: {self.watch.monitor} improved from {best_str} to "
                    f"{value:.5f}, saving model to {path}"
                )
                self.watch.best = value
        else:
            self._say(f"\nEpoch {epoch + 1}: saving model to {path}")
        if self.save_weights_only:
            self.model.save_weights(path)
        else:
            self.model.save(path)
        self._say(f"\nEpoch {epoch + 1}: finished saving model to {path}")

    def _say(self, text: str) -> None:
        if self.verbose:
            print(text)

    def _path(self, epoch, logs, batch=None) -> str:
        try:
            if batch is None or "batch" in logs:
                return self.filepath.format(epoch=epoch + 1, **logs)
            return self.filepath.format(epoch=epoch + 1, batch=batch + 1, **logs)
        except KeyError as exc:
            raise KeyError(
                f"ModelCheckpoint: filepath {self.filepath!r} names {exc}, which is not in the "
                f"logs ({', '.join(sorted(logs))})"
            ) from None


def _check_file_name(filepath: str, save_weights_only: bool) -> None:
    """Refuse, before any epoch runs (as Keras 3 does), a file name whose format cannot hold
    what is saved: a model file for weights."""
    from ..models.saving import file_format

    kind = file_format(filepath)
    if save_weights_only and kind in ("keras", "legacy_h5"):
        raise ValueError(
            "ModelCheckpoint: with save_weights_only=True the filepath must end in "
            "'.weights.h5' (Keras' weights format) or name gpuflow's format (another suffix), "
            f"received filepath={filepath}"
        )
