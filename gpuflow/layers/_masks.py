"""Keras masks carried alongside tensors (Keras' ``_keras_mask``), without touching Tensor.

A layer that makes a mask (Embedding with ``mask_zero``, Masking) attaches it to its output;
``Layer.__call__`` hands an input's mask to ``call(..., mask=...)`` when ``call`` takes one and
attaches ``compute_mask(inputs, mask)`` to the output. Tensors have ``__slots__``, so the
masks live in a table keyed by the tensor's id and dropped when the tensor is collected.
"""

from __future__ import annotations

import threading
import weakref

from ..tensor import Tensor


class _Table(threading.local):
    def __init__(self) -> None:
        self.masks: dict = {}


_table = _Table()


def set_mask(tensor, mask) -> None:
    """Attach ``mask`` (a bool Tensor or None) to ``tensor``."""
    if not isinstance(tensor, Tensor):
        return
    masks = _table.masks
    key = id(tensor)
    if mask is None:
        masks.pop(key, None)
        return
    ref = weakref.ref(tensor, lambda _r, key=key, masks=masks: masks.pop(key, None))
    masks[key] = (ref, mask)


def get_mask(tensor):
    """The mask attached to ``tensor`` (None when it has none); looks into lists and tuples."""
    if isinstance(tensor, (list, tuple)):
        found = [get_mask(t) for t in tensor]
        return None if all(m is None for m in found) else found
    if not isinstance(tensor, Tensor):
        return None
    entry = _table.masks.get(id(tensor))
    if entry is None or entry[0]() is not tensor:
        return None
    return entry[1]


def _read_mask(tensor):
    """``tensor._keras_mask``: the mask, or an AttributeError where there is none, as on
    TensorFlow (``hasattr(x, "_keras_mask")`` is how Keras code asks whether a mask came)."""
    mask = get_mask(tensor)
    if mask is None:
        raise AttributeError(f"'{type(tensor).__name__}' object has no attribute '_keras_mask'")
    return mask


def _delete_mask(tensor) -> None:
    """``del tensor._keras_mask``: an AttributeError where there is none, as on TensorFlow
    (the transformer tutorial drops its logits' mask in a ``try`` around it)."""
    if get_mask(tensor) is None:
        raise AttributeError(f"'{type(tensor).__name__}' object has no attribute '_keras_mask'")
    set_mask(tensor, None)


# ``tensor._keras_mask``, as Keras on TensorFlow exposes it (the masking guide prints it)
Tensor._keras_mask = property(_read_mask, set_mask, _delete_mask)
