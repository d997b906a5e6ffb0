"""gpuflow's int8 layers (QuantizedDense, QuantizedConv2D) as ONNX QDQ: QuantizeLinear and
DequantizeLinear around float MatMul/Conv, the standard form runtimes fuse into int8 kernels.

The input is quantized per tensor with the calibrated ``input_scale`` (zero point 0, as
gpuflow's symmetric scheme); the weights are stored as int8 with one scale per output channel.
"""

from __future__ import annotations

import numpy as np


def _qdq_input(g, x, layer):
    scale = g.const(f"{layer.name}_input_scale", np.float32(layer.input_scale.numpy()))
    zero = g.const(f"{layer.name}_input_zero", np.int8(0))
    q = g.op("QuantizeLinear", [x, scale, zero], layer.name)
    return g.op("DequantizeLinear", [q, scale, zero], layer.name)


def _weights(g, layer, int8, axis):
    scale = np.asarray(layer.kernel_scale.numpy(), np.float32)
    return g.op(
        "DequantizeLinear",
        [
            g.const(f"{layer.name}_kernel_q", int8),
            g.const(f"{layer.name}_kernel_scale", scale),
            g.const(f"{layer.name}_kernel_zero", np.zeros(scale.shape, np.int8)),
        ],
        layer.name,
        axis=axis,
    )


def _finish(g, y, layer):
    from .. import activations
    from .onnx_layers import _where, activation

    if layer.bias is not None:
        y = g.op(
            "Add",
            [y, g.const(f"{layer.name}_bias", np.asarray(layer.bias.numpy(), np.float32))],
            layer.name,
        )
    return [activation(g, y, activations.serialize(layer.activation), layer.name, _where(layer))]


def dense(g, layer, xs):
    kernel = np.asarray(layer.kernel.numpy(), np.int8)  # [units, K]
    w = _weights(g, layer, np.ascontiguousarray(kernel.T), axis=1)
    return _finish(g, g.op("MatMul", [_qdq_input(g, xs[0], layer), w], layer.name), layer)


def conv2d(g, layer, xs):
    from .onnx_layers import _to_channels_first, _to_channels_last

    kh, kw = layer.kernel_size
    kernel = np.asarray(layer.kernel.numpy(), np.int8)  # [filters, kh*kw*C]
    w4 = kernel.reshape(layer.filters, kh, kw, -1).transpose(0, 3, 1, 2)
    w = _weights(g, layer, np.ascontiguousarray(w4), axis=0)
    x = _to_channels_first(g, _qdq_input(g, xs[0], layer), 4, layer.name)
    pad = {"auto_pad": "SAME_UPPER"} if layer.padding == "same" else {"pads": [0, 0, 0, 0]}
    y = g.op("Conv", [x, w], layer.name, kernel_shape=[kh, kw], strides=list(layer.strides), **pad)
    return _finish(g, _to_channels_last(g, y, 4, layer.name), layer)


CONVERTERS = {"QuantizedDense": dense, "QuantizedConv2D": conv2d}
