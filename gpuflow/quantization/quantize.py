"""quantize_model: post-training int8 quantization of a Sequential model's Dense/Conv2D layers."""

from __future__ import annotations

import numpy as np

from .. import layers as layers_module
from ..autodiff import no_grad
from ..tensor import Tensor
from .layers import QuantizedConv2D, QuantizedDense


def _calibration_array(data, model) -> np.ndarray:
    if isinstance(data, Tensor):
        data = data.numpy()
    if isinstance(data, (tuple, list)) and len(data) == 2 and not np.isscalar(data[0]):
        data = data[0]  # (x, y) pairs: only x is needed
    x = np.asarray(data)
    if x.ndim < 2 or len(x) == 0 or x.dtype.kind not in "fiu":
        raise ValueError(
            f"quantize_model: calibration_data must be a non-empty numeric array of samples "
            f"(batch axis first), received {x.dtype.name} array of shape {x.shape}"
        )
    expected = getattr(model, "_input_shape", None)
    if expected is not None and tuple(expected[1:]) != tuple(x.shape[1:]):
        raise ValueError(
            f"quantize_model: model {model.name!r} expects samples of shape {tuple(expected[1:])}, "
            f"calibration_data has samples of shape {tuple(x.shape[1:])}"
        )
    return x


def calibrate(model, x: np.ndarray, batch_size: int = 256) -> dict[int, float]:
    """The largest input magnitude each Dense/Conv2D layer of ``model`` sees on ``x``.

    Returns:
        ``{index in model.layers: max |input|}``.
    """
    stack = model.layers
    ranges: dict[int, float] = {}
    with no_grad():
        for start in range(0, len(x), batch_size):
            h = x[start : start + batch_size]
            h = Tensor(h.astype(model.compute_dtype) if h.dtype != model.compute_dtype else h)
            for i, layer in enumerate(stack):
                if isinstance(layer, (layers_module.Dense, layers_module.Conv2D)):
                    peak = float(np.abs(h.numpy().astype(np.float32)).max()) if h.size else 0.0
                    if not np.isfinite(peak):
                        raise ValueError(
                            f"quantize_model: the input of layer {layer.name!r} holds NaN or Inf "
                            f"on calibration samples {start}..{start + len(h) - 1}; clean the "
                            "calibration data (or the model's weights)"
                        )
                    ranges[i] = max(ranges.get(i, 0.0), peak)
                h = layer(h, training=False)
    return ranges


def _quantized_twin(layer):
    common = {
        "name": layer.name,
        "activation": layer.get_config()["activation"],
        "use_bias": layer.use_bias,
    }
    if isinstance(layer, layers_module.Dense):
        return QuantizedDense(layer.units, **common)
    return QuantizedConv2D(layer.filters, layer.kernel_size, layer.strides, layer.padding, **common)


def _float_copy(layer):
    config = dict(layer.get_config())
    if "dtype" in config:
        config["dtype"] = "float32"
    return type(layer).from_config(config)


def quantize_model(model, calibration_data, batch_size: int = 256):
    """An int8 copy of ``model`` for ``predict``: Dense and Conv2D become QuantizedDense and
    QuantizedConv2D, every other layer a float32 copy with the same weights.

    Weights are quantized symmetrically per output channel; each quantized layer's input is
    quantized per tensor with a scale set from the largest magnitude it sees on
    ``calibration_data`` (a few hundred training samples are enough). Products are summed
    in int32, then rescaled to float32 (int8 kernel on cuda and cuda-emu, exact float BLAS
    on the CPU). The result is uncompiled; ``compile(loss=..., metrics=...)`` it to evaluate.
    It saves and loads like any model, about 4x smaller than float32.

    Args:
        model: a built or unbuilt ``Sequential`` model (float32, float64, float16 or mixed policy).
        calibration_data: samples like the model's inputs (an array, or ``(x, y)``).
        batch_size: calibration batch size.

    Raises:
        TypeError: when ``model`` is not a Sequential model.
        ValueError: for calibration data of the wrong shape, or a model without Dense/Conv2D layers.
    """
    from ..models import Sequential

    if not isinstance(model, Sequential):
        raise TypeError(
            "quantize_model: expected a gpuflow Sequential model, "
            f"received {type(model).__name__}; subclassed models are not supported yet"
        )
    x = _calibration_array(calibration_data, model)
    model._build_for(x.shape[1:], "quantize_model")
    ranges = calibrate(model, x, batch_size)
    if not ranges:
        raise ValueError(
            f"quantize_model: model {model.name!r} has no Dense or Conv2D layer to quantize"
        )
    copies = [
        (_quantized_twin(layer) if i in ranges else _float_copy(layer))
        for i, layer in enumerate(model.layers)
    ]
    quantized = Sequential(copies, name=f"{model.name}_int8", dtype="float32")
    quantized._build_for(x.shape[1:], "quantize_model")
    for i, (source, target) in enumerate(zip(model.layers, copies)):
        if i in ranges:
            kernel = source.kernel.numpy().astype(np.float32)
            bias = source.bias.numpy() if source.use_bias else None
            target.set_quantized(kernel.reshape(-1, kernel.shape[-1]), bias, ranges[i])
        else:
            target.set_weights(source.get_weights())
    return quantized
