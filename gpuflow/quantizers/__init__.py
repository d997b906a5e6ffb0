"""``keras.quantizers`` (Keras 3): quantizers, quantization configs and the int8 / int4 /
float8 helpers that Keras' quantized layers use.

Keras' ``GPTQConfig`` and ``AWQConfig`` are not here: gpuflow implements neither
calibration-based method (``Model.quantize("gptq")`` raises ``NotImplementedError``).

Example:
    >>> q, scale = keras.quantizers.abs_max_quantize(x, axis=-1)   # x ~= q / scale
    >>> model.quantize(config=keras.quantizers.Int8QuantizationConfig())
"""

from .abs_max import (
    AbsMaxQuantizer,
    Quantizer,
    abs_max_quantize,
    abs_max_quantize_grouped_with_zero_point,
)
from .config import (
    Float8QuantizationConfig,
    Int4QuantizationConfig,
    Int8QuantizationConfig,
    QuantizationConfig,
)
from .fake_quant import fake_quant_with_min_max_vars
from .float8 import compute_float8_amax_history, compute_float8_scale, quantize_and_dequantize
from .int4_packing import pack_int4, unpack_int4
from .serialization import deserialize, get, register, serialize

register(
    Quantizer,
    AbsMaxQuantizer,
    QuantizationConfig,
    Int8QuantizationConfig,
    Int4QuantizationConfig,
    Float8QuantizationConfig,
)
del register

__all__ = [
    "AbsMaxQuantizer",
    "Float8QuantizationConfig",
    "Int4QuantizationConfig",
    "Int8QuantizationConfig",
    "QuantizationConfig",
    "Quantizer",
    "abs_max_quantize",
    "abs_max_quantize_grouped_with_zero_point",
    "compute_float8_amax_history",
    "compute_float8_scale",
    "deserialize",
    "fake_quant_with_min_max_vars",
    "get",
    "pack_int4",
    "quantize_and_dequantize",
    "serialize",
    "unpack_int4",
]
