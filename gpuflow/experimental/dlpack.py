"""``tf.experimental.dlpack``: tensors shared with other frameworks (NumPy, PyTorch, CuPy,
JAX) through DLPack capsules, without copying."""

from __future__ import annotations

import numpy as np

from ..tensor import Tensor


def to_dlpack(tf_tensor):
    """A DLPack capsule viewing ``tf_tensor``'s memory (host or GPU); the consumer owns it
    (``torch.utils.dlpack.from_dlpack(capsule)``, ``tf.experimental.dlpack.from_dlpack``).

    Raises:
        TypeError: for something that is not a Tensor.
    """
    if not isinstance(tf_tensor, Tensor):
        raise TypeError(f"to_dlpack: expected a Tensor, received {type(tf_tensor).__name__}")
    data = tf_tensor._data
    if not data.flags.c_contiguous:
        data = data.copy()
    return data.__dlpack__()


class _Capsule:
    """A capsule presented with ``__dlpack__`` (what ``from_dlpack`` functions accept)."""

    def __init__(self, capsule, device) -> None:
        self._capsule, self._device = capsule, device

    def __dlpack__(self, stream=None, **kwargs):
        return self._capsule

    def __dlpack_device__(self):
        return self._device


def from_dlpack(dlcapsule):
    """The Tensor viewing a DLPack capsule's memory (or any object with ``__dlpack__``, a
    NumPy/CuPy array or a torch tensor): a host capsule gives a CPU tensor, a CUDA one a
    GPU tensor.

    Raises:
        TypeError: for an object that is neither.
    """
    from ..backend import get_device

    if hasattr(dlcapsule, "__dlpack__"):
        device_type = dlcapsule.__dlpack_device__()[0]
        source = dlcapsule
    elif type(dlcapsule).__name__ == "PyCapsule":
        device_type, source = None, dlcapsule
    else:
        raise TypeError(
            f"from_dlpack: expected a DLPack capsule or an object with __dlpack__, received "
            f"{type(dlcapsule).__name__}"
        )
    if device_type in (None, 1):  # kDLCPU, or a bare capsule: try the host first
        try:
            array = np.from_dlpack(_Capsule(source, (1, 0)) if device_type is None else source)
            return Tensor._wrap(array, get_device("cpu"))
        except (RuntimeError, BufferError, TypeError):
            if device_type == 1:
                raise
    import cupy

    return Tensor._wrap(cupy.from_dlpack(source), get_device("cuda"))
