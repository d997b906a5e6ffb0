"""QuantizedDense and QuantizedConv2D: int8 weights and activations, int32 sums, float32 out.

Weights are int8 with one float32 scale per output channel (symmetric: ``w ~= q * scale``);
inputs are quantized per tensor with the fixed ``input_scale`` found by calibration
(:func:`gpuflow.quantization.quantize_model`). Inference only: no gradients flow.
Weights (``kernel`` int8 ``[units, K]``, ``kernel_scale``, ``input_scale``, ``bias``) are
ordinary non-trainable Variables, so ``model.save`` / ``load_model`` keep them as they are.
"""

from __future__ import annotations

import math

from .. import activations
from ..backend.geometry import WindowGeometry, conv_geometry
from ..layers import Layer
from ..layers._args import int_pair, padding_mode, positive_int
from ..layers.input_spec import InputSpec
from ..tensor import Tensor
from . import int8_ops


class _QuantizedBase(Layer):
    """Shared weights, dtype and activation handling of the int8 layers."""

    def __init__(self, activation=None, use_bias: bool = True, **kwargs) -> None:
        kwargs["dtype"] = "float32"  # dequantized outputs and scales are float32
        super().__init__(trainable=False, **{k: v for k, v in kwargs.items() if k != "trainable"})
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)

    def _make_weights(self, channels: int, k: int) -> None:
        self.kernel = self._add_weight(
            "kernel", (channels, k), "zeros", trainable=False, dtype="int8"
        )
        self.kernel_scale = self._add_weight("kernel_scale", (channels,), "ones", trainable=False)
        self.input_scale = self._add_weight("input_scale", (), "ones", trainable=False)
        self.bias = (
            self._add_weight("bias", (channels,), "zeros", trainable=False)
            if self.use_bias
            else None
        )

    def set_quantized(self, kernel_2d, bias, input_max: float) -> None:
        """Quantize a float ``[K, units]`` kernel per output channel and set the input scale
        from the largest input magnitude seen in calibration."""
        wt, scale = int8_ops.quantize_weights(kernel_2d)
        if tuple(wt.shape) != tuple(self.kernel.shape):
            raise ValueError(
                f"{self._where()}: expected a kernel of {self.kernel.shape[::-1]} (K, units), "
                f"received {tuple(kernel_2d.shape)}"
            )
        self.kernel.assign(wt)
        self.kernel_scale.assign(scale)
        self.input_scale.assign(int8_ops.symmetric_scale(input_max, self._where()))
        if self.bias is not None:
            self.bias.assign(bias.astype("float32"))

    def _int8_dense(self, x2d):
        """Quantize float ``x2d [M, K]`` and run the int8 GEMM: float32 ``[M, units]``."""
        device = self.kernel._device
        scale = float(self.input_scale.numpy())
        xq = int8_ops.quantize(device.xp, x2d, scale)
        fused = self.activation is activations.relu
        y = int8_ops.int8_dense(
            device,
            xq,
            self.kernel._data,
            scale,
            self.kernel_scale._data,
            None if self.bias is None else self.bias._data,
            fused,
        )
        return y, fused

    def _finish(self, y, fused: bool, device) -> Tensor:
        out = Tensor._wrap(y, device)
        return out if fused or self.activation is activations.linear else self.activation(out)

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("trainable", None)
        config.pop("dtype", None)
        return {
            **config,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
        }


