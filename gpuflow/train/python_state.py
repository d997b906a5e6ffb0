"""``tf.train.experimental.PythonState``: a Python object that a checkpoint saves as the
string its ``serialize`` returns and restores by calling ``deserialize`` with it."""

from __future__ import annotations

import abc

import numpy as np

from .graph import Value


class PythonState(metaclass=abc.ABCMeta):
    """Subclass it and track an instance in a ``tf.train.Checkpoint``: ``serialize()``
    returns the state as ``bytes`` or ``str``; ``deserialize(bytes)`` restores it.

    Example:
        >>> class Counter(tf.train.experimental.PythonState):
        ...     def __init__(self): self.count = 0
        ...     def serialize(self): return str(self.count)
        ...     def deserialize(self, string_value): self.count = int(string_value)
    """

    @abc.abstractmethod
    def serialize(self):
        """The state as a string (``bytes`` or ``str``), called when a checkpoint saves."""

    @abc.abstractmethod
    def deserialize(self, string_value):
        """Restore the state from the ``bytes`` that ``serialize`` returned."""

    def _checkpoint_children(self) -> list:
        return [("py_state", Value(self._encoded, self._decode, np.uint8, None))]

    def _encoded(self) -> np.ndarray:
        value = self.serialize()
        if isinstance(value, str):
            value = value.encode("utf-8")
        if not isinstance(value, (bytes, bytearray)):
            raise TypeError(
                f"{type(self).__name__}.serialize must return bytes or str, received "
                f"{type(value).__name__}"
            )
        return np.frombuffer(bytes(value), dtype=np.uint8)

    def _decode(self, array) -> None:
        self.deserialize(np.asarray(array, dtype=np.uint8).tobytes())
