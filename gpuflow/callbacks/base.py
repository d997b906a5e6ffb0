"""Callback: empty hooks the training loop fires in a fixed order."""

from __future__ import annotations


class Callback:
    """Base class of callbacks, with every hook of ``tf.keras.callbacks.Callback``.

    The loop sets ``self.model`` and ``self.params`` (``epochs``, ``steps``, ``verbose``)
    before ``on_train_begin``. Order within ``fit``: train_begin, then per epoch
    epoch_begin, per batch train_batch_begin/end, the validation's test_* hooks,
    epoch_end; finally train_end.
    """

    def __init__(self) -> None:
        self.model = None
        self.params: dict = {}

    def set_model(self, model) -> None:
        self.model = model

    def set_params(self, params: dict) -> None:
        self.params = params

    def on_train_begin(self, logs=None): ...
    def on_train_end(self, logs=None): ...
    def on_epoch_begin(self, epoch, logs=None): ...
    def on_epoch_end(self, epoch, logs=None): ...
    def on_train_batch_begin(self, batch, logs=None): ...
    def on_train_batch_end(self, batch, logs=None): ...
    def on_test_begin(self, logs=None): ...
    def on_test_end(self, logs=None): ...
    def on_test_batch_begin(self, batch, logs=None): ...
    def on_test_batch_end(self, batch, logs=None): ...
    def on_predict_begin(self, logs=None): ...
    def on_predict_end(self, logs=None): ...
    def on_predict_batch_begin(self, batch, logs=None): ...
    def on_predict_batch_end(self, batch, logs=None): ...

    # Keras 2 aliases
    def on_batch_begin(self, batch, logs=None): ...
    def on_batch_end(self, batch, logs=None): ...


_BATCH_HOOKS = {
    "train": ("on_train_batch_begin", "on_train_batch_end", "on_batch_begin", "on_batch_end"),
    "test": ("on_test_batch_begin", "on_test_batch_end"),
    "predict": ("on_predict_batch_begin", "on_predict_batch_end"),
}


def overrides(callback, hook: str) -> bool:
    """Whether ``callback`` implements ``hook`` (a subclass method, an instance attribute
    such as LambdaCallback's, or anything else than the base class's empty method)."""
    method = getattr(callback, hook, None)
    return getattr(method, "__func__", None) is not getattr(Callback, hook)
