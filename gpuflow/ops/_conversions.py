"""``tf.register_tensor_conversion_function``: user conversions of their own types to
tensors, which ``convert_to_tensor`` and every op's input conversion consult (a leaf module:
``_convert`` and ``creation`` import it)."""

from __future__ import annotations

import threading

import numpy as np


class _Registry:
    """The registered ``(priority, order, base_type, function)``s, lowest priority first."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.entries: list = []

    def register(self, base_type, conversion_func, priority=100) -> None:
        types = base_type if isinstance(base_type, tuple) else (base_type,)
        for t in types:
            if not isinstance(t, type):
                raise TypeError(
                    f"register_tensor_conversion_function: base_type must be a type or a tuple "
                    f"of types, received {base_type!r}"
                )
            if issubclass(t, (int, float, complex, bool, np.generic, np.ndarray)):
                raise TypeError(
                    "Cannot register conversions for Python numeric types and NumPy scalars "
                    "and arrays."
                )
        if not callable(conversion_func):
            raise TypeError("register_tensor_conversion_function: conversion_func must be callable")
        with self._lock:
            self.entries.append((int(priority), len(self.entries), types, conversion_func))
            self.entries.sort(key=lambda e: (e[0], e[1]))

    def convert(self, value, dtype=None, name=None):
        """The registered conversion of ``value`` (a Tensor), or None when none applies."""
        for _, _, types, fn in list(self.entries):
            if isinstance(value, types):
                out = fn(value, dtype=dtype, name=name, as_ref=False)
                if out is not NotImplemented:
                    return out
        return None


registry = _Registry()


def register_tensor_conversion_function(base_type, conversion_func, priority=100) -> None:
    """Make ``convert_to_tensor`` (and every op) turn instances of ``base_type`` into tensors
    with ``conversion_func(value, dtype=None, name=None, as_ref=False)``; lower ``priority``
    runs first; a function may return ``NotImplemented`` to pass."""
    registry.register(base_type, conversion_func, priority)
