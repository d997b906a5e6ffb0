"""History: the per-epoch logs of ``fit``, returned by it."""

from __future__ import annotations

from .base import Callback


class History(Callback):
    """Records ``history.history[key]`` lists (``loss``, ``val_loss``, ...) and ``epoch``."""

    def __init__(self) -> None:
        super().__init__()
        self.history: dict[str, list] = {}
        self.epoch: list[int] = []

    def on_train_begin(self, logs=None):
        self.epoch = []
        if self.model is not None:  # fit(epochs=0) still returns an (empty) History, as Keras
            self.model.history = self

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)
        if self.model is not None:
            self.model.history = self
