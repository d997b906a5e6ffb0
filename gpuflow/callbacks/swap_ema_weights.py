"""SwapEMAWeights: evaluate (and optionally checkpoint) with the optimizer's moving-average
weights, as ``tf.keras.callbacks.SwapEMAWeights``."""

from __future__ import annotations

from .base import Callback


class SwapEMAWeights(Callback):
    """Swap the model's weights with the optimizer's exponential moving averages around
    evaluation (``on_test_begin`` / ``on_test_end``) and prediction, and with
    ``swap_on_epoch=True`` also at the end of each epoch (so callbacks after this one, such
    as ModelCheckpoint, see the averages), swapping back when the next epoch begins.

    The optimizer must have ``use_ema=True``. As in Keras, ``on_predict_end`` leaves the
    averages in the model (Keras' condition there never swaps back).

    Args:
        swap_on_epoch: also swap at the end of every epoch.
    """

    def __init__(self, swap_on_epoch=False) -> None:
        super().__init__()
        self.swap_on_epoch = bool(swap_on_epoch)
        self._ema_weights_in_model = False

    def _optimizer(self):
        optimizer = self.model.optimizer
        optimizer = getattr(optimizer, "inner_optimizer", optimizer)
        if optimizer is None or not getattr(optimizer, "use_ema", False):
            raise ValueError(
                "SwapEMAWeights must be used when `use_ema=True` is set on the optimizer. "
                f"Received: use_ema={getattr(optimizer, 'use_ema', None)}"
            )
        return optimizer

    def _pairs(self):
        """(variable, its moving-average array) for every trainable variable the optimizer
        has updated."""
        from ..optimizers.features import EMA_SLOT

        optimizer = self._optimizer()
        for var in self.model.trainable_variables:
            slots = optimizer._slots.get(id(var))
            if slots is not None and EMA_SLOT in slots:
                yield var, slots[EMA_SLOT]

    def _swap_variables(self) -> None:
        for var, average in self._pairs():
            current = var._data.copy()
            var._data = average.astype(var._data.dtype, copy=True)
            average[...] = current

    def _finalize_ema_values(self) -> None:
        for var, average in self._pairs():
            average[...] = var._data

    def on_epoch_begin(self, epoch, logs=None):
        if self.swap_on_epoch and self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = False

    def on_epoch_end(self, epoch, logs=None):
        if self.swap_on_epoch and not self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = True
            if epoch == self.params.get("epochs", 0) - 1:
                self._finalize_ema_values()

    def on_test_begin(self, logs=None):
        if not self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = True

    def on_test_end(self, logs=None):
        if self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = False

    def on_predict_begin(self, logs=None):
        if not self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = True

    def on_predict_end(self, logs=None):
        if not self._ema_weights_in_model:  # never true here: Keras' own condition
            self._swap_variables()
            self._ema_weights_in_model = False
