"""2-D pooling layers over channels-last inputs: MaxPooling2D and AveragePooling2D."""

from __future__ import annotations

from ..ops.conv import avg_pool2d, max_pool2d
from ._args import int_pair, padding_mode
from .base import Layer
from .channels_first import ChannelsFirst, data_format_arg
from .conv import output_hw
from .input_spec import InputSpec


class _Pooling2D(ChannelsFirst, Layer):
    """Shared arguments: ``pool_size``, ``strides`` (default ``pool_size``), ``padding``,
    ``data_format``.
    """

    _op = None

    def __init__(
        self, pool_size=(2, 2), strides=None, padding="valid", data_format=None, **kwargs
    ) -> None:
        super().__init__(**kwargs)
        self._build_at_init()
        where = self._where()
        self.pool_size = int_pair(pool_size, "pool_size", where)
        self.strides = self.pool_size if strides is None else int_pair(strides, "strides", where)
        self.padding = padding_mode(padding, where)
        self.data_format = data_format_arg(data_format, where)
        self.input_spec = InputSpec(ndim=4, hint="[batch, height, width, channels]")

    def call(self, inputs):
        return type(self)._op(inputs, self.pool_size, self.strides, self.padding)

    def compute_output_shape(self, input_shape) -> tuple:
        shape = tuple(input_shape)
        self.input_spec.check(self._where(), shape)
        return (
            (shape[0],) + output_hw(shape, self.pool_size, self.strides, self.padding) + (shape[3],)
        )

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "pool_size": tuple(self.pool_size),
            "padding": self.padding,
            "strides": tuple(self.strides),
            "data_format": self.data_format,
        }


class MaxPooling2D(_Pooling2D):
    """Maximum over ``pool_size`` windows of ``[N, H, W, C]`` inputs."""

    _op = staticmethod(max_pool2d)


class AveragePooling2D(_Pooling2D):
    """Mean over ``pool_size`` windows; with ``"same"`` padding, padded cells are not counted."""

    _op = staticmethod(avg_pool2d)


MaxPool2D = MaxPooling2D
AvgPool2D = AveragePooling2D
