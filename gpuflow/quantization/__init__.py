"""Post-training int8 quantization for inference.

Example:
    >>> q = gpuflow.quantization.quantize_model(model, x_train[:500])
    >>> q.predict(x_test)             # int8 weights and activations, int32 sums
    >>> q.save("model_int8.gpuflow")  # about 4x smaller than the float32 file
"""

from .int8_ops import int8_dense, int8_matmul, quantize, quantize_weights
from .layers import QuantizedConv2D, QuantizedDense
from .quantize import calibrate, quantize_model

__all__ = [
    "QuantizedConv2D",
    "QuantizedDense",
    "calibrate",
    "int8_dense",
    "int8_matmul",
    "quantize",
    "quantize_model",
    "quantize_weights",
]
