"""Keras 3's checks at the start of ``layer.quantize(mode, type_check=..., config=...)``,
shared by the int8, int4 and float8 halves of the quantizable layers (each half runs them
for the mode it handles)."""

from __future__ import annotations


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
