"""Conv2D: 2-D convolution over channels-last inputs (``[N, H, W, C]``)."""

from __future__ import annotations

from .. import activations, constraints, initializers
from ..ops.conv import conv2d, conv_geometry
from ..ops.conv_general import conv2d_general
from ._args import (
    int_pair,
    no_strided_dilation,
    padding_mode,
    positive_int,
    serialize_regularizer,
)
from ._inputs import layer_regularizer
from .base import Layer
from .channels_first import ChannelsFirst, data_format_arg
from .config_order import CONV_ORDER, keras_order
from .input_spec import InputSpec

_LAYOUT = "[batch, height, width, channels]"


class Conv2D(ChannelsFirst, Layer):
    """2-D convolution (cross-correlation, as Keras) with kernel ``[KH, KW, C, filters]``.

    Args:
        filters: number of output channels.
        kernel_size: an int or ``(KH, KW)``.
        strides: an int or ``(SH, SW)``.
        padding: ``"valid"`` or ``"same"`` (TensorFlow's padding arithmetic).
        data_format: None (``keras.config.image_data_format()``), ``"channels_last"`` or
            ``"channels_first"`` (inputs ``[N, C, H, W]``, moved channels-last around the
            computation; see channels_first.py).
        dilation_rate: an int or ``(DH, DW)``: the spacing of the kernel's taps.
        groups: split the channels into this many groups, each convolved with its own
            ``filters / groups`` filters (kernel ``[KH, KW, C / groups, filters]``).
        activation: a name or callable; ReLU runs fused into the GEMM.
        use_bias, kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer:
            as for :class:`Dense`.
    """

    _config_activity_regularizer = True  # Keras 3 writes the key even when None

    def __init__(
        self,
        filters,
        kernel_size,
        strides=(1, 1),
        padding="valid",
        data_format=None,
        dilation_rate=(1, 1),
        groups=1,
        activation=None,
        use_bias: bool = True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        where = self._where()
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.filters = positive_int(filters, "filters", where)
        self.kernel_size = int_pair(kernel_size, "kernel_size", where)
        self.strides = int_pair(strides, "strides", where)
        self.padding = padding_mode(padding, where)
        self.data_format = data_format_arg(data_format, where)
        self.dilation_rate = int_pair(dilation_rate, "dilation_rate", where)
        no_strided_dilation(self.strides, self.dilation_rate, where)
        self.groups = positive_int(groups, "groups", where)
        if self.filters % self.groups:
            raise ValueError(
                f"{where}: filters must be divisible by groups, received "
                f"filters={filters}, groups={groups}"
            )
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = layer_regularizer(kernel_regularizer, self)
        self.bias_regularizer = layer_regularizer(bias_regularizer, self)
        self.input_spec = InputSpec(ndim=4, hint=_LAYOUT)

    def build(self, input_shape) -> None:
        channels = input_shape[-1]
        if channels is None:
            raise ValueError(
                f"{self._where()}: the channel axis (last) of the input must be known, "
                f"received shape {tuple(input_shape)}"
            )
        if channels % self.groups:
            raise ValueError(
                f"{self._where()}: the input's channels ({channels}) must be "
                f"divisible by groups={self.groups}"
            )
        hw = output_hw(tuple(input_shape), self._effective_kernel(), self.strides, self.padding)
        if any(size is not None and size <= 0 for size in hw):
            given = tuple(input_shape)  # as the caller passed it (build sees channels last)
            if self.data_format == "channels_first":
                given = (given[0], given[3], given[1], given[2])
            raise ValueError(  # Keras 3 checks it when it builds (before any op runs)
                f"{self._where()}: computed output size would be zero or negative. Received "
                f"inputs shape={given}, kernel_size={tuple(self.kernel_size)}, "
                f"dilation_rate={tuple(self.dilation_rate)}, strides={tuple(self.strides)}, "
                f"padding={self.padding}"
            )
        shape = self.kernel_size + (channels // self.groups, self.filters)
        self.kernel = self._add_weight(
            "kernel",
            shape,
            self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.bias = (
            self._add_weight(
                "bias",
                (self.filters,),
                self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
            if self.use_bias
            else None
        )
        self.input_spec = InputSpec(ndim=4, axes={-1: int(channels)}, hint=_LAYOUT)
        super().build(input_shape)

    def convolution_op(self, inputs, kernel):
        """The convolution alone (no bias, no activation), as Keras' ``convolution_op``:
        a subclass overrides it to change the kernel or the operation, and ``call`` uses it."""
        return conv2d_general(
            inputs, kernel, self.strides, self.padding, self.dilation_rate, self.groups
        )

    def call(self, inputs):
        overridden = type(self).convolution_op is not Conv2D.convolution_op
        if overridden or self.dilation_rate != (1, 1) or self.groups != 1:
            y = self.convolution_op(inputs, self._read(self.kernel))
            if self.bias is not None:
                y = y + self._read(self.bias)
            return self.activation(y)
        fused = self.activation is activations.relu
        y = conv2d(
            inputs,
            self._read(self.kernel),
            self.strides,
            self.padding,
            bias=self._read(self.bias),
            activation="relu" if fused else None,
        )
        return y if fused or self.activation is activations.linear else self.activation(y)

    def compute_output_shape(self, input_shape) -> tuple:
        shape = tuple(input_shape)
        self.input_spec.check(self._where(), shape)
        hw = output_hw(shape, self._effective_kernel(), self.strides, self.padding)
        return (shape[0],) + hw + (self.filters,)

    def _effective_kernel(self) -> tuple:
        return tuple((k - 1) * d + 1 for k, d in zip(self.kernel_size, self.dilation_rate))

    def get_config(self) -> dict:
        config = {
            **super().get_config(),
            "filters": self.filters,
            "kernel_size": tuple(self.kernel_size),
            "strides": tuple(self.strides),
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": tuple(self.dilation_rate),
            "groups": self.groups,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": serialize_regularizer(self.kernel_regularizer),
            "bias_regularizer": serialize_regularizer(self.bias_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        }
        return keras_order(config, CONV_ORDER)


def output_hw(shape, window, strides, padding) -> tuple:
    """``(out_h, out_w)`` for an input ``[N, H, W, C]`` (None where H or W is unknown)."""
    return tuple(
        None if size is None else conv_geometry(size, k, s, padding)[0]
        for size, k, s in zip(shape[1:3], window, strides)
    )
