"""UpSampling1D and UpSampling2D: repeat steps / pixels (or bilinear interpolation in 2-D)."""

from __future__ import annotations

from ..ops.image import resize
from ..ops.spatial import repeat
from ._args import check_rank, int_tuple
from .base import Layer
from .channels_first import ChannelsFirst, data_format_arg


class UpSampling1D(Layer):
    """Repeats each step ``size`` times: ``[N, T, C] -> [N, T * size, C]``."""

    _cast_int_inputs = False  # Keras 3 keeps an integer input's dtype

    def __init__(self, size=2, **kwargs) -> None:
        super().__init__(**kwargs)
        (self.size,) = int_tuple(size, 1, "size", self._where())

    def call(self, inputs):
        check_rank(self, inputs.shape, 3, "[batch, steps, channels]")
        return repeat(inputs, self.size, axis=1)

    def compute_output_shape(self, input_shape) -> tuple:
        shape = tuple(input_shape)
        check_rank(self, shape, 3, "[batch, steps, channels]")
        return (shape[0], None if shape[1] is None else shape[1] * self.size, shape[2])

    def get_config(self) -> dict:
        return {**super().get_config(), "size": self.size}


class UpSampling2D(ChannelsFirst, Layer):
    """Enlarges ``[N, H, W, C]`` by ``size = (sh, sw)``.

    Args:
        size: an int or a pair of ints.
        interpolation: ``"nearest"`` (repeat pixels) or ``"bilinear"``.
    """

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs) -> None:
        super().__init__(**kwargs)
        where = self._where()
        self.size = int_tuple(size, 2, "size", where)
        self.data_format = data_format_arg(data_format, where)
        if interpolation not in ("nearest", "bilinear"):
            raise ValueError(
                f"{where}: interpolation must be 'nearest' or 'bilinear', received "
                f"interpolation={interpolation!r}"
            )
        self.interpolation = interpolation
        # Keras 3 keeps an integer input's dtype; repeating pixels needs no float
        self._cast_int_inputs = interpolation != "nearest"

    def call(self, inputs):
        check_rank(self, inputs.shape, 4, "[batch, height, width, channels]")
        if self.interpolation == "nearest":
            return repeat(repeat(inputs, self.size[0], axis=1), self.size[1], axis=2)
        h, w = inputs.shape[1:3]
        return resize(inputs, (h * self.size[0], w * self.size[1]), "bilinear")

    def compute_output_shape(self, input_shape) -> tuple:
        shape = tuple(input_shape)
        check_rank(self, shape, 4, "[batch, height, width, channels]")
        hw = tuple(None if n is None else n * s for n, s in zip(shape[1:3], self.size))
        return (shape[0],) + hw + (shape[3],)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "size": tuple(self.size),
            "data_format": self.data_format,
            "interpolation": self.interpolation,
        }


class UpSampling3D(ChannelsFirst, Layer):
    _spatial_rank = 3
    """Repeats each cell of ``[N, D, H, W, C]`` ``size = (sd, sh, sw)`` times per axis."""

    _cast_int_inputs = False  # Keras 3 keeps an integer input's dtype

    def __init__(self, size=(2, 2, 2), data_format=None, **kwargs) -> None:
        super().__init__(**kwargs)
        where = self._where()
        self.size = int_tuple(size, 3, "size", where)
        self.data_format = data_format_arg(data_format, where)

    def call(self, inputs):
        check_rank(self, inputs.shape, 5, "[batch, depth, height, width, channels]")
        out = inputs
        for axis, times in enumerate(self.size, start=1):
            out = repeat(out, times, axis=axis)
        return out

    def compute_output_shape(self, input_shape) -> tuple:
        shape = tuple(input_shape)
        check_rank(self, shape, 5, "[batch, depth, height, width, channels]")
        dhw = tuple(None if n is None else n * s for n, s in zip(shape[1:4], self.size))
        return (shape[0],) + dhw + (shape[4],)

    def get_config(self) -> dict:
        return {**super().get_config(), "size": tuple(self.size), "data_format": self.data_format}
