"""Logs that stay on the device until something reads them.

A training step updates its metrics on the device and returns a :class:`LazyLogs`: the
values are read back (one device-to-host sync per value) only when a consumer looks at
them -- a progress-bar refresh, a callback that overrides a batch hook, the epoch end.
"""

from __future__ import annotations

from collections.abc import MutableMapping

import numpy as np

from ..tensor import Tensor


def pythonify_logs(logs, sort: bool = True) -> dict:
    """``logs`` with scalar Tensors and arrays as Python floats (nested dicts flattened),
    keys in sorted order unless ``sort`` is False. Keras on TensorFlow hands callbacks,
    ``history`` and ``evaluate`` the logs of its compiled step, whose dict ``tf.nest``
    rebuilds with sorted keys (``accuracy`` before ``loss``); ``get_metrics_result()``
    keeps the metrics' order."""
    out = {}
    items = (logs or {}).items()
    for key, value in sorted(items) if sort else items:
        if isinstance(value, (dict, LazyLogs)):
            out.update(pythonify_logs(value, sort))
        else:
            out[key] = _python(value)
    return out


def _python(value):
    if isinstance(value, Tensor):
        return float(value) if value.size == 1 else value.numpy()
    if isinstance(value, (np.floating, np.integer)):
        return float(value)
    if hasattr(value, "dtype") and hasattr(value, "size"):  # a NumPy or CuPy array
        if value.size == 1:
            return float(value)
        return value.get() if hasattr(value, "get") else np.asarray(value)
    return value


#: a pending deletion (a Python leaf: a compiled step replays it as itself)
_DELETED = "<deleted log>"


class LazyLogs(MutableMapping):
    """A logs dict computed by ``read()`` on first access, then kept.

    Keys set or deleted before the first read (a ``compute_metrics`` override adding its
    own value inside a compiled step) are kept aside and applied when the logs are read,
    so that setting one does not read the others.

    Args:
        read: a function returning the logs (values may be device scalars).
        pending: ``{key: value or _DELETED}`` to apply over ``read()``'s logs.
        freeze: for logs a compiled function returns, a function giving ``read``'s
            equivalent for the state at trace time (a model's metrics list, as a
            TensorFlow graph captures it), which each replay's logs then call instead of
            ``read``; None: they call ``read``.
    """

    __slots__ = ("_read", "_values", "_pending", "_source", "_freeze")

    def __init__(self, read, pending=None, freeze=None) -> None:
        self._source = self._read = read
        self._values = None
        self._pending = dict(pending or {})
        self._freeze = freeze

    def __gpuflow_replay__(self):
        """``(fresh, outputs)`` for a compiled function (``gpuflow.function``) returning
        these logs: ``outputs`` (the values set before the read) are the function's
        outputs, and each replay returns ``fresh(replayed outputs)``: new LazyLogs reading
        the same state when consumed, never the values of the trace."""
        source = self._source
        frozen = source if self._freeze is None else self._freeze()

        def fresh(pending):
            logs = LazyLogs(source, pending)
            logs._read = frozen
            return logs

        return fresh, dict(self._pending)

    def reads(self, read) -> bool:
        """Whether these logs are still unread, unchanged, and would come from ``read``."""
        return self._values is None and self._source == read and not self._pending

    def _logs(self) -> dict:
        if self._values is None:
            logs = dict(self._read())
            for key, value in self._pending.items():
                if isinstance(value, str) and value == _DELETED:
                    logs.pop(key, None)
                else:
                    logs[key] = value
            self._values = pythonify_logs(logs)
            self._read = self._source = None
            self._pending = {}
        return self._values

    def __getitem__(self, key):
        return self._logs()[key]

    def __setitem__(self, key, value) -> None:
        if self._values is None:
            self._pending[key] = value
        else:
            self._values[key] = value

    def __delitem__(self, key) -> None:
        if self._values is None:
            self._pending[key] = _DELETED
        else:
            del self._values[key]

    def __iter__(self):
        return iter(self._logs())

    def __len__(self) -> int:
        return len(self._logs())

    def __repr__(self) -> str:
        return repr(self._logs())
