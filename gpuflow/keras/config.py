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
from ..trainers.limits import (  # noqa: F401
    max_epochs,
    max_steps_per_epoch,
    set_max_epochs,
    set_max_steps_per_epoch,
)
from ..utils.io_utils import (  # noqa: F401
    disable_interactive_logging,
    enable_interactive_logging,
    is_interactive_logging_enabled,
)
from .backend import (  # noqa: F401
    backend,
    epsilon,
    floatx,
    image_data_format,
    set_epsilon,
    set_floatx,
    set_image_data_format,
)


def set_backend(backend) -> None:  # noqa: F811 - Keras names the argument `backend`
    """Keras reloads itself on another backend; gpuflow is the TensorFlow stand-in, so
    ``"tensorflow"`` is the one backend there is (anything else raises ``ValueError``)."""
    import os

    if backend != "tensorflow":
        raise ValueError(
            f"set_backend: gpuflow runs Keras code as the 'tensorflow' backend only; "
            f"received backend={backend!r}"
        )
    os.environ["KERAS_BACKEND"] = backend


def is_nnx_enabled() -> bool:
    """Whether Flax NNX features are on: never (they belong to the JAX backend)."""
    return False


def set_dtype_policy(policy) -> None:
    """Set the dtype policy new layers take (``"mixed_float16"``, ``"float32"``, a
    DTypePolicy, ...)."""
    _set_global_policy(policy)


def dtype_policy():
    """The dtype policy new layers take."""
    return _global_policy()


class _Flags(threading.local):
    traceback_filtering = True


# Process-wide, as Keras's global state: None (the default, "use it where possible") or False.
_flash_attention = {"value": None}


def enable_flash_attention() -> None:
    """Let attention layers use flash attention where they can (the default state, which
    :func:`is_flash_attention_enabled` reports as ``None``, as Keras)."""
    _flash_attention["value"] = None


def disable_flash_attention() -> None:
    """Keep attention layers off flash attention."""
    _flash_attention["value"] = False


def is_flash_attention_enabled():
    """``False`` after :func:`disable_flash_attention`, else ``None`` (Keras's values)."""
    return _flash_attention["value"]


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
