"""EarlyStopping: stop when a monitored value stops improving."""

from __future__ import annotations

from .base import Callback
from .monitor import Monitor, WatchedValue


class EarlyStopping(WatchedValue, Callback):
    """Stop training after ``patience`` epochs without improvement of ``monitor``.

    As Keras 3: the first watched epoch always improves (``best`` starts at None); with a
    ``baseline``, an improvement restarts the patience count only once it also beats the
    baseline; ``restore_best_weights`` puts back the best epoch's weights when training
    ends, whether or not it stopped early.

    Args:
        restore_best_weights: at the end of training, put back the weights of the best epoch.
        start_from_epoch: epochs to wait before watching at all.
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        min_delta: float = 0.0,
        patience: int = 0,
        verbose: int = 0,
        mode: str = "auto",
        baseline=None,
        restore_best_weights: bool = False,
        start_from_epoch: int = 0,
    ) -> None:
        super().__init__()
        self.watch = Monitor("EarlyStopping", monitor, mode, min_delta)  # monitor, min_delta
        self.baseline = self.best = baseline
        self.patience, self.verbose = patience, verbose
        self.restore_best_weights, self.start_from_epoch = restore_best_weights, start_from_epoch
        self.wait = self.stopped_epoch = self.best_epoch = 0
        self.best_weights = None

    def on_train_begin(self, logs=None):
        self.wait = 0
        self.stopped_epoch = 0
        self.best = None
        self.best_weights = None
        self.best_epoch = 0

    def _is_improvement(self, value, reference) -> bool:
        return reference is None or self.watch.beats(value, reference)

    def on_epoch_end(self, epoch, logs=None):
        value = self.watch.value(logs)
        if value is None or epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            self.best_weights = self.model.get_weights()  # until one improves: these
            self.best_epoch = epoch
        self.wait += 1
        if self._is_improvement(value, self.best):
            self.best, self.best_epoch = value, epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            if self.baseline is None or self._is_improvement(value, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose:
                epoch = self.best_epoch + 1
                print(f"Restoring model weights from the end of the best epoch: {epoch}.")
            self.model.set_weights(self.best_weights)
