"""Keras 3's warning when a layer that does not support masking is given a mask."""

from __future__ import annotations

import contextlib
import threading
import warnings

from .. import nest


class _Quiet(threading.local):
    depth = 0


_quiet = _Quiet()


@contextlib.contextmanager
def quiet():
    """No mask warning while the block runs (a symbolic call's second probe run), without
    warnings.catch_warnings, which would reset the "shown once" bookkeeping of every warning."""
    _quiet.depth += 1
    try:
        yield
    finally:
        _quiet.depth -= 1


def keras_supports_masking(layer, Layer) -> bool:
    """``layer.supports_masking`` as Keras 3 reads it: the value the layer (or a class of
    it below ``Layer``, gpuflow's base class, passed in) sets, else whether the layer
    defines its own ``compute_mask``."""
    if "supports_masking" in vars(layer):
        return bool(layer.supports_masking)
    for klass in type(layer).__mro__:
        if klass is Layer:
            break
        if "supports_masking" in vars(klass):
            return bool(layer.supports_masking)
    return type(layer).compute_mask is not Layer.compute_mask


def warn_if_mask_dropped(layer, mask, Layer) -> None:
    """Keras 3's UserWarning (same text) when ``layer``, which does not support masking,
    receives ``mask`` (an input's mask or the ``mask=`` argument). gpuflow's inner layers
    that stand for a step Keras runs on unmasked tensors say ``drops_mask_silently``."""
    if _quiet.depth or getattr(layer, "drops_mask_silently", False):
        return
    if not any(m is not None for m in nest.flatten(mask)) or keras_supports_masking(layer, Layer):
        return
    warnings.warn(
        f"Layer '{layer.name}' (of type {type(layer).__name__}) was passed an input with a "
        "mask attached to it. However, this layer does not support masking and will "
        "therefore destroy the mask information. Downstream layers will not see the mask.",
        UserWarning,
    )
