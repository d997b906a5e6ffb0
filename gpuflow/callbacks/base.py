"""Callback: empty hooks the training loop fires in a fixed order, and CallbackList."""

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


class CallbackList:
    """Fans each hook out to a list of callbacks, in order.

    Batch hooks go only to the callbacks that override them (as Keras 3's CallbackList):
    when none does, the loop's per-batch logs are never read, so metrics stay on the
    device until the epoch ends.
    """

    def __init__(self, callbacks, model=None, params=None) -> None:
        self.callbacks = list(callbacks)
        for cb in self.callbacks:
            if model is not None:
                cb.set_model(model)
            if params is not None:
                cb.set_params(params)
        self._batch_callbacks = {
            mode: [cb for cb in self.callbacks if any(overrides(cb, h) for h in hooks)]
            for mode, hooks in _BATCH_HOOKS.items()
        }

    def needs_batch_hooks(self, mode: str) -> bool:
        """Whether any callback overrides a ``mode`` ("train", "test", "predict") batch hook."""
        return bool(self._batch_callbacks[mode])

    def __getattr__(self, hook: str):
        if not hook.startswith("on_"):
            raise AttributeError(hook)
        indexed = "batch" in hook or "epoch" in hook
        mode = next((m for m in _BATCH_HOOKS if hook.startswith(f"on_{m}_batch")), None)
        targets = self.callbacks if mode is None else self._batch_callbacks[mode]

        # A batch hook's logs may still be on the device (the loop's LazyLogs): callbacks
        # that say they read them lazily (the progress bar) get them as they are; for the
        # others they are read once, into a plain dict, before the first is called.
        eager = mode is not None and any(
            not getattr(cb, "reads_logs_lazily", False) for cb in targets
        )

        def fire(*args):
            # Every callback gets a logs dict, as in Keras, even where the loop has none.
            if indexed:
                logs = args[1] if len(args) > 1 and args[1] is not None else {}
                args = (args[0], dict(logs) if eager else logs)
            else:
                args = (args[0] if args and args[0] is not None else {},)
            for cb in targets:
                getattr(cb, hook)(*args)
                if hook == "on_train_batch_begin":
                    cb.on_batch_begin(*args)
                elif hook == "on_train_batch_end":
                    cb.on_batch_end(*args)

        self.__dict__[hook] = fire  # made once per hook: later lookups find it without __getattr__
        return fire
