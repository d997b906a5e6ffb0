"""Keras 3 layers built on existing machinery: DepthwiseConv1D and SeparableConv1D (the 2-D
layers on a height-1 image), SpatialDropout3D, RMSNormalization."""

from __future__ import annotations

from ..ops.conv_general import conv2d_general
from ..ops.math import cast
from ..ops.reduce import reduce_mean
from ..ops.shape import expand_dims, reshape, squeeze
from ..ops.unary import rsqrt
from .base import Layer
from .channels_first import data_format_arg
from .conv import output_hw
from .depthwise_separable import DepthwiseConv2D, SeparableConv2D
from .noise import _SpatialDropout


class _OneD:
    """Runs a 2-D depthwise layer's convolution on ``[batch, 1, steps, channels]``."""

    rank = 1

    def _layout(self) -> str:
        return "[batch, steps, channels]"

    def _depthwise(self, inputs, kernel):
        k, c, m = kernel.shape
        y = conv2d_general(
            expand_dims(inputs, 1),
            reshape(kernel, (1, k, 1, c * m)),
            (1,) + self.strides,
            self.padding,
            (1,) + self.dilation_rate,
            c,
        )
        return squeeze(y, 1)

    def _spatial(self, shape) -> tuple:
        window = ((self.kernel_size[0] - 1) * self.dilation_rate[0] + 1,)
        padded = (shape[0], 1) + tuple(shape[1:])
        return output_hw(padded, (1,) + window, (1,) + self.strides, self.padding)[1:]


class DepthwiseConv1D(_OneD, DepthwiseConv2D):
    """Each channel of ``[batch, steps, channels]`` convolved with its own
    ``depth_multiplier`` filters; kernel ``[K, C, depth_multiplier]`` (as Keras).

    Args: ``kernel_size``, ``strides``, ``padding`` (``"valid"``/``"same"``),
    ``depth_multiplier``, ``dilation_rate`` and the rest as :class:`DepthwiseConv2D`.
    """

    def __init__(
        self,
        kernel_size,
        strides=1,
        padding="valid",
        depth_multiplier=1,
        data_format=None,
        dilation_rate=1,
        **kwargs,
    ) -> None:
        super().__init__(
            kernel_size, strides, padding, depth_multiplier, data_format, dilation_rate, **kwargs
        )


class SeparableConv1D(_OneD, SeparableConv2D):
    """A depthwise 1-D convolution followed by a pointwise one to ``filters`` channels.

    Weights in order: ``depthwise_kernel [K, C, depth_multiplier]``,
    ``pointwise_kernel [1, C * depth_multiplier, filters]``, ``bias [filters]`` (as Keras).
    """

    def __init__(
        self,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
        depth_multiplier=1,
        **kwargs,
    ) -> None:
        super().__init__(
            filters,
            kernel_size,
            strides,
            padding,
            data_format,
            dilation_rate,
            depth_multiplier,
            **kwargs,
        )

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
            (1, channels * self.depth_multiplier, self.filters),
            self.pointwise_initializer,
            regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint,
        )
        self._make_bias(self.filters)
        Layer.build(self, input_shape)

    def call(self, inputs):
        self._check_call(inputs)
        y = self._depthwise(inputs, self._read(self.depthwise_kernel))
        pointwise = self._read(self.pointwise_kernel)
        return self._finish(y @ reshape(pointwise, tuple(pointwise.shape[1:])))


SeparableConvolution1D = SeparableConv1D


class SpatialDropout3D(_SpatialDropout):
    """Drops whole channels of ``[batch, depth, height, width, channels]`` volumes."""

    _rank = 5
    _layout = "[batch, depth, height, width, channels]"

    def __init__(self, rate, data_format=None, seed=None, **kwargs) -> None:
        super().__init__(rate, seed=seed, **kwargs)
        self.data_format = data_format_arg(data_format, self._where())

    def get_config(self) -> dict:
        return {**super().get_config(), "data_format": self.data_format}


class RMSNormalization(Layer):
    """``x / sqrt(mean(x^2 over axis) + epsilon) * scale`` (Zhang and Sennrich, 2019).

    Args:
        axis: the axis or axes normalized over (default the last); ``scale`` has their shape.
        epsilon: added to the mean square.

    float16 / bfloat16 inputs are normalized in float32 and cast back (as Keras).
    """

    def __init__(self, axis=-1, epsilon=1e-6, **kwargs) -> None:
        super().__init__(**kwargs)
        self.axis = axis
        self.epsilon = float(epsilon)

    def _axes(self, rank: int) -> list:
        axes = list(self.axis) if isinstance(self.axis, (list, tuple)) else [self.axis]
        for a in axes:
            if not isinstance(a, int) or not -rank <= a < rank:
                raise ValueError(
                    f"{self._where()}: Axis {a} is out of bounds for an input of rank {rank}. "
                    f"Received: axis={self.axis}"
                )
        return sorted(a % rank for a in axes)

    def build(self, input_shape) -> None:
        shape = tuple(input_shape)
        axes = self._axes(len(shape))
        if any(shape[a] is None for a in axes):
            raise ValueError(
                f"{self._where()}: the normalized axes {axes} of the input must be known, "
                f"received shape {shape}"
            )
        # as Keras: the config then holds the axes as a (sorted) list
        self.axis = sorted(self.axis) if isinstance(self.axis, (list, tuple)) else [self.axis]
        self.scale = self._add_weight("scale", tuple(shape[a] for a in axes), "ones")
        super().build(input_shape)

    def call(self, inputs):
        rank = inputs.ndim
        axes = self._axes(rank)
        x = inputs if inputs.dtype in ("float32", "float64") else cast(inputs, "float32")
        out = x * rsqrt(reduce_mean(x * x, axis=axes, keepdims=True) + self.epsilon)
        scale = cast(self.scale, x.dtype)
        broadcast = [inputs.shape[a] if a in axes else 1 for a in range(rank)]
        out = out * reshape(scale, broadcast)
        return out if out.dtype == inputs.dtype else cast(out, inputs.dtype)

    def compute_output_shape(self, input_shape) -> tuple:
        self._axes(len(tuple(input_shape)))
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis, "epsilon": self.epsilon}
