"""Conv2DTranspose and Conv1DTranspose: kernels ``[KH, KW, filters, in]`` (Keras' layout)."""

from __future__ import annotations

from .. import initializers
from ..ops.conv_general import conv2d_transpose, deconv_output_length
from ..ops.shape import expand_dims, reshape, squeeze
from ._args import no_strided_dilation, positive_int, serialize_regularizer
from ._conv_base import ConvBase
from ._inputs import layer_regularizer
from .config_order import CONV_ORDER, keras_order


class _ConvTranspose(ConvBase):
    def __init__(
        self,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        output_padding=None,
        data_format=None,
        dilation_rate=1,
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
        where = self._where()
        self.filters = positive_int(filters, "filters", where)
        no_strided_dilation(self.strides, self.dilation_rate, where)
        if output_padding is None:
            self.output_padding = None
        else:
            items = (
                output_padding
                if isinstance(output_padding, (list, tuple))
                else (output_padding,) * self.rank
            )
            if len(items) != self.rank or any(int(p) < 0 for p in items):
                raise ValueError(
                    f"{where}: output_padding must be non-negative ints, one per "
                    f"spatial axis, received output_padding={output_padding!r}"
                )
            self.output_padding = tuple(int(p) for p in items)
            for p, s in zip(self.output_padding, self.strides):
                if p >= s:
                    raise ValueError(
                        f"{where}: output_padding must be smaller than strides, "
                        f"received output_padding={output_padding!r}, "
                        f"strides={self.strides}"
                    )
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.kernel_regularizer = layer_regularizer(kernel_regularizer, self)

    def build(self, input_shape) -> None:
        channels = self._channels(input_shape)
        self.kernel = self._add_weight(
            "kernel",
            self.kernel_size + (self.filters, channels),
            self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self._make_bias(self.filters)
        super().build(input_shape)

    def _out_sizes(self, sizes) -> tuple:
        pads = self.output_padding or (None,) * self.rank
        return tuple(
            None if n is None else deconv_output_length(n, k, self.padding, p, s, d)
            for n, k, p, s, d in zip(
                sizes, self.kernel_size, pads, self.strides, self.dilation_rate
            )
        )

    def compute_output_shape(self, input_shape) -> tuple:
        shape = tuple(input_shape)
        self._channels(shape)
        return (shape[0],) + self._out_sizes(shape[1:-1]) + (self.filters,)

    def get_config(self) -> dict:
        pads = None if self.output_padding is None else list(self.output_padding)
        config = {
            **super().get_config(),
            "filters": self.filters,
            "output_padding": pads,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "kernel_regularizer": serialize_regularizer(self.kernel_regularizer),
        }
        return keras_order(config, CONV_ORDER)


class Conv2DTranspose(_ConvTranspose):
    """Transposed 2-D convolution ("deconvolution"), e.g. to upsample in decoders.

    Args:
        filters: output channels.
        kernel_size, strides, dilation_rate: ints or pairs.
        padding: ``"valid"`` or ``"same"``.
        output_padding: extra rows/columns on the output's far side (each < stride), or None.
        activation, use_bias, initializers, regularizers: as :class:`Conv2D`.

    Kernel ``[KH, KW, filters, in_channels]``; output size per axis ``in * stride`` ("same")
    or ``in * stride + max(K - stride, 0)`` ("valid"), as Keras.
    """

    rank = 2

    def call(self, inputs):
        self._check_call(inputs)
        out = self._out_sizes(inputs.shape[1:3])
        y = conv2d_transpose(
            inputs, self._read(self.kernel), out, self.strides, self.padding, self.dilation_rate
        )
        return self._finish(y)


class Conv1DTranspose(_ConvTranspose):
    """Transposed 1-D convolution over ``[batch, steps, channels]``; kernel ``[K, filters, in]``."""

    rank = 1

    def call(self, inputs):
        self._check_call(inputs)
        (out,) = self._out_sizes(inputs.shape[1:2])
        k = self._read(self.kernel)
        y = conv2d_transpose(
            expand_dims(inputs, 1),
            reshape(k, (1,) + tuple(k.shape)),
            (1, out),
            (1, self.strides[0]),
            self.padding,
            (1, self.dilation_rate[0]),
        )
        return self._finish(squeeze(y, 1))


Convolution2DTranspose = Conv2DTranspose
Convolution1DTranspose = Conv1DTranspose
