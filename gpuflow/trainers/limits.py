"""Debugging caps on training loops, as Keras 3's ``keras.config.set_max_epochs`` and
``set_max_steps_per_epoch`` (seeded by ``KERAS_MAX_EPOCHS`` / ``KERAS_MAX_STEPS_PER_EPOCH``).

``fit`` runs at most ``max_epochs()`` epochs and every epoch of ``fit``, ``evaluate`` and
``predict`` at most ``max_steps_per_epoch()`` steps, each with a warning, as Keras's
trainers do. ``None`` (or 0) means no cap. Process-wide, like the other settings.
"""

from __future__ import annotations

import os
import warnings


def _from_env(name: str):
    value = os.environ.get(name)
    return int(value) if value else None


_max_epochs = _from_env("KERAS_MAX_EPOCHS")
_max_steps_per_epoch = _from_env("KERAS_MAX_STEPS_PER_EPOCH")


def _checked(value, name: str):
    if value is None:
        return None
    if isinstance(value, bool) or not hasattr(value, "__index__") or int(value) < 0:
        raise TypeError(f"{name}: expected a non-negative int or None, received {value!r}")
    return int(value)


def set_max_epochs(max_epochs) -> None:
    """Cap the number of epochs of every ``fit`` (``None``: no cap)."""
    global _max_epochs
    _max_epochs = _checked(max_epochs, "set_max_epochs")


def max_epochs():
    """The cap on ``fit``'s epochs, or ``None``."""
    return _max_epochs


def set_max_steps_per_epoch(max_steps_per_epoch) -> None:
    """Cap the steps of each epoch of ``fit``, ``evaluate`` and ``predict`` (``None``: no
    cap)."""
    global _max_steps_per_epoch
    _max_steps_per_epoch = _checked(max_steps_per_epoch, "set_max_steps_per_epoch")


def max_steps_per_epoch():
    """The cap on the steps of an epoch, or ``None``."""
    return _max_steps_per_epoch


def capped_epochs(epochs):
    """``epochs``, or the cap when it is smaller (with Keras's warning)."""
    if _max_epochs and _max_epochs < epochs:
        warnings.warn(f"Limiting epochs to {_max_epochs}", stacklevel=3)
        return _max_epochs
    return epochs


def capped_steps(steps_per_epoch):
    """``steps_per_epoch``, or the cap when there is none or it is smaller (with Keras's
    warning)."""
    if _max_steps_per_epoch and (not steps_per_epoch or _max_steps_per_epoch < steps_per_epoch):
        warnings.warn(f"Limiting steps_per_epoch to {_max_steps_per_epoch}", stacklevel=2)
        return _max_steps_per_epoch
    return steps_per_epoch
