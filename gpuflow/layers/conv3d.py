"""Conv3D: 3-D convolution over ``[batch, depth, height, width, channels]`` volumes."""

from __future__ import annotations

from .. import initializers
from ..ops.conv import conv_geometry
from ..ops.conv3d import conv3d
from ._args import no_strided_dilation, serialize_regularizer
from ._conv_base import ConvBase
from ._inputs import layer_regularizer
from .config_order import CONV_ORDER, keras_order


class Conv3D(ConvBase):
    """3-D convolution with kernel ``[KD, KH, KW, C / groups, filters]``.

    Args:
        filters: output channels.
        kernel_size, strides, dilation_rate: an int or three ints.
        padding: ``"valid"`` or ``"same"``.
        groups: channel groups, each with ``filters / groups`` filters.
        activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
        bias_regularizer: as :class:`Dense`.
    """

    rank = 3

    def __init__(
        self,
        filters,
        kernel_size,
        strides=(1, 1, 1),
        padding="valid",
        data_format=None,
        dilation_rate=(1, 1, 1),
        groups=1,
        activation=None,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
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
        self._set_filters(filters, groups)
        no_strided_dilation(self.strides, self.dilation_rate, self._where())
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.kernel_regularizer = layer_regularizer(kernel_regularizer, self)

    def _layout(self) -> str:
        return "[batch, depth, height, width, channels]"

    def build(self, input_shape) -> None:
        channels = self._channels(input_shape)
        if channels % self.groups:
            raise ValueError(
                f"{self._where()}: the input's channels ({channels}) must be divisible by "
                f"groups={self.groups}"
            )
        shape = self.kernel_size + (channels // self.groups, self.filters)
        self.kernel = self._add_weight(
            "kernel", shape, self.kernel_initializer, regularizer=self.kernel_regularizer
        )
        self._make_bias(self.filters)
        super().build(input_shape)

    def convolution_op(self, inputs, kernel):
        """The convolution alone (no bias, no activation), as Keras' ``convolution_op``:
        a subclass overrides it to change the kernel or the operation, and ``call`` uses it."""
        return conv3d(inputs, kernel, self.strides, self.padding, self.dilation_rate, self.groups)

    def call(self, inputs):
        self._check_call(inputs)
        return self._finish(self.convolution_op(inputs, self._read(self.kernel)))

    def compute_output_shape(self, input_shape) -> tuple:
        shape = tuple(input_shape)
        self._channels(shape)
        spatial = []
        for n, k, s, d in zip(shape[1:4], self.kernel_size, self.strides, self.dilation_rate):
            size = None if n is None else conv_geometry(n, (k - 1) * d + 1, s, self.padding)[0]
            spatial.append(size)
        return (shape[0],) + tuple(spatial) + (self.filters,)

    def get_config(self) -> dict:
        config = {
            **super().get_config(),
            "filters": self.filters,
            "groups": self.groups,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "kernel_regularizer": serialize_regularizer(self.kernel_regularizer),
        }
        return keras_order(config, CONV_ORDER)


Convolution3D = Conv3D
