"""``keras.config`` (Keras 3): global Keras settings.

The float type, epsilon and image data format are the ones ``keras.backend`` reads; the
dtype policy is the one layers take (``keras.mixed_precision``). ``backend()`` answers
``"tensorflow"``: gpuflow stands in for TensorFlow, so code that branches on the backend
takes the TensorFlow path, which is the one that runs here.
"""

from __future__ import annotations

import threading

from ..layers.safe_mode import enable_unsafe_deserialization  # noqa: F401
from ..mixed_precision import global_policy as _global_policy
from ..mixed_precision import set_global_policy as _set_global_policy
from .backend import (  # noqa: F401
    epsilon,
    floatx,
    image_data_format,
    set_epsilon,
    set_floatx,
    set_image_data_format,
)


def backend() -> str:
    """The name of the backend Keras runs on: ``"tensorflow"`` (gpuflow's stand-in)."""
    return "tensorflow"


def set_dtype_policy(policy) -> None:
    """Set the dtype policy new layers take (``"mixed_float16"``, ``"float32"``, a
    DTypePolicy, ...)."""
    _set_global_policy(policy)


def dtype_policy():
    """The dtype policy new layers take."""
    return _global_policy()


class _Flags(threading.local):
    traceback_filtering = True


_flags = _Flags()


def enable_traceback_filtering() -> None:
    """Record that Keras-internal frames may be filtered from tracebacks (gpuflow keeps
    tracebacks whole either way; the flag is what :func:`is_traceback_filtering_enabled`
    reports)."""
    _flags.traceback_filtering = True


def disable_traceback_filtering() -> None:
    """Record that tracebacks are to be shown whole (gpuflow never filters them)."""
    _flags.traceback_filtering = False


def is_traceback_filtering_enabled() -> bool:
    """The flag :func:`enable_traceback_filtering` / :func:`disable_traceback_filtering` set."""
    return _flags.traceback_filtering
