"""What the convolution layers beyond Conv2D share: arguments, bias, activation, config."""

from __future__ import annotations

from .. import activations, constraints, initializers
from ._args import check_rank, int_tuple, positive_int, serialize_regularizer
from ._inputs import layer_regularizer
from .base import Layer
from .channels_first import ChannelsFirst, data_format_arg


class ConvBase(ChannelsFirst, Layer):
    """Keeps ``kernel_size``, ``strides``, ``padding``, ``dilation_rate``, activation and bias
    arguments for a ``rank``-D convolution; subclasses make the kernel and convolve."""

    _config_activity_regularizer = True  # Keras 3 writes the key even when None

    rank = 2
    paddings = ("valid", "same")

    @property
    def _spatial_rank(self) -> int:  # for ChannelsFirst
        return self.rank

    def __init__(
        self,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
        activation=None,
        use_bias=True,
        bias_initializer="zeros",
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        **kwargs,
    ) -> None:
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        where = self._where()
        self.kernel_size = int_tuple(kernel_size, self.rank, "kernel_size", where)
        self.strides = int_tuple(strides, self.rank, "strides", where)
        self.dilation_rate = int_tuple(dilation_rate, self.rank, "dilation_rate", where)
        mode = str(padding).lower()
        if mode not in self.paddings:
            raise ValueError(
                f"{where}: padding must be one of "
                f"{', '.join(map(repr, self.paddings))}, "
                f"received padding={padding!r}"
            )
        self.padding = mode
        self.data_format = data_format_arg(data_format, where)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.bias_initializer = initializers.get(bias_initializer)
        self.bias_regularizer = layer_regularizer(bias_regularizer, self)
        self.bias = None

    def _set_filters(self, filters, groups) -> None:
        """``filters`` output channels in ``groups`` groups (filters divisible by groups)."""
        where = self._where()
        self.filters = positive_int(filters, "filters", where)
        self.groups = positive_int(groups, "groups", where)
        if self.filters % self.groups:
            raise ValueError(
                f"{where}: filters must be divisible by groups, received "
                f"filters={filters}, groups={groups}"
            )

    def _layout(self) -> str:
        return "[batch, steps, channels]" if self.rank == 1 else "[batch, height, width, channels]"

    def _channels(self, input_shape) -> int:
        check_rank(self, input_shape, self.rank + 2, self._layout())
        channels = input_shape[-1]
        if channels is None:
            raise ValueError(
                f"{self._where()}: the channel axis (last) of the input must be "
                "known, "
                f"received shape {tuple(input_shape)}"
            )
        return int(channels)

    def _make_bias(self, size: int) -> None:
        if self.use_bias:
            self.bias = self._add_weight(
                "bias",
                (size,),
                self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )

    def _finish(self, y):
        if self.bias is not None:
            y = y + self._read(self.bias)
        return self.activation(y)

    def _check_call(self, inputs) -> None:
        check_rank(self, inputs.shape, self.rank + 2, self._layout())

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "kernel_size": tuple(self.kernel_size),
            "strides": tuple(self.strides),
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": tuple(self.dilation_rate),
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "bias_regularizer": serialize_regularizer(self.bias_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        }
