"""Conv1D: 1-D convolution over ``[batch, steps, channels]`` (with Keras' ``"causal"`` padding)."""

from __future__ import annotations

from .. import initializers
from ..ops.conv import conv_geometry
from ..ops.conv_general import conv2d_general
from ..ops.shape import expand_dims, reshape, squeeze
from ..ops.spatial import pad
from ._args import no_strided_dilation, serialize_regularizer
from ._conv_base import ConvBase
from ._inputs import layer_regularizer
from .config_order import CONV_ORDER, keras_order


class Conv1D(ConvBase):
    """1-D convolution with kernel ``[K, C / groups, filters]``.

    Args:
        filters: output channels.
        kernel_size, strides, dilation_rate: ints (or 1-tuples).
        padding: ``"valid"``, ``"same"`` or ``"causal"`` (left-padded: step t sees only steps <= t).
        groups: channel groups, each with ``filters / groups`` filters.
        activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
        bias_regularizer: as :class:`Dense`.
    """

    rank = 1
    paddings = ("valid", "same", "causal")

    def __init__(
        self,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
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

    def build(self, input_shape) -> None:
        channels = self._channels(input_shape)
        if channels % self.groups:
            raise ValueError(
                f"{self._where()}: the input's channels ({channels}) must be "
                "divisible "
                f"by groups={self.groups}"
            )
        shape = self.kernel_size + (channels // self.groups, self.filters)
        self.kernel = self._add_weight(
            "kernel",
            shape,
            self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self._make_bias(self.filters)
        super().build(input_shape)

    def convolution_op(self, inputs, kernel):
        """The convolution alone (no bias, no activation), as Keras' ``convolution_op``:
        a subclass overrides it; ``call`` uses it except for ``"causal"`` padding (as Keras)."""
        return self._convolve(inputs, kernel, self.padding)

    def _convolve(self, x, k, padding):
        y = conv2d_general(
            expand_dims(x, 1),
            reshape(k, (1,) + tuple(k.shape)),
            (1, self.strides[0]),
            padding,
            (1, self.dilation_rate[0]),
            self.groups,
        )
        return squeeze(y, 1)

    def call(self, inputs):
        self._check_call(inputs)
        k = self._read(self.kernel)
        if self.padding != "causal":
            return self._finish(self.convolution_op(inputs, k))
        x = pad(inputs, ((0, 0), ((self.kernel_size[0] - 1) * self.dilation_rate[0], 0), (0, 0)))
        return self._finish(self._convolve(x, k, "valid"))

    def compute_output_shape(self, input_shape) -> tuple:
        shape = tuple(input_shape)
        self._channels(shape)
        steps = shape[1]
        if steps is not None:
            k = (self.kernel_size[0] - 1) * self.dilation_rate[0] + 1
            if self.padding == "causal":
                steps = conv_geometry(steps + k - 1, k, self.strides[0], "valid")[0]
            else:
                steps = conv_geometry(steps, k, self.strides[0], self.padding)[0]
        return (shape[0], steps, self.filters)

    def get_config(self) -> dict:
        config = {
            **super().get_config(),
            "filters": self.filters,
            "groups": self.groups,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "kernel_regularizer": serialize_regularizer(self.kernel_regularizer),
        }
        return keras_order(config, CONV_ORDER)


Convolution1D = Conv1D
