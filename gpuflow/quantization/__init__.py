"""Post-training int8 quantization for inference, and TensorFlow's fake-quantization ops
(``tf.quantization.fake_quant_with_min_max_args`` / ``_vars`` / ``_vars_per_channel``).

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
from .int8_ops import int8_dense, int8_matmul, quantize, quantize_weights
from .layers import QuantizedConv2D, QuantizedDense
from .quantize import calibrate, quantize_model

__all__ = [
    "QuantizedConv2D",
    "QuantizedDense",
    "calibrate",
    "fake_quant_with_min_max_args",
    "fake_quant_with_min_max_vars",
    "fake_quant_with_min_max_vars_per_channel",
    "int8_dense",
    "int8_matmul",
    "quantize",
    "quantize_model",
    "quantize_weights",
]
