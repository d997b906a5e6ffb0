"""Keras 3's quantization configs (``keras.quantizers``): ``QuantizationConfig`` and its
int8, int4 and float8 kinds, which ``Model.quantize(config=...)`` and a layer's
``quantization_config`` take, and :func:`resolve_config` (Keras' mode/config check)."""

from __future__ import annotations

from ..layers.dtype_policy import check_quantization_mode
from .abs_max import AbsMaxQuantizer
from .serialization import deserialize, serialize


class QuantizationConfig:
    """The base of quantization configs: a weight quantizer and an activation quantizer
    (None: the layer's default); subclasses name their ``mode``."""

    def __init__(self, weight_quantizer=None, activation_quantizer=None) -> None:
        self.weight_quantizer = weight_quantizer
        self.activation_quantizer = activation_quantizer

    @property
    def mode(self):
        raise NotImplementedError(
            "Subclasses must implement this property. Do not instantiate "
            "QuantizationConfig directly."
        )

    def get_config(self) -> dict:
        return {
            "weight_quantizer": serialize(self.weight_quantizer),
            "activation_quantizer": serialize(self.activation_quantizer),
        }

    @classmethod
    def from_config(cls, config):
        return cls(
            weight_quantizer=deserialize(config.get("weight_quantizer")),
            activation_quantizer=deserialize(config.get("activation_quantizer")),
        )

    @staticmethod
    def weight_quantizer_or_default(config, default):
        if config is not None and config.weight_quantizer is not None:
            return config.weight_quantizer
        return default

    @staticmethod
    def activation_quantizer_or_default(config, default):
        if config is not None:
            return config.activation_quantizer
        return default


class Int8QuantizationConfig(QuantizationConfig):
    """int8 weights; activations quantized per row by ``AbsMaxQuantizer()`` unless
    ``activation_quantizer`` says otherwise (None: weight-only)."""

    def __init__(self, weight_quantizer=None, activation_quantizer="default") -> None:
        if isinstance(activation_quantizer, str) and activation_quantizer == "default":
            activation_quantizer = AbsMaxQuantizer()
        super().__init__(weight_quantizer, activation_quantizer)
        if weight_quantizer is not None and weight_quantizer.output_dtype != "int8":
            raise ValueError(
                "Int8QuantizationConfig requires a weight_quantizer with output_dtype='int8'. "
                f"Received: output_dtype={weight_quantizer.output_dtype}"
            )

    @property
    def mode(self):
        return "int8"


class Int4QuantizationConfig(QuantizationConfig):
    """int4 weights in groups of ``block_size`` input rows (None or -1: one scale per
    output channel); weight-only by default."""

    def __init__(
        self, weight_quantizer=None, activation_quantizer="default", block_size=128
    ) -> None:
        if isinstance(activation_quantizer, str) and activation_quantizer == "default":
            activation_quantizer = None
        super().__init__(weight_quantizer, activation_quantizer)
        if block_size is not None and block_size != -1 and block_size <= 0:
            raise ValueError(
                "block_size must be None, -1, or a positive integer. "
                f"Received: block_size={block_size}"
            )
        self.block_size = block_size
        sub_channel = block_size is not None and block_size > 0
        if sub_channel and (weight_quantizer is not None or self.activation_quantizer is not None):
            raise ValueError(
                "Int4 sub-channel quantization (block_size > 0) does not support custom "
                "quantizers. Either set block_size to None or -1 for per-channel "
                "quantization, or remove the custom quantizer arguments. Received: "
                f"block_size={block_size}"
            )
        if weight_quantizer is not None:
            if tuple(weight_quantizer.value_range) != (-8, 7):
                raise ValueError(
                    "Int4QuantizationConfig requires a weight_quantizer with value_range=(-8, "
                    f"7). Received: value_range={weight_quantizer.value_range}"
                )
            if weight_quantizer.output_dtype != "int8":
                raise ValueError(
                    "Int4QuantizationConfig requires a weight_quantizer with "
                    f"output_dtype='int8'. Received: output_dtype={weight_quantizer.output_dtype}"
                )

    @property
    def mode(self):
        return "int4"

    def get_config(self) -> dict:
        return {**super().get_config(), "block_size": self.block_size}

    @classmethod
    def from_config(cls, config):
        return cls(
            weight_quantizer=deserialize(config.get("weight_quantizer")),
            activation_quantizer=deserialize(config.get("activation_quantizer")),
            block_size=config.get("block_size"),  # older files: per channel
        )


class Float8QuantizationConfig(QuantizationConfig):
    """Float8 training and inference (no custom quantizers)."""

    def __init__(self) -> None:
        super().__init__(None, None)

    @property
    def mode(self):
        return "float8"

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config):
        return cls()


_DEFAULTS = {
    "int8": Int8QuantizationConfig,
    "int4": Int4QuantizationConfig,
    "float8": Float8QuantizationConfig,
}


def resolve_config(mode, config) -> QuantizationConfig:
    """The config ``quantize(mode, config)`` means, with Keras' errors: a mode alone gives
    its default config; a config must agree with the mode."""
    if isinstance(config, str):
        mode, config = config, None
    if mode is not None:
        check_quantization_mode(mode)
    if config is None:
        if mode in _DEFAULTS:
            return _DEFAULTS[mode]()
        if mode in ("gptq", "awq"):
            raise ValueError(
                f"For {mode.upper()}, you must pass a `{mode.upper()}Config` object in the "
                "`config` argument."
            )
        raise ValueError("You must provide either `mode` or `config` to `quantize`.")
    if not isinstance(config, QuantizationConfig):
        raise ValueError(
            "Argument `config` must be an instance of `QuantizationConfig`. "
            f"Received: config={config} (of type {type(config)})"
        )
    if mode is not None and config.mode != mode:
        raise ValueError(f"Contradictory arguments: mode='{mode}' but config.mode='{config.mode}'")
    check_quantization_mode(config.mode)
    return config
