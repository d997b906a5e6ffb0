"""1-D pooling over ``[N, steps, C]``: MaxPooling1D and AveragePooling1D (the 2-D ops on H = 1)."""

from __future__ import annotations

from ..ops.conv import avg_pool2d, conv_geometry, max_pool2d
from ..ops.shape import expand_dims, squeeze
from ._args import check_rank, int_tuple, padding_mode
from .base import Layer
from .channels_first import ChannelsFirst, data_format_arg

_LAYOUT = "[batch, steps, channels]"


class _Pooling1D(ChannelsFirst, Layer):
    _spatial_rank = 1
    _op = None

    def __init__(
        self, pool_size=2, strides=None, padding="valid", data_format=None, **kwargs
    ) -> None:
        super().__init__(**kwargs)
        self._build_at_init()
        where = self._where()
        (self.pool_size,) = int_tuple(pool_size, 1, "pool_size", where)
        self.strides = (
            self.pool_size if strides is None else int_tuple(strides, 1, "strides", where)[0]
        )
        self.padding = padding_mode(padding, where)
        self.data_format = data_format_arg(data_format, where)

    def call(self, inputs):
        check_rank(self, inputs.shape, 3, _LAYOUT)
        if self.padding == "valid" and inputs.shape[1] < self.pool_size:
            raise ValueError(
                f"{self._where()}: input of shape {tuple(inputs.shape)} has fewer "
                "steps "
                f"than pool_size={self.pool_size} with 'valid' padding"
            )
        y = type(self)._op(
            expand_dims(inputs, 1), (1, self.pool_size), (1, self.strides), self.padding
        )
        return squeeze(y, 1)

    def compute_output_shape(self, input_shape) -> tuple:
        shape = tuple(input_shape)
        check_rank(self, shape, 3, _LAYOUT)
        steps = (
            None
            if shape[1] is None
            else conv_geometry(shape[1], self.pool_size, self.strides, self.padding)[0]
        )
        return (shape[0], steps, shape[2])

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "pool_size": (self.pool_size,),
            "padding": self.padding,
            "strides": (self.strides,),
            "data_format": self.data_format,
        }


class MaxPooling1D(_Pooling1D):
    """Maximum over windows of ``pool_size`` steps."""

    _op = staticmethod(max_pool2d)


class AveragePooling1D(_Pooling1D):
    """Mean over windows of ``pool_size`` steps (padded steps not counted with 'same');
    ``pool_size`` has no default, as in Keras."""

    _op = staticmethod(avg_pool2d)

    def __init__(
        self, pool_size, strides=None, padding="valid", data_format=None, **kwargs
    ) -> None:
        super().__init__(pool_size, strides, padding, data_format, **kwargs)


MaxPool1D = MaxPooling1D
AvgPool1D = AveragePooling1D
