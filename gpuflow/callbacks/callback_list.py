"""CallbackList: fans each hook out to a list of callbacks (``keras.callbacks.CallbackList``)."""

from __future__ import annotations

from .base import _BATCH_HOOKS, Callback, overrides
from .history import History
from .progbar import ProgbarLogger


class CallbackList:
    """Fans each hook out to a list of callbacks, in order.

    Batch hooks go only to the callbacks that override them (as Keras 3's CallbackList):
    when none does, the loop's per-batch logs are never read, so metrics stay on the
    device until the epoch ends.
    """

    def __init__(
        self,
        callbacks=None,
        add_history: bool = False,
        add_progbar: bool = False,
        model=None,
        params: dict | None = None,
        **more_params,
    ) -> None:
        """Keras 3's signature: ``add_history`` appends a History, then ``add_progbar`` a
        ProgbarLogger (each when the list has none); ``model`` and the params
        (``params`` and/or keywords such as ``epochs=``, ``steps=``, ``verbose=``) are set
        on every callback."""
        callbacks = [] if callbacks is None else callbacks
        if isinstance(callbacks, Callback):
            callbacks = [callbacks]
        self.callbacks = list(callbacks)
        for cb in self.callbacks:
            if not isinstance(cb, Callback):
                raise TypeError(
                    f"CallbackList: expected gpuflow.callbacks.Callback instances, received "
                    f"{type(cb).__name__}"
                )
        if add_history and not any(isinstance(cb, History) for cb in self.callbacks):
            self.callbacks.append(History())
        if add_progbar and not any(isinstance(cb, ProgbarLogger) for cb in self.callbacks):
            self.callbacks.append(ProgbarLogger())
        if model is not None:
            self.set_model(model)
        if params is not None or more_params:
            self.set_params({**(params or {}), **more_params})
        self._sort_batch_callbacks()

    def _sort_batch_callbacks(self) -> None:
        for hook in [name for name in self.__dict__ if name.startswith("on_")]:
            del self.__dict__[hook]  # the cached fan-outs: rebuilt for the new list
        self._batch_callbacks = {
            mode: [cb for cb in self.callbacks if any(overrides(cb, h) for h in hooks)]
            for mode, hooks in _BATCH_HOOKS.items()
        }

    def append(self, callback) -> None:
        """Add ``callback`` at the end (it gets the list's model and params when set)."""
        if not isinstance(callback, Callback):
            raise TypeError(
                f"CallbackList.append: expected a gpuflow.callbacks.Callback, received "
                f"{type(callback).__name__}"
            )
        self.callbacks.append(callback)
        if getattr(self, "model", None) is not None:
            callback.set_model(self.model)
        if getattr(self, "params", None):
            callback.set_params(self.params)
        self._sort_batch_callbacks()

    def set_model(self, model) -> None:
        self.model = model
        for cb in self.callbacks:
            cb.set_model(model)

    def set_params(self, params: dict) -> None:
        self.params = params
        for cb in self.callbacks:
            cb.set_params(params)

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

        def fire(*args, **kwargs):
            # Keras' keyword forms: on_train_begin(logs=...), on_epoch_end(epoch, logs=...)
            if kwargs:
                args = _positional(hook, indexed, args, kwargs)
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


def _positional(hook: str, indexed: bool, args: tuple, kwargs: dict) -> tuple:
    """``args`` with the keyword arguments of a hook call (``batch``/``epoch``, ``logs``)
    put in their places; any other keyword is an error naming the hook."""
    names = (("batch" if "batch" in hook else "epoch"), "logs") if indexed else ("logs",)
    values = list(args) + [None] * (len(names) - len(args))
    for key, value in kwargs.items():
        if key not in names or names.index(key) < len(args):
            raise TypeError(f"CallbackList.{hook}() got an unexpected keyword argument {key!r}")
        values[names.index(key)] = value
    return tuple(values)
