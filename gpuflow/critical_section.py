"""``tf.CriticalSection``: run functions one at a time, as TensorFlow's mutex resource.

``execute(fn)`` takes the section's lock, calls ``fn()`` and gives back its outputs as
tensors (Variables read, Python numbers converted), as TensorFlow's eager ``execute``. A
function that executes on the section it already runs in raises TensorFlow's ValueError
instead of waiting forever. Inside a traced ``tf.function`` the lock is taken while the
body is traced; the replayed steps do not take it.
"""

from __future__ import annotations

import itertools
import threading

from . import nest
from .ops.creation import convert_to_tensor
from .tensor import Tensor

_ids = itertools.count()


class CriticalSection:
    """A lock that ``execute`` holds while it runs a function.

    Args:
        name: the section's name (default ``"CriticalSection"``).
        shared_name: accepted (TensorFlow's name of the mutex resource).
        critical_section_def, import_scope: TensorFlow 1's graph import; refused.
    """

    def __init__(self, name=None, shared_name=None, critical_section_def=None, import_scope=None):
        if critical_section_def and name is not None:
            raise ValueError(
                f"Arguments critical_section_def={critical_section_def} and "
                f"shared_name={shared_name} are mutually exclusive. Please only specify "
                "one of them."
            )
        if critical_section_def:
            raise ValueError("Argument `critical_section_def` is not supported.")
        self._name = name or "CriticalSection"
        self._signature = ("", shared_name or f"{self._name}_{next(_ids)}", "")
        self._lock = threading.Lock()
        self._owner: int | None = None  # the thread running in the section

    def execute(self, fn, exclusive_resource_access=True, name=None):
        """Run ``fn()`` (no arguments) holding the section's lock.

        Args:
            fn: the function; wrap arguments in a lambda (``lambda: f(x)``).
            exclusive_resource_access: accepted (TensorFlow checks it on graphs only).
            name: accepted (the name of TensorFlow's execute operation).

        Returns:
            ``fn()``'s outputs with each tensor or Variable as a tensor (None stays None).

        Raises:
            ValueError: ``fn`` executes on this section again (a deadlock in TensorFlow).
        """
        if not callable(fn):
            raise TypeError(
                f"CriticalSection.execute: fn must be callable, received {type(fn).__name__}"
            )
        if self._owner == threading.get_ident():
            raise ValueError(
                "Attempting to lock a CriticalSection in which we are already running "
                f"(signature={self._signature}). This is illegal and may cause deadlocks."
            )
        with self._lock:
            self._owner = threading.get_ident()
            try:
                result = fn()
            finally:
                self._owner = None
        return nest.map_structure(_identity, result)

    def __repr__(self) -> str:
        return f"<gpuflow.CriticalSection {self._name!r}>"


def _identity(value):
    if value is None:
        return None
    if isinstance(value, Tensor) and type(value) is Tensor:
        return value
    return convert_to_tensor(value)
