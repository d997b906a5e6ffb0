"""``keras.backend``: global Keras settings (float type, epsilon, data format) and session reset.

Not ``gpuflow.backend`` (the device layer): this is the small Keras API of the same name.
"""

from __future__ import annotations

import gc

from ..config import settings as config


def floatx() -> str:
    """The default float type, e.g. ``"float32"``."""
    return config.floatx()


def set_floatx(value) -> None:
    """Set the default float type of new layers and tensors.

    Args:
        value: ``"float16"``, ``"float32"`` or ``"float64"``.
    """
    config.set_floatx(value)


def epsilon() -> float:
    """The fuzz factor used in numeric expressions (default ``1e-7``)."""
    return config.epsilon()


def set_epsilon(value: float) -> None:
    """Set the fuzz factor returned by :func:`epsilon`."""
    config.set_epsilon(value)


def image_data_format() -> str:
    """The layout image layers take by default: ``"channels_last"`` (``[batch, height,
    width, channels]``) unless :func:`set_image_data_format` chose ``"channels_first"``."""
    return config.image_data_format()


def set_image_data_format(data_format: str) -> None:
    """Set the default layout of the image layers (``data_format=None``): channels-first
    inputs are moved channels-last around the computation, so both give the same result."""
    config.set_image_data_format(data_format)


def backend() -> str:
    """The name of the backend running Keras code: ``"tensorflow"`` (gpuflow stands in for
    it, so code that branches on the backend takes the TensorFlow branch); also
    ``keras.config.backend()``."""
    return "tensorflow"


def clear_session(free_memory: bool = True) -> None:
    """Start afresh: automatic layer names count from zero again (``dense``, ``dense_1``, ...).

    Models and layers already built keep working; only the naming state is reset.
    """
    from ..layers import reset_name_counters

    reset_name_counters()
    if free_memory:
        gc.collect()


def is_keras_tensor(x) -> bool:
    """Whether ``x`` is a symbolic tensor (from ``keras.Input`` or a layer called on one)."""
    from ..layers.keras_tensor import KerasTensor

    return isinstance(x, KerasTensor)


def int_shape(x) -> tuple:
    """The shape of a tensor, array or symbolic tensor as a tuple (None for unknown sizes)."""
    return tuple(x.shape)


def get_value(x):
    """The value of a Variable or Tensor as a NumPy array (scalars as NumPy scalars)."""
    return x.numpy()


def set_value(x, value) -> None:
    """Assign ``value`` to the Variable ``x``."""
    x.assign(value)


# tf.keras.backend's legacy functions (K.mean, K.batch_dot, K.switch, ...).
from .backend_legacy import *  # noqa: E402,F401,F403
from .backend_rnn import gradients, rnn  # noqa: E402,F401
