"""3-D pooling over ``[N, D, H, W, C]``: MaxPooling3D and AveragePooling3D."""

from __future__ import annotations

from ..ops.conv import conv_geometry
from ..ops.conv3d import avg_pool3d, max_pool3d
from ._args import check_rank, int_tuple, padding_mode
from .base import Layer
from .channels_first import ChannelsFirst, data_format_arg

_LAYOUT = "[batch, depth, height, width, channels]"


class _Pooling3D(ChannelsFirst, Layer):
    _spatial_rank = 3
    _op = None

    def __init__(
        self, pool_size=(2, 2, 2), strides=None, padding="valid", data_format=None, **kwargs
    ) -> None:
        super().__init__(**kwargs)
        self._build_at_init()
        where = self._where()
        self.pool_size = int_tuple(pool_size, 3, "pool_size", where)
        self.strides = (
            self.pool_size if strides is None else int_tuple(strides, 3, "strides", where)
        )
        self.padding = padding_mode(padding, where)
        self.data_format = data_format_arg(data_format, where)

    def call(self, inputs):
        check_rank(self, inputs.shape, 5, _LAYOUT)
        if self.padding == "valid" and any(
            n < p for n, p in zip(inputs.shape[1:4], self.pool_size)
        ):
            raise ValueError(
                f"{self._where()}: input of shape {tuple(inputs.shape)} is smaller than "
                f"pool_size={self.pool_size} with 'valid' padding"
            )
        return type(self)._op(inputs, self.pool_size, self.strides, self.padding.upper())

    def compute_output_shape(self, input_shape) -> tuple:
        shape = tuple(input_shape)
        check_rank(self, shape, 5, _LAYOUT)
        spatial = tuple(
            None if n is None else conv_geometry(n, p, s, self.padding)[0]
            for n, p, s in zip(shape[1:4], self.pool_size, self.strides)
        )
        return (shape[0],) + spatial + (shape[4],)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "pool_size": tuple(self.pool_size),
            "padding": self.padding,
            "strides": tuple(self.strides),
            "data_format": self.data_format,
        }


class MaxPooling3D(_Pooling3D):
    """Maximum over ``pool_size`` boxes."""

    _op = staticmethod(max_pool3d)


class AveragePooling3D(_Pooling3D):
    """Mean over ``pool_size`` boxes (padded cells not counted with ``"same"``);
    ``pool_size`` has no default, as in Keras."""

    _op = staticmethod(avg_pool3d)

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(pool_size, strides, padding, data_format, **kwargs)


MaxPool3D = MaxPooling3D
AvgPool3D = AveragePooling3D
