"""Post-training int8 quantization for inference, and TensorFlow's fake-quantization ops
(``tf.quantization.fake_quant_with_min_max_args`` / ``_vars`` / ``_vars_per_channel``), and
``tf.quantization.quantize`` / ``dequantize`` / ``quantize_and_dequantize(_v2)``.

Example:
    >>> q = gpuflow.quantization.quantize_model(model, x_train[:500])
    >>> q.predict(x_test)             # int8 weights and activations, int32 sums
    >>> q.save("model_int8.gpuflow")  # about 4x smaller than the float32 file
"""

from .fake_quant import (
    fake_quant_with_min_max_args,
    fake_quant_with_min_max_vars,
    fake_quant_with_min_max_vars_per_channel,
)
from .fake_quant_gradient import (
    fake_quant_with_min_max_args_gradient,
    fake_quant_with_min_max_vars_gradient,
    fake_quant_with_min_max_vars_per_channel_gradient,
)
from .int8_ops import int8_dense, int8_matmul, quantize_weights
from .layers import QuantizedConv2D, QuantizedDense
from .quantize import calibrate, quantize_model
from .quantize_and_dequantize import quantize_and_dequantize, quantize_and_dequantize_v2
from .quantize_ops import dequantize, quantize

__all__ = [
    "QuantizedConv2D",
    "QuantizedDense",
    "calibrate",
    "dequantize",
    "fake_quant_with_min_max_args",
    "fake_quant_with_min_max_args_gradient",
    "fake_quant_with_min_max_vars",
    "fake_quant_with_min_max_vars_gradient",
    "fake_quant_with_min_max_vars_per_channel",
    "fake_quant_with_min_max_vars_per_channel_gradient",
    "int8_dense",
    "int8_matmul",
    "quantize",
    "quantize_and_dequantize",
    "quantize_and_dequantize_v2",
    "quantize_model",
    "quantize_weights",
]
