"""DepthwiseConv2D and SeparableConv2D: per-channel spatial filters (then a 1x1 mix)."""

from __future__ import annotations

from .. import constraints, initializers
from ..ops.conv_general import conv2d_general
from ..ops.shape import reshape
from ._args import positive_int, serialize_regularizer
from ._conv_base import ConvBase
from ._inputs import layer_regularizer
from .config_order import CONV_ORDER, keras_order
from .conv import output_hw


class _Depthwise(ConvBase):
    def __init__(self, *args, **kwargs) -> None:
        if "kernel_constraint" in kwargs:  # Keras names them depthwise_/pointwise_constraint
            raise ValueError(
                f"Unrecognized keyword arguments passed to {type(self).__name__}: "
                f"{{'kernel_constraint': {kwargs['kernel_constraint']!r}}}"
            )
        super().__init__(*args, **kwargs)

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("kernel_constraint", None)
        return config

    def _depthwise(self, inputs, kernel):
        kh, kw, c, m = kernel.shape
        # Channel c's filters become group c's outputs c*M .. c*M+M-1, as Keras orders them.
        return conv2d_general(
            inputs,
            reshape(kernel, (kh, kw, 1, c * m)),
            self.strides,
            self.padding,
            self.dilation_rate,
            c,
        )

    def _spatial(self, shape) -> tuple:
        window = tuple((k - 1) * d + 1 for k, d in zip(self.kernel_size, self.dilation_rate))
        return output_hw(shape, window, self.strides, self.padding)


class DepthwiseConv2D(_Depthwise):
    """Each input channel convolved with its own ``depth_multiplier`` filters.

    Args:
        kernel_size, strides, padding, dilation_rate: as :class:`Conv2D`.
        depth_multiplier: filters per input channel; output channels ``C * depth_multiplier``.
        depthwise_initializer, depthwise_regularizer: of the kernel
            ``[KH, KW, C, depth_multiplier]``.
        activation, use_bias, bias_initializer, bias_regularizer: as :class:`Conv2D`.
    """

    def __init__(
        self,
        kernel_size,
        strides=(1, 1),
        padding="valid",
        depth_multiplier=1,
        data_format=None,
        dilation_rate=(1, 1),
        activation=None,
        use_bias=True,
        depthwise_initializer="glorot_uniform",
        bias_initializer="zeros",
        depthwise_regularizer=None,
        bias_regularizer=None,
        depthwise_constraint=None,
        **kwargs,
    ) -> None:
        super().__init__(
            kernel_size,
            strides,
            padding,
            data_format,
            dilation_rate,
            activation,
            use_bias,
            bias_initializer,
            bias_regularizer,
            **kwargs,
        )
        self.depth_multiplier = positive_int(depth_multiplier, "depth_multiplier", self._where())
        self.depthwise_constraint = constraints.get(depthwise_constraint)
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.depthwise_regularizer = layer_regularizer(depthwise_regularizer, self)

    def build(self, input_shape) -> None:
        channels = self._channels(input_shape)
        shape = self.kernel_size + (channels, self.depth_multiplier)
        self.kernel = self._add_weight(
            "kernel",
            shape,
            self.depthwise_initializer,
            regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint,
        )
        self._make_bias(channels * self.depth_multiplier)
        super().build(input_shape)

    def call(self, inputs):
        self._check_call(inputs)
        return self._finish(self._depthwise(inputs, self._read(self.kernel)))

    def compute_output_shape(self, input_shape) -> tuple:
        shape = tuple(input_shape)
        channels = self._channels(shape)
        return (shape[0],) + self._spatial(shape) + (channels * self.depth_multiplier,)

    def get_config(self) -> dict:
        config = {
            **super().get_config(),
            "depth_multiplier": self.depth_multiplier,
            "depthwise_initializer": initializers.serialize(self.depthwise_initializer),
            "depthwise_regularizer": serialize_regularizer(self.depthwise_regularizer),
            "depthwise_constraint": constraints.serialize(self.depthwise_constraint),
        }
        return keras_order(config, CONV_ORDER)


class SeparableConv2D(_Depthwise):
    """A depthwise convolution followed by a 1x1 convolution to ``filters`` channels.

    Weights in order: ``depthwise_kernel [KH, KW, C, depth_multiplier]``,
    ``pointwise_kernel [1, 1, C * depth_multiplier, filters]``, ``bias [filters]``.
    """

    def __init__(
        self,
        filters,
        kernel_size,
        strides=(1, 1),
        padding="valid",
        data_format=None,
        dilation_rate=(1, 1),
        depth_multiplier=1,
        activation=None,
        use_bias=True,
        depthwise_initializer="glorot_uniform",
        pointwise_initializer="glorot_uniform",
        bias_initializer="zeros",
        depthwise_regularizer=None,
        pointwise_regularizer=None,
        bias_regularizer=None,
        depthwise_constraint=None,
        pointwise_constraint=None,
        **kwargs,
    ) -> None:
        super().__init__(
            kernel_size,
            strides,
            padding,
            data_format,
            dilation_rate,
            activation,
            use_bias,
            bias_initializer,
            bias_regularizer,
            **kwargs,
        )
        where = self._where()
        self.filters = positive_int(filters, "filters", where)
        self.depth_multiplier = positive_int(depth_multiplier, "depth_multiplier", where)
        self.depthwise_constraint = constraints.get(depthwise_constraint)
        self.pointwise_constraint = constraints.get(pointwise_constraint)
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.pointwise_initializer = initializers.get(pointwise_initializer)
        self.depthwise_regularizer = layer_regularizer(depthwise_regularizer, self)
        self.pointwise_regularizer = layer_regularizer(pointwise_regularizer, self)

    def build(self, input_shape) -> None:
        channels = self._channels(input_shape)
        self.depthwise_kernel = self._add_weight(
            "depthwise_kernel",
            self.kernel_size + (channels, self.depth_multiplier),
            self.depthwise_initializer,
            regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint,
        )
        self.pointwise_kernel = self._add_weight(
            "pointwise_kernel",
            (1, 1, channels * self.depth_multiplier, self.filters),
            self.pointwise_initializer,
            regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint,
        )
        self._make_bias(self.filters)
        super().build(input_shape)

    def call(self, inputs):
        self._check_call(inputs)
        y = self._depthwise(inputs, self._read(self.depthwise_kernel))
        pointwise = self._read(self.pointwise_kernel)
        y = y @ reshape(pointwise, tuple(pointwise.shape[2:]))
        return self._finish(y)

    def compute_output_shape(self, input_shape) -> tuple:
        shape = tuple(input_shape)
        self._channels(shape)
        return (shape[0],) + self._spatial(shape) + (self.filters,)

    def get_config(self) -> dict:
        config = {
            **super().get_config(),
            "filters": self.filters,
            "depth_multiplier": self.depth_multiplier,
            "depthwise_initializer": initializers.serialize(self.depthwise_initializer),
            "pointwise_initializer": initializers.serialize(self.pointwise_initializer),
            "depthwise_regularizer": serialize_regularizer(self.depthwise_regularizer),
            "pointwise_regularizer": serialize_regularizer(self.pointwise_regularizer),
            "depthwise_constraint": constraints.serialize(self.depthwise_constraint),
            "pointwise_constraint": constraints.serialize(self.pointwise_constraint),
        }
        return keras_order(config, CONV_ORDER)


SeparableConvolution2D = SeparableConv2D