class QuantizedDense(_QuantizedBase):
    """The int8 counterpart of :class:`gpuflow.layers.Dense` (made by ``quantize_model``).

    Args:
        units: output size.
        activation: as Dense (ReLU runs fused in the int8 kernel's epilogue).
        use_bias: whether a float32 bias is added after dequantization.
    """

    def __init__(self, units, activation=None, use_bias: bool = True, **kwargs) -> None:
        super().__init__(activation, use_bias, **kwargs)
        self.units = positive_int(units, "units", self._where())
        self.input_spec = InputSpec(min_ndim=2)

    def build(self, input_shape) -> None:
        last = input_shape[-1]
        if last is None:
            raise ValueError(
                f"{self._where()}: the last axis of the input must be known, "
                f"received shape {tuple(input_shape)}"
            )
        self._make_weights(self.units, int(last))
        self.input_spec = InputSpec(min_ndim=2, axes={-1: int(last)})
        super().build(input_shape)

    def call(self, inputs):
        x = inputs._data
        lead = tuple(x.shape[:-1])
        y, fused = self._int8_dense(x.reshape(-1, x.shape[-1]))
        return self._finish(y.reshape(lead + (self.units,)), fused, inputs._device)

    def compute_output_shape(self, input_shape) -> tuple:
        return tuple(input_shape)[:-1] + (self.units,)

    def get_config(self) -> dict:
        return {**super().get_config(), "units": self.units}


class QuantizedConv2D(_QuantizedBase):
    """The int8 :class:`gpuflow.layers.Conv2D` (channels last; made by ``quantize_model``).

    Args:
        filters, kernel_size, strides, padding: as Conv2D.
        activation, use_bias: as :class:`QuantizedDense`.

    The int8 input is unrolled into patches (im2col as a strided view) and multiplied by
    the ``[filters, KH*KW*C]`` int8 kernel in one int8 GEMM.
    """

    def __init__(
        self,
        filters,
        kernel_size,
        strides=(1, 1),
        padding="valid",
        activation=None,
        use_bias: bool = True,
        **kwargs,
    ) -> None:
        super().__init__(activation, use_bias, **kwargs)
        where = self._where()
        self.filters = positive_int(filters, "filters", where)
        self.kernel_size = int_pair(kernel_size, "kernel_size", where)
        self.strides = int_pair(strides, "strides", where)
        self.padding = padding_mode(padding, where)
        self.input_spec = InputSpec(ndim=4)

    def build(self, input_shape) -> None:
        channels = input_shape[-1]
        if channels is None:
            raise ValueError(
                f"{self._where()}: the channel axis (last) of the input must be known, "
                f"received shape {tuple(input_shape)}"
            )
        self._make_weights(self.filters, math.prod(self.kernel_size) * int(channels))
        self.input_spec = InputSpec(ndim=4, axes={-1: int(channels)})
        super().build(input_shape)

    def call(self, inputs):
        device = inputs._device
        xp = device.xp
        x = inputs._data
        kh, kw = self.kernel_size
        geo = WindowGeometry(tuple(x.shape), kh, kw, *self.strides, self.padding)
        if geo.oh <= 0 or geo.ow <= 0:
            raise ValueError(
                f"{self._where()}: input of shape {tuple(x.shape)} is smaller than the "
                f"{kh}x{kw} kernel with 'valid' padding"
            )
        # Quantize first, then unroll: the patches are int8, a quarter of float32's memory.
        xq = int8_ops.quantize(xp, x, float(self.input_scale.numpy()))
        cols = geo.windows(xp, geo.padded(xp, xq)).reshape(-1, kh * kw * x.shape[-1])
        fused = self.activation is activations.relu
        y = int8_ops.int8_dense(
            device,
            xp.ascontiguousarray(cols),
            self.kernel._data,
            float(self.input_scale.numpy()),
            self.kernel_scale._data,
            None if self.bias is None else self.bias._data,
            fused,
        )
        return self._finish(y.reshape(x.shape[0], geo.oh, geo.ow, self.filters), fused, device)

    def compute_output_shape(self, input_shape) -> tuple:
        shape = tuple(input_shape)
        hw = tuple(
            None if n is None else conv_geometry(n, k, s, self.padding)[0]
            for n, k, s in zip(shape[1:3], self.kernel_size, self.strides)
        )
        return (shape[0],) + hw + (self.filters,)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "filters": self.filters,
            "kernel_size": list(self.kernel_size),
            "strides": list(self.strides),
            "padding": self.padding,
        }
