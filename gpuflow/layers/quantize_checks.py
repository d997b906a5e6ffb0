"""Keras 3's checks at the start of ``layer.quantize(mode, type_check=..., config=...)``,
shared by the int8, int4 and float8 halves of the quantizable layers (each half runs them
for the mode it handles)."""

from __future__ import annotations

import importlib


def check_quantize_call(layer, mode: str, type_check: bool, config) -> None:
    """Keras' errors: a user's subclass (with ``type_check``) has no ``quantize``; a layer
    is quantized once; ``config.mode`` must agree with ``mode``."""
    if type_check and type(layer).__module__.split(".")[0] != "gpuflow":  # a user subclass
        raise NotImplementedError(
            f"Layer {type(layer).__name__} does not have a `quantize` method implemented."
        )
    if layer.quantization_mode is not None:
        raise ValueError(
            f"Layer '{layer.name}' is already quantized with "
            f"dtype_policy='{layer.dtype_policy.name}'. Received: mode={mode}"
        )
    if config is not None and getattr(config, "mode", mode) != mode:
        raise ValueError(f"Contradictory arguments: mode='{mode}' but config.mode='{config.mode}'")


def resolved_config(mode, config):
    """The config a layer's ``quantize(mode)`` runs with: Keras resolves a missing one to the
    mode's default before the layer quantizes (int4: blocks of 128 input rows, as
    ``Model.quantize``), so ``layer.quantize("int4")`` and ``model.quantize("int4")`` agree."""
    if config is not None or mode not in ("int8", "int4", "float8"):
        return config
    # keras.quantizers sits above the layers: found by name, as the float8 helpers
    return importlib.import_module("gpuflow.quantizers.config").resolve_config(mode, None)
